#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Could any setting of the episodic residual correction help the heuristic judge on unseen notebooks?

Aligns rater1's labels of all 40 shared notebooks once (for the episodes' judge scores and vectors; the
TF-IDF weights then know every notebook, which favours memory), splits the notebooks in two halves like
bench/align_half_split.py, and for each held-out scored item moves the judge's score by the
similarity-weighted mean residual (human - judge) of its top-k training episodes whose cosine similarity is
at least tau, times a weight w, optionally rounded to the scale. Prints the held-out MAE without and with the
correction for every setting, best first. Usage: bench/memory_residual_grid.py [JUDGE_BINARY]
"""
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f][1:]  # the first line is the file header


def cosine(a, b):
    dot = sum(x * b.get(i, 0.0) for i, x in a.items())
    na = math.sqrt(sum(x * x for x in a.values()))
    nb = math.sqrt(sum(x * x for x in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def main():
    judge = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "release", "judge")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([judge, "align", "--labels", os.path.join(DATA, "labels", "ml-notebooks.csv"),
                        "--notebooks", os.path.join(DATA, "notebooks"), "--memory", tmp, "--raters", "rater1"],
                       check=True, capture_output=True)
        episodes = [e for e in read_jsonl(os.path.join(tmp, "episodes.jsonl"))
                    if e["judge"]["status"] == "scored" and e["human_score"] is not None]
        vectors = {v["id"]: dict(zip(v["index"], v["value"])) for v in read_jsonl(os.path.join(tmp, "vectors.jsonl"))}
    notebooks = sorted({e["notebook"] for e in episodes})
    halves = [set(notebooks[0::2]), set(notebooks[1::2])]
    neighbours = {}  # held-out episode id -> training episodes of its dimension, most similar first
    for train, test in ((halves[0], halves[1]), (halves[1], halves[0])):
        for e in episodes:
            if e["notebook"] in test:
                cands = [(cosine(vectors[e["id"]], vectors[o["id"]]), o) for o in episodes
                         if o["notebook"] in train and o["dimension"] == e["dimension"]]
                neighbours[e["id"]] = sorted(cands, key=lambda c: -c[0])
    rows = []
    for tau in (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9):
        for k in (1, 3, 5):
            for w in (0.5, 1.0):
                for rounded in (False, True):
                    base = corrected = 0.0
                    for e in episodes:
                        j = e["judge"]["score"]
                        near = [(s, o) for s, o in neighbours[e["id"]][:k] if s >= tau and s > 0]
                        p = j
                        if near:
                            r = sum(s * (o["human_score"] - o["judge"]["score"]) for s, o in near) / sum(s for s, _ in near)
                            p = j + w * r
                            p = min(3.0, max(1.0, round(p) if rounded else p))
                        base += abs(e["human_score"] - j)
                        corrected += abs(e["human_score"] - p)
                    rows.append((corrected / len(episodes), base / len(episodes), tau, k, w, rounded))
    print(f"{len(episodes)} held-out scored items (both halves)")
    print("| tau | k | w | rounded | MAE no memory | MAE corrected |\n|---|---|---|---|---|---|")
    for corrected, base, tau, k, w, rounded in sorted(rows, key=lambda r: r[0]):
        print(f"| {tau} | {k} | {w} | {'yes' if rounded else 'no'} | {base:.4f} | {corrected:.4f} |")


if __name__ == "__main__":
    main()
