#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Does the offline judge learn a standard nobody wrote its rules for?

Makes a team standard of our own from rater1's labels of the shared notebooks: three caps on three
dimensions, each read from one named fact (docs/facts.md) of the notebook:
  - model_training: no seed set (seed_set = 0) -> at most 1;
  - metrics_evaluation: fewer than two kinds of metric (metric_kinds < 2) -> at most 1;
  - cell_organization: fewer than three markdown headings (markdown_headings < 3) -> at most 2.
Every other label is rater1's. The facts come from `judge notebook show --facts --format json`, so the
standard can be expressed in the fact vocabulary by construction: this measures whether the learner finds
rules that are there to find, in folds of 30 notebooks, not whether the facts are the right ones.
Then `judge validate` (4 folds, baseline and both memories) at seeds 0 and 1, and prints its summary table.

Usage: bench/align_made_up_standard.py [JUDGE_BINARY]   (default build/release/judge)
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JUDGE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "release", "judge")
DATA = os.path.join(ROOT, "..", "shared", "data")
NOTEBOOKS = os.path.join(DATA, "notebooks")
RULES = {  # dimension: (fact, threshold, cap): fact < threshold -> score at most cap
    "model_training": ("seed_set", 1, 1),
    "metrics_evaluation": ("metric_kinds", 2, 1),
    "cell_organization": ("markdown_headings", 3, 2),
}


def facts_by_notebook(judge=JUDGE):
    """{notebook path under notebooks/: {fact: value}} from `judge notebook show --facts --format json`."""
    out = subprocess.run([judge, "notebook", "show", "--facts", "--format", "json", NOTEBOOKS],
                         check=True, capture_output=True, text=True).stdout
    facts = {}
    for line in out.splitlines():
        record = json.loads(line)
        facts[os.path.relpath(record["notebook"], NOTEBOOKS)] = record["facts"]
    return facts


def write_labels(path, rows):
    """Writes label rows (dicts with the same keys) as a CSV file with a header row."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)


def main():
    facts = facts_by_notebook()
    with open(os.path.join(DATA, "labels", "ml-notebooks.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["rater"] == "rater1"]
    changed = {}
    for r in rows:
        r["rater"] = "team"
        rule = RULES.get(r["dimension"])
        if not rule or r["score"] in ("NA", ""):
            continue
        fact, threshold, cap = rule
        if facts[r["notebook"]].get(fact, 0) < threshold and int(r["score"]) > cap:
            r["score"] = str(cap)
            r["feedback"] = f"team rule: {fact} below {threshold}, so at most {cap}"
            changed[r["dimension"]] = changed.get(r["dimension"], 0) + 1
    print("labels changed from rater1's:", ", ".join(f"{d} {n}" for d, n in sorted(changed.items())))
    with tempfile.TemporaryDirectory() as tmp:
        labels = os.path.join(tmp, "team.csv")
        write_labels(labels, rows)
        for seed in (0, 1):
            print(f"\nseed {seed}:", flush=True)
            out = subprocess.run([JUDGE, "validate", "--labels", labels, "--notebooks", NOTEBOOKS, "--raters",
                                  "team", "--folds", "4", "--seed", str(seed), "--conditions", "baseline,both"],
                                 check=True, capture_output=True, text=True).stdout
            print(out.split("\n\n")[0])  # the per-condition summary; the agreement reports follow it


if __name__ == "__main__":
    main()
