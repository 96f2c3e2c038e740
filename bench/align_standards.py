#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Which kinds of team standard does the offline judge learn, and which does it miss?

align_made_up_standard.py measures one hand-made standard. This draws many at random (seeded), each made
from rater1's labels of the shared notebooks by one rule on one dimension, of one of five shapes:
  - cap:         FACT TEST -> score at most C   (a stricter team: C = 1 or 2)
  - floor:       FACT TEST -> score at least F  (a more lenient team: F = 2 or 3)
  - set:         FACT TEST -> score S
  - na:          FACT TEST -> N/A               (the team calls the dimension not applicable; only where the
                                                  rubric allows N/A)
  - conjunction: FACT TEST and FACT TEST -> score at most 1
A TEST is a named fact of `judge notebook show --facts` that is present / absent, or a count or share at or
above a threshold (a quantile of its values over the 40 notebooks). Its fact is one whose topic bears on the
dimension, as docs/facts.md's tables say (the learner searches only those; a standard on unrelated evidence,
"mlflow_logging is N/A when there is categorical encoding", is not one it is built to learn). A drawn rule is
kept only when it changes at least MIN_CHANGED of the dimension's labels, so there is something to learn.

For each standard: `judge validate` (4 folds, baseline and both memories, one seed, B = 200), and the changed
dimension's MAE and N/A disagreements (MAE leaves out pairs where one side says N/A) at baseline and with
memory. Printed: one line per standard and, per shape, the mean MAE before and after, how many standards
memory cut by half, and the N/A disagreements summed.

This measures the learner (does it find a rule that is there to find, in folds of 30 notebooks), not the
facts: the standard is written in the fact vocabulary by construction.

Usage: bench/align_standards.py [JUDGE_BINARY] [--standards N] [--seed S]   (default build/release/judge, 20, 0)
"""
import argparse
import csv
import json
import os
import random
import subprocess
import tempfile

from align_made_up_standard import facts_by_notebook, write_labels

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
NOTEBOOKS = os.path.join(DATA, "notebooks")
SHAPES = ["cap", "floor", "set", "na", "conjunction"]
MIN_CHANGED = 5


def fact_topics():
    """(dimension -> topics, fact -> topic), read from docs/facts.md's two tables."""
    dimensions, topic_of = {}, {}
    with open(os.path.join(ROOT, "docs", "facts.md")) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 2 and cells[0] and cells[0] not in ("dimension", "---"):
                dimensions[cells[0]] = [t.strip() for t in cells[1].split(",")]
            elif len(cells) >= 4 and cells[0].startswith("`"):
                topic_of[cells[0].strip("`")] = cells[2]
    return dimensions, topic_of


def draw_test(rng, facts, names):
    """A (text, predicate) test on one of `names` that splits the 40 notebooks into two groups of at least 8."""
    for _ in range(1000):
        name = rng.choice(names)
        values = sorted(f[name] for f in facts.values())
        if values[0] == values[-1]:
            continue
        if set(values) <= {0.0, 1.0}:
            if rng.random() < 0.5:
                text, test = name, (lambda f, n=name: f[n] >= 1)
            else:
                text, test = "not " + name, (lambda f, n=name: f[n] < 1)
        else:
            t = values[rng.randrange(len(values) // 4, 3 * len(values) // 4)]
            if t == values[0]:
                continue
            text, test = f"{name} >= {t:g}", (lambda f, n=name, t=t: f[n] >= t)
        hits = sum(test(f) for f in facts.values())
        if 8 <= hits <= len(facts) - 8:
            return text, test
    raise RuntimeError("no fact splits the notebooks")


def apply(shape, value, score):
    """The team's score (None: N/A) given rater1's (None: N/A)."""
    if shape == "na":
        return None
    if score is None:
        return None  # the team scores what rater1 found applicable only
    if shape in ("cap", "conjunction"):
        return min(score, value)
    if shape == "floor":
        return max(score, value)
    return value


def draw_standard(rng, facts, rows, dimensions_with_na, topics):
    dimension_topics, topic_of = topics
    while True:
        shape = rng.choice(SHAPES)
        dimension = rng.choice(sorted({r["dimension"] for r in rows}))
        if shape == "na" and dimension not in dimensions_with_na:
            continue
        names = sorted(n for n in next(iter(facts.values())) if topic_of.get(n) in dimension_topics[dimension])
        value = {"cap": rng.choice([1, 2]), "floor": rng.choice([2, 3]), "set": rng.choice([1, 2, 3]),
                 "na": None, "conjunction": 1}[shape]
        text, test = draw_test(rng, facts, names)
        if shape == "conjunction":
            text2, test2 = draw_test(rng, facts, names)
            if text2.removeprefix("not ").split(" ")[0] == text.removeprefix("not ").split(" ")[0]:
                continue  # one fact twice
            text, test = f"{text}, {text2}", (lambda f, a=test, b=test2: a(f) and b(f))
        changed = 0
        for r in rows:
            if r["dimension"] != dimension or not test(facts[r["notebook"]]):
                continue
            before = None if r["score"] in ("NA", "") else int(r["score"])
            changed += apply(shape, value, before) != before
        if changed >= MIN_CHANGED:
            action = {"cap": f"score at most {value}", "floor": f"score at least {value}",
                      "set": f"score {value}", "na": "N/A", "conjunction": "score at most 1"}[shape]
            return shape, dimension, f"when {text} -> {action}", test, value, changed


def validate(judge, labels, seed):
    out = subprocess.run([judge, "validate", "--labels", labels, "--notebooks", NOTEBOOKS, "--raters", "team",
                          "--folds", "4", "--seed", str(seed), "--conditions", "baseline,both",
                          "--bootstrap", "200", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def dimension_error(result, condition, dimension):
    """(MAE, N/A disagreements) of `dimension` under `condition`: MAE leaves out pairs where one side says N/A,
    so the disagreements on N/A are counted beside it."""
    for j in result["judges"]:
        if j["judge"] == condition:
            for d in j["dimensions"]:
                if d["dimension"] == dimension:
                    na = d["not_applicable"]
                    return d["mae"] or 0.0, na["judge_na_only"] + na["human_na_only"]  # null: no pair scored
    raise KeyError((condition, dimension))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("judge", nargs="?", default=os.path.join(ROOT, "build", "release", "judge"))
    parser.add_argument("--standards", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    facts = facts_by_notebook(args.judge)
    with open(os.path.join(DATA, "labels", "ml-notebooks.csv"), newline="") as f:
        base = [r for r in csv.DictReader(f) if r["rater"] == "rater1"]
    with_na = {r["dimension"] for r in base if r["score"] == "NA"}
    topics = fact_topics()
    per_shape = {}
    for i in range(args.standards):
        rows = [dict(r, rater="team") for r in base]
        shape, dimension, text, test, value, changed = draw_standard(rng, facts, rows, with_na, topics)
        for r in rows:
            if r["dimension"] == dimension and test(facts[r["notebook"]]):
                before = None if r["score"] in ("NA", "") else int(r["score"])
                after = apply(shape, value, before)
                r["score"] = "NA" if after is None else str(after)
        with tempfile.TemporaryDirectory() as tmp:
            labels = os.path.join(tmp, "team.csv")
            write_labels(labels, rows)
            result = validate(args.judge, labels, args.seed)
        (before, na_before), (after, na_after) = (dimension_error(result, "baseline", dimension),
                                                  dimension_error(result, "both", dimension))
        print(f"{i:2} {shape:11} {dimension:26} {changed:2} changed  MAE {before:.3f} -> {after:.3f}  "
              f"N/A disagreements {na_before:2} -> {na_after:2}  {text}", flush=True)
        per_shape.setdefault(shape, []).append((before, after, na_before, na_after))
    print("\nshape        standards  MAE of the changed dimension (mean)  cut by half  N/A disagreements")
    for shape in SHAPES:
        rows = per_shape.get(shape, [])
        if not rows:
            continue
        b, a = (sum(r[k] for r in rows) / len(rows) for k in (0, 1))
        halved = sum(r[1] <= r[0] / 2 for r in rows)
        print(f"{shape:12} {len(rows):9}  {b:.3f} -> {a:.3f}{'':21}{halved:2} of {len(rows):<4} "
              f"{sum(r[2] for r in rows)} -> {sum(r[3] for r in rows)}")


if __name__ == "__main__":
    main()
