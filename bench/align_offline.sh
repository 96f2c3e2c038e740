#!/bin/sh
# SPDX-License-Identifier: MIT
# Aligning 40 notebooks x 9 dimensions offline (heuristic judge, extractive distiller, hashed TF-IDF), from
# an empty memory each run, whole process (target: under 1 s). Then the incremental rerun (nothing changed).
# Usage: bench/align_offline.sh [JUDGE_BINARY]   (default build/release/judge; needs hyperfine)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
judge=${1:-$here/build/release/judge}
data=$here/../shared/data
mem=$(mktemp -d)
args="align --labels $data/labels/ml-notebooks.csv --notebooks $data/notebooks --memory $mem/m --raters rater1"
hyperfine --warmup 1 --runs 10 --prepare "rm -rf $mem/m" "$judge $args"
"$judge" $args > /dev/null
hyperfine --warmup 1 --runs 10 "$judge $args"
rm -rf "$mem"
