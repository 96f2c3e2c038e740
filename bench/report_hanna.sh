#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Whole-process benchmark: `judge report --judge chatgpt-prompt1` on HANNA (19,008 labels, 126,720 judge
# scores read, 10,000 bootstrap resamples); target under 1 s. Needs hyperfine and ../shared/data.
# Usage: bench/report_hanna.sh [PATH/TO/judge]   (default build/release/judge)
set -euo pipefail
judge=${1:-build/release/judge}
hanna=${JUDGE_SHARED_DATA:-../shared/data}/judgments/hanna
hyperfine --warmup 1 --runs 10 --export-json /tmp/judge_report_hanna.json \
  "$judge report --labels $hanna/hanna_labels.csv --scores $hanna/hanna_judge_scores.csv --judge chatgpt-prompt1"
mean=$(/usr/bin/python3 -c "import json; print(json.load(open('/tmp/judge_report_hanna.json'))['results'][0]['mean'])")
/usr/bin/python3 -c "import sys; m=float('$mean'); print(f'mean {m*1000:.0f} ms:', 'ok' if m < 1 else 'TOO SLOW (target under 1 s)'); sys.exit(0 if m < 1 else 1)"
