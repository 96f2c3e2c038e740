#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Does aligned memory help the heuristic judge on notebooks it has not seen?

Splits the labelled notebooks in two halves (sorted paths, alternating), builds memory from rater1's labels of
one half with `judge align`, and scores the other half with `judge eval` without and with `--memory`. Prints
per dimension the MAE against rater1 (items both scored), and the N/A agreement, for both directions of the
split (A->B, B->A) and their mean. Usage: bench/align_half_split.py [JUDGE_BINARY] [-k N]
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
LABELS = os.path.join(DATA, "labels", "ml-notebooks.csv")
NOTEBOOKS = os.path.join(DATA, "notebooks")


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def scores(judge, test, memory, k):
    cmd = [judge, "eval", "--format", "jsonl"] + [os.path.join(NOTEBOOKS, nb) for nb in test]
    if memory:
        cmd += ["--memory", memory] + (["-k", str(k)] if k else [])
    out = {}
    for line in run(cmd).splitlines():
        r = json.loads(line)
        rel = os.path.relpath(r["notebook"], NOTEBOOKS)
        out[(rel, r["dimension"])] = r["score"] if r["status"] == "scored" else ("NA" if r["status"] == "not_applicable" else None)
    return out


def measure(pred, truth, dims):
    """Per dimension: (MAE over items both scored, number of such items, N/A status agreement)."""
    res = {}
    for d in dims:
        errs, agree, total = [], 0, 0
        for (nb, dim), h in truth.items():
            if dim != d or (nb, dim) not in pred:
                continue
            p = pred[(nb, dim)]
            total += 1
            agree += (h == "NA") == (p == "NA")
            if h != "NA" and p not in ("NA", None):
                errs.append(abs(float(h) - float(p)))
        res[d] = (sum(errs) / len(errs) if errs else float("nan"), len(errs), agree / total if total else float("nan"))
    return res


def main():
    args = sys.argv[1:]
    k = None
    if "-k" in args:
        i = args.index("-k")
        k = int(args[i + 1])
        del args[i:i + 2]
    judge = args[0] if args else os.path.join(ROOT, "build", "release", "judge")
    rows = [r for r in csv.DictReader(open(LABELS, newline="")) if r["rater"] == "rater1"]
    dims = list(dict.fromkeys(r["dimension"] for r in rows))
    notebooks = sorted({r["notebook"] for r in rows})
    halves = [notebooks[0::2], notebooks[1::2]]
    results = []
    for name, (train, test) in (("A->B", halves), ("B->A", halves[::-1])):
        with tempfile.TemporaryDirectory() as tmp:
            train_csv = os.path.join(tmp, "train.csv")
            with open(train_csv, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
                w.writeheader()
                w.writerows(r for r in rows if r["notebook"] in train)
            memory = os.path.join(tmp, "memory")
            run([judge, "align", "--labels", train_csv, "--notebooks", NOTEBOOKS, "--memory", memory, "--raters", "rater1"])
            truth = {(r["notebook"], r["dimension"]): r["score"] for r in rows if r["notebook"] in test}
            results.append((name, measure(scores(judge, test, None, k), truth, dims),
                            measure(scores(judge, test, memory, k), truth, dims)))
    print("| dimension | " + " | ".join(f"{n} MAE no memory | {n} MAE memory | {n} N/A agree no/with" for n, _, _ in results)
          + " | mean MAE no memory | mean MAE memory |")
    print("|---" * (2 + 3 * len(results) + 1) + "|")
    tot = [0.0, 0.0]
    for d in dims:
        cells, m0, m1 = [], 0.0, 0.0
        for _, base, mem in results:
            cells += [f"{base[d][0]:.2f} (n={base[d][1]})", f"{mem[d][0]:.2f} (n={mem[d][1]})",
                      f"{base[d][2]:.0%} / {mem[d][2]:.0%}"]
            m0 += base[d][0] / len(results)
            m1 += mem[d][0] / len(results)
        tot[0] += m0 / len(dims)
        tot[1] += m1 / len(dims)
        print(f"| {d} | " + " | ".join(cells) + f" | {m0:.2f} | {m1:.2f} |")
    print(f"| **mean** | " + " | ".join([""] * (3 * len(results))) + f" | {tot[0]:.2f} | {tot[1]:.2f} |")


if __name__ == "__main__":
    main()
