#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Agreement of the offline (heuristic) judge with the human labels, per rubric dimension.

Runs `judge eval NOTEBOOKS --format jsonl` (or reads a JSON Lines file given with --jsonl) and compares each
(notebook, dimension) with the labels of one rater (default rater1 in ../shared/data/labels/ml-notebooks.csv).

Per dimension it prints:
  n        pairs where both the label and the judge give a score (both applicable)
  MAE      mean absolute error of the judge over those pairs
  const    MAE of the constant answer: the dimension's most common label score over the same pairs
  NA rec   share of label-N/A pairs where the judge also says N/A
  NA prec  share of the judge's N/A answers where the label is N/A
  unsc     verdicts with status `unscored`
Targets (issue 2): mean MAE <= 0.30, no dimension worse than its constant answer by more than 0.05,
N/A recall >= 90 %, wrong N/A answers <= 10 % (precision >= 90 %), no unscored.

Usage: /usr/bin/python3 bench/heuristic_agreement.py [--judge build/release/judge] [--notebooks DIR]
       [--labels CSV] [--rater rater1] [--jsonl FILE] [--details]
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_judge():
    for preset in ("release", "ci", "dev"):
        path = os.path.join(ROOT, "build", preset, "judge")
        if os.path.exists(path):
            return path
    return "judge"


def read_labels(path, rater):
    """{(notebook, dimension): score or None for NA}, dimensions in file order."""
    labels, dims = {}, []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["rater"] != rater:
                continue
            if row["dimension"] not in dims:
                dims.append(row["dimension"])
            score = row["score"].strip()
            labels[(row["notebook"], row["dimension"])] = None if score.upper() in ("NA", "N/A", "") else float(score)
    return labels, dims


def read_verdicts(lines, notebooks_dir):
    """{(notebook relative to notebooks_dir, dimension): record}."""
    out = {}
    for line in lines:
        line = line.strip()
        if not line:
            continue
        rec = json.loads(line)
        name = os.path.relpath(rec["notebook"], notebooks_dir) if notebooks_dir else rec["notebook"]
        out[(name, rec["dimension"])] = rec
    return out


def mode(values):
    counts = collections.Counter(values)
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best)  # ties: the lower score, deterministic


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge", default=default_judge())
    ap.add_argument("--notebooks", default=os.path.join(ROOT, "..", "shared", "data", "notebooks"))
    ap.add_argument("--labels", default=os.path.join(ROOT, "..", "shared", "data", "labels", "ml-notebooks.csv"))
    ap.add_argument("--rater", default="rater1")
    ap.add_argument("--jsonl", help="read judge output from this file instead of running the judge")
    ap.add_argument("--details", action="store_true", help="also list every disagreement")
    args = ap.parse_args()

    labels, dims = read_labels(args.labels, args.rater)
    if args.jsonl:
        with open(args.jsonl, encoding="utf-8") as f:
            verdicts = read_verdicts(f, args.notebooks)
    else:
        run = subprocess.run([args.judge, "eval", args.notebooks, "--format", "jsonl"], capture_output=True,
                             text=True)
        if run.returncode not in (0, 4):
            sys.exit(f"judge failed ({run.returncode}): {run.stderr}")
        verdicts = read_verdicts(run.stdout.splitlines(), args.notebooks)

    print(f"{'dimension':28} {'n':>3} {'MAE':>5} {'const':>5} {'NA rec':>7} {'NA prec':>7} {'unsc':>4}")
    maes, consts, missing = [], [], 0
    tot_na_label = tot_na_found = tot_na_judge = tot_na_right = tot_unscored = 0
    details = []
    for dim in dims:
        pairs = []
        na_label = na_found = na_judge = na_right = unscored = 0
        for (nb, d), label in sorted(labels.items()):
            if d != dim:
                continue
            rec = verdicts.get((nb, d))
            if rec is None:
                missing += 1
                continue
            status = rec["status"]
            if status == "unscored":
                unscored += 1
                continue
            judge_na = status == "not_applicable"
            if label is None:
                na_label += 1
                na_found += judge_na
            if judge_na:
                na_judge += 1
                na_right += label is None
            if label is not None and not judge_na:
                pairs.append((label, float(rec["score"])))
            wrong_na = (label is None) != judge_na
            far = label is not None and not judge_na and abs(label - float(rec["score"])) >= 1
            if args.details and (wrong_na or far):
                details.append(f"{dim} {nb}: label {label} judge {rec['score']} ({status}): {rec['rationale']}")
        n = len(pairs)
        mae = sum(abs(a - b) for a, b in pairs) / n if n else float("nan")
        const = mode([a for a, _ in pairs]) if n else 0
        const_mae = sum(abs(a - const) for a, _ in pairs) / n if n else float("nan")
        rec_s = f"{na_found / na_label:.0%}" if na_label else "-"
        prec_s = f"{na_right / na_judge:.0%}" if na_judge else "-"
        print(f"{dim:28} {n:>3} {mae:5.2f} {const_mae:5.2f} {rec_s:>7} {prec_s:>7} {unscored:>4}")
        maes.append(mae)
        consts.append(const_mae)
        tot_na_label += na_label
        tot_na_found += na_found
        tot_na_judge += na_judge
        tot_na_right += na_right
        tot_unscored += unscored
    print(f"{'mean over dimensions':28} {'':>3} {sum(maes) / len(maes):5.2f} {sum(consts) / len(consts):5.2f} "
          f"{tot_na_found / max(tot_na_label, 1):>7.0%} {tot_na_right / max(tot_na_judge, 1):>7.0%} "
          f"{tot_unscored:>4}")
    if missing:
        print(f"labels with no judge verdict (notebook not read?): {missing}")
    for line in details:
        print(line)


if __name__ == "__main__":
    main()
