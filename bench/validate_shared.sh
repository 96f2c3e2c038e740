#!/bin/sh
# SPDX-License-Identifier: MIT
# judge validate on the shared labels (40 notebooks x 9 dimensions, 4 folds, 10,000 bootstrap resamples,
# heuristic judge, the four default conditions), whole process, rater1 and mean; then with --learning-curve.
# (The wall times in docs/validate.md were measured with the five conditions of the default before 2026-12-07;
# the calibrated condition makes no judge calls.)
# Usage: bench/validate_shared.sh [JUDGE_BINARY]   (default build/release/judge; needs hyperfine)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
judge=${1:-$here/build/release/judge}
data=$here/../shared/data
args="validate --labels $data/labels/ml-notebooks.csv --notebooks $data/notebooks --folds 4 --bootstrap 10000"
for raters in rater1 mean; do
  hyperfine --warmup 1 --runs 5 "$judge $args --raters $raters"
done
hyperfine --runs 3 "$judge $args --raters rater1 --learning-curve"
