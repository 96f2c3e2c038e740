#!/bin/sh
# SPDX-License-Identifier: MIT
# Does memory aligned on the 40 shared notebooks' house labels carry to 12 notebooks none of our code had seen
# (bench/unseen/README.md, docs/validate.md)? Heuristic judge:
#   1. judge eval of bench/unseen/notebooks without memory (the baseline); here, as in step 3, exit 4 (some
#      items unscored) goes on, saying how many records were unscored; any other failure stops the script;
#   2. judge align on ../shared/data's 40 notebooks and their house labels (--raters house);
#   3. judge eval --memory of the 12 (named heuristic+memory);
#   4. judge report of the baseline, then judge report --compare of the aligned run against it, both against
#      bench/unseen/labels.csv (rater house_inferred, B = 10,000, seed 0), as Markdown on stdout.
# Every file is written to a temporary folder, removed at the end; nothing in the repository changes. JUDGE_*
# variables are ignored (JUDGE_SHARED_DATA aside) and the runs start in the temporary folder, so no judge.yaml
# is read: the figures depend on the binary and the data alone.
# Usage: bench/align_unseen.sh [JUDGE_BINARY]   (default build/release/judge; JUDGE_SHARED_DATA overrides
# ../shared/data)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
judge=${1:-$here/build/release/judge}
case $judge in /*) ;; *) judge=$PWD/$judge ;; esac
data=${JUDGE_SHARED_DATA:-$here/../shared/data}
case $data in /*) ;; *) data=$PWD/$data ;; esac
unseen=$here/bench/unseen
[ -x "$judge" ] || { echo "bench: $judge is not an executable (build it, or give JUDGE_BINARY)" >&2; exit 1; }
[ -f "$data/labels/ml-notebooks-house.csv" ] || { echo "bench: $data/labels/ml-notebooks-house.csv not found" >&2; exit 1; }
for v in $(env | sed -n 's/^\(JUDGE_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$tmp"

report() {
  "$judge" report --labels "$unseen/labels.csv" --raters house_inferred --bootstrap 10000 --seed 0 \
    --format markdown "$@"
}

# judge eval ARGS... -o OUT (OUT first here). Exit 4 (some items unscored) is an outcome, not an error: the
# unscored records are counted, said, and left out of the report as it leaves them out; any other non-zero
# exit stops the script with that code.
eval_to() {
  out=$1
  shift
  status=0
  "$judge" eval "$@" --format jsonl -o "$out" || status=$?
  case $status in
    0) ;;
    4)
      unscored=$(grep -c '"status": *"unscored"' "$out" || :)
      echo "bench: $out: $unscored record(s) unscored (judge eval exit 4), left out of the report" >&2
      ;;
    *) exit "$status" ;;
  esac
}

eval_to baseline.jsonl "$unseen/notebooks" --judge heuristic
"$judge" align --labels "$data/labels/ml-notebooks-house.csv" --notebooks "$data/notebooks" --raters house \
  --judge heuristic --memory memory >&2
eval_to aligned.jsonl "$unseen/notebooks" --memory memory --name heuristic+memory
report --scores baseline.jsonl
echo
report --scores baseline.jsonl --scores aligned.jsonl --judge heuristic+memory --compare heuristic
