#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Whole-process benchmark: `judge report` on N synthetic eval records (default 5k, 10k, 20k, 40k, 80k), made
# from the offline judge's real records of ../shared/data/notebooks (40 notebooks x 9 dimensions) copied
# under many project folders, with the two raters' labels of ml-notebooks.csv on every other copy. Two cases
# a size:
# - matched: every labelled notebook was scored (a few typo'd labels match none);
# - shard:   file names unique per copy and a quarter of the labelled copies unscored (the scores of one
#            judge eval --shard against the whole labels file): thousands of labels without a score, each
#            with a did-you-mean.
# Each run is timed once, default table output and --format json, 10,000 bootstrap resamples (the default).
# Target: 80k records in a few seconds (Release build) and time growing about linearly with N.
# Generated files live in a temporary folder, removed on exit.
#
# Usage: bench/report_scale.sh [PATH/TO/judge [N ...]]   (default build/release/judge; JUDGE_SHARED_DATA
#        overrides ../shared/data)
set -euo pipefail
judge=${1:-build/release/judge}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 10000 20000 40000 80000)
data=${JUDGE_SHARED_DATA:-../shared/data}
python=/usr/bin/python3
[ -x "$judge" ] || { echo "bench: $judge not found (cmake --build --preset release --target judge)" >&2; exit 1; }
[ -d "$data/notebooks" ] || { echo "bench: $data/notebooks not found" >&2; exit 1; }
work=$(mktemp -d /tmp/judge_report_scale.XXXXXX)
trap 'rm -rf "$work"' EXIT

judge=$(realpath "$judge")
(cd "$data/notebooks" && "$judge" eval --judge heuristic --format jsonl ipynb databricks >"$work/real.jsonl")

cat >"$work/gen.py" <<'EOF'
import csv, json, sys
real = [json.loads(l) for l in open(sys.argv[1])]
human = list(csv.DictReader(open(sys.argv[2], newline="")))
n, out, shard = int(sys.argv[3]), sys.argv[4], sys.argv[5] == "shard"
by_nb = {}
for l in human:
    by_nb.setdefault(l["notebook"], []).append(l)
def name(k, nb):
    folder = f"team{k % 37:02d}/proj{k:05d}"
    if shard:
        d, f = nb.rsplit("/", 1)
        nb = f"{d}/p{k}_{f}"
    return folder + "/" + nb
with open(out + ".jsonl", "w") as s, open(out + ".csv", "w", newline="") as lf:
    w = csv.writer(lf)
    w.writerow(["notebook", "dimension", "rater", "score", "feedback"])
    written = k = 0
    while written < n:
        if not (shard and k % 4 == 2):
            for r in real[: n - written]:
                s.write(json.dumps(dict(r, notebook=name(k, r["notebook"])), separators=(",", ":")) + "\n")
                written += 1
        if k % 2 == 0:
            for nb, ls in by_nb.items():
                for l in ls:
                    w.writerow([name(k, nb), l["dimension"], l["rater"], l["score"], l["feedback"]])
        k += 1
    for k in range(0, min(k, 40), 2):  # labels of no scored notebook: a typo
        w.writerow([f"team{k % 37:02d}/proj{k:05d}/ipynb/tytanic.ipynb", "model_training", "rater1", "2", "x"])
EOF

seconds() { "$python" -c 'import subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(f"{time.perf_counter() - t:.2f}")' "$@"; }

printf "%-8s %8s %9s %9s\n" case records table_s json_s
for n in "${sizes[@]}"; do
  for case in matched shard; do
    "$python" "$work/gen.py" "$work/real.jsonl" "$data/labels/ml-notebooks.csv" "$n" "$work/$case$n" "$case"
    table=$(seconds "$judge" report --scores "$work/$case$n.jsonl" --labels "$work/$case$n.csv")
    json=$(seconds "$judge" report --scores "$work/$case$n.jsonl" --labels "$work/$case$n.csv" --format json)
    printf "%-8s %8d %9s %9s\n" "$case" "$n" "$table" "$json"
    rm -f "$work/$case$n".*
  done
done
