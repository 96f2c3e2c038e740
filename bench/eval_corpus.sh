#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Whole-process benchmark: `judge eval` (Release build, JSON Lines to /dev/null) on every file of
# ../shared/data/notebooks and ../shared/data/edge, against Debian's python3-nbformat merely reading the same
# .ipynb files (nbformat.read(f, as_version=4), timed inside Python, so without interpreter start-up).
# Targets (issue 2): judge eval under 0.5 s, and faster than nbformat.
#
# Usage: bench/eval_corpus.sh [RUNS]     (RUNS defaults to 20; JUDGE_SHARED_DATA overrides ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
data="${JUDGE_SHARED_DATA:-../shared/data}"
python=/usr/bin/python3
[ -d "$data/notebooks" ] && [ -d "$data/edge" ] || { echo "bench: $data/notebooks and $data/edge not found" >&2; exit 1; }

cmake --preset release >/dev/null
cmake --build --preset release --target judge >/dev/null
judge=build/release/judge
cmd=("$judge" eval "$data/notebooks" "$data/edge" --format jsonl)

# One run first: exit code and how much was read (stderr lists skipped files).
set +e
records=$("${cmd[@]}" 2>/tmp/judge_bench_stderr.$$ | wc -l)
status=${PIPESTATUS[0]}
set -e
echo "judge eval: exit code $status, $records records, $(grep -c 'skipped' /tmp/judge_bench_stderr.$$ || true) files skipped"
rm -f /tmp/judge_bench_stderr.$$

# Mean wall time of the whole process, in seconds.
if command -v hyperfine >/dev/null; then
  json=$(mktemp)
  hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$json" "$(printf '%q ' "${cmd[@]}")" >/dev/null
  judge_s=$("$python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["mean"], r["stddev"] or 0))' "$json")
  rm -f "$json"
else
  start=$(date +%s.%N)
  for _ in $(seq "$runs"); do "${cmd[@]}" >/dev/null 2>&1 || true; done
  judge_s="$(echo "($(date +%s.%N) - $start) / $runs" | bc -l | xargs printf '%.4f') ?"
fi

# nbformat reading the same .ipynb files: best and mean of 5 passes, timed inside Python.
nbformat_s=$("$python" - "$data/notebooks" "$data/edge" <<'EOF'
import os, sys, time, warnings
try:
    import nbformat
except ImportError:
    print("unavailable 0 0"); sys.exit(0)
files = sorted(os.path.join(d, f) for root in sys.argv[1:] for d, _, fs in os.walk(root) for f in fs
               if f.endswith(".ipynb"))
times = []
for _ in range(5):
    start = time.perf_counter()
    ok = 0
    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nbformat.read(path, as_version=4)
            ok += 1
        except Exception:
            pass
    times.append(time.perf_counter() - start)
print(f"{sum(times) / len(times):.4f} {min(times):.4f} {len(files)} {ok}")
EOF
)

read -r judge_mean judge_sd <<<"$judge_s"
read -r nb_mean nb_best nb_files nb_ok <<<"$nbformat_s"
echo "judge eval (whole process, mean of $runs runs):   ${judge_mean} s  (sd ${judge_sd})"
echo "nbformat.read ($nb_ok of $nb_files .ipynb, mean of 5): ${nb_mean} s  (best ${nb_best})"
"$python" - "$judge_mean" "$nb_mean" <<'EOF'
import sys
judge, nb = float(sys.argv[1]), sys.argv[2]
print(f"target judge eval < 0.5 s: {'met' if judge < 0.5 else 'MISSED'}")
if nb != "unavailable":
    print(f"target faster than nbformat: {'met' if judge < float(nb) else 'MISSED'} ({float(nb) / judge:.1f}x)")
EOF
