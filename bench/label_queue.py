#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Does judge label's queue pick notebooks worth labelling? Queue-picked vs random, with a simulated expert.

The expert answers with the rater1 labels of ../shared/data/labels/ml-notebooks.csv (40 notebooks x 9
dimensions). Queue: starting from no labels, ask `judge label --next 1` which (notebook, dimension) is worth
most, label that whole notebook (its 9 rater1 rows), `judge align` on the labels so far (memory for the next
ask), and repeat, 30 notebooks. Random: the same numbers drawn uniformly (20 draws, seeded). For 10, 20 and 30
labelled notebooks: `judge align` on them, `judge eval --memory` (heuristic judge) on the remaining
notebooks, MAE against rater1 over the items both scored (and how often both agree on N/A); the heuristic
without memory on the same held-out notebooks for reference. Prints a Markdown table.

With --rater house the expert answers with ../shared/data/labels/ml-notebooks-house.csv instead (a team's own,
stricter standard, on which memory moves the heuristic judge).

Usage: bench/label_queue.py [JUDGE_BINARY] [--draws N] [--seed S] [--rater rater1|rater2|house]
"""
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
LABELS = {"rater1": os.path.join(DATA, "labels", "ml-notebooks.csv"),
          "rater2": os.path.join(DATA, "labels", "ml-notebooks.csv"),
          "house": os.path.join(DATA, "labels", "ml-notebooks-house.csv")}
RATER = "rater1"  # the simulated expert (main sets it from --rater)
NOTEBOOKS = os.path.join(DATA, "notebooks")
SIZES = (10, 20, 30)


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def write_labels(path, rows, notebooks):
    keep = set(notebooks)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(r for r in rows if r["notebook"] in keep)


def align(judge, labels_csv, memory):
    run([judge, "align", "--labels", labels_csv, "--notebooks", NOTEBOOKS, "--memory", memory, "--raters", RATER])


def scores(judge, notebooks, memory):
    cmd = [judge, "eval", "--format", "jsonl"] + [os.path.join(NOTEBOOKS, nb) for nb in notebooks]
    if memory:
        cmd += ["--memory", memory]
    out = {}
    proc = subprocess.run(cmd, capture_output=True, text=True)  # exit 4 when some items are unscored
    if proc.returncode not in (0, 4):
        raise RuntimeError(proc.stderr)
    for line in proc.stdout.splitlines():
        r = json.loads(line)
        rel = os.path.relpath(r["notebook"], NOTEBOOKS)
        out[(rel, r["dimension"])] = r["score"] if r["status"] == "scored" else ("NA" if r["status"] == "not_applicable" else None)
    return out


def measure(pred, truth):
    """(MAE over items both scored, N/A agreement over items the judge answered)."""
    errs, agree, total = [], 0, 0
    for key, h in truth.items():
        p = pred.get(key)
        if p is None:
            continue
        total += 1
        agree += (h == "NA") == (p == "NA")
        if h != "NA" and p != "NA":
            errs.append(abs(float(h) - float(p)))
    return sum(errs) / len(errs), agree / total


def heldout(judge, rows, train, tmp, tag):
    test = sorted({r["notebook"] for r in rows} - set(train))
    labels_csv = os.path.join(tmp, f"{tag}.csv")
    memory = os.path.join(tmp, f"{tag}-mem")
    write_labels(labels_csv, rows, train)
    align(judge, labels_csv, memory)
    truth = {(r["notebook"], r["dimension"]): r["score"] for r in rows if r["notebook"] in test}
    return measure(scores(judge, test, memory), truth), measure(scores(judge, test, None), truth)


def queue_order(judge, rows, tmp, n):
    picked = []
    labels_csv = os.path.join(tmp, "queue.csv")
    memory = os.path.join(tmp, "queue-mem")
    reasons = []
    while len(picked) < n:
        cmd = [judge, "label", "--notebooks", NOTEBOOKS, "--labels", labels_csv, "--rater", RATER, "--next", "1",
               "--format", "jsonl"]
        if picked:
            cmd += ["--memory", memory]
        item = json.loads(run(cmd).splitlines()[0])
        picked.append(item["notebook"])
        reasons.append(item["reason"])
        write_labels(labels_csv, rows, picked)
        align(judge, labels_csv, memory)
    return picked, reasons


def main():
    global RATER
    args = sys.argv[1:]
    draws, seed = 20, 12
    if "--rater" in args:
        i = args.index("--rater")
        RATER = args[i + 1]
        del args[i:i + 2]
        if RATER not in LABELS:
            sys.exit(f"label_queue.py: --rater must be one of {', '.join(LABELS)}, not {RATER}")
    for flag in ("--draws", "--seed"):
        if flag in args:
            i = args.index(flag)
            value = int(args[i + 1])
            del args[i:i + 2]
            draws, seed = (value, seed) if flag == "--draws" else (draws, value)
    judge = args[0] if args else os.path.join(ROOT, "build", "release", "judge")
    rows = [r for r in csv.DictReader(open(LABELS[RATER], newline="")) if r["rater"] == RATER]
    notebooks = sorted({r["notebook"] for r in rows})
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        order, reasons = queue_order(judge, rows, tmp, max(SIZES))
        print("queue order: " + ", ".join(order), file=sys.stderr)
        for nb, why in list(zip(order, reasons))[:3]:
            print(f"  {nb}: {why}", file=sys.stderr)
        table = []
        for size in SIZES:
            (q_mae, q_na), (q_plain, _) = heldout(judge, rows, order[:size], tmp, f"q{size}")
            maes, nas, plains = [], [], []
            for d in range(draws):
                train = rng.sample(notebooks, size)
                (mae, na), (plain, _) = heldout(judge, rows, train, tmp, f"r{size}-{d}")
                maes.append(mae)
                nas.append(na)
                plains.append(plain)
            table.append((size, q_mae, q_plain, q_na, maes, plains, nas))
    print(f"| labelled notebooks | held-out | queue: MAE with memory (without) | random ({draws} draws): MAE with "
          "memory, mean ± sd [min, max] (without, mean) | queue better than draws | N/A agreement queue / random mean |")
    print("|---|---|---|---|---|---|")
    for size, q_mae, q_plain, q_na, maes, plains, nas in table:
        better = sum(q_mae < m for m in maes)
        print(f"| {size} | {len(notebooks) - size} | {q_mae:.3f} ({q_plain:.3f}) | {statistics.mean(maes):.3f} ± "
              f"{statistics.stdev(maes):.3f} [{min(maes):.3f}, {max(maes):.3f}] ({statistics.mean(plains):.3f}) | "
              f"{better} of {draws} | {q_na:.0%} / {statistics.mean(nas):.0%} |")


if __name__ == "__main__":
    main()
