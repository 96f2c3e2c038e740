#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes a promptfoo config that sends judge's own prompts (the requests of `judge eval --dry-run -o
REQUESTS.jsonl`, one test per request) to an OpenAI-compatible server, for the throughput benchmarks
(bench/llm_eval_bench.sh, bench/llm_scale_bench.sh).

Usage: bench/promptfoo_config.py REQUESTS.jsonl BASE_URL OUT.json DESCRIPTION
"""
import json
import sys

requests, base, out, description = sys.argv[1:5]
tests = []
for line in open(requests):
    r = json.loads(line)
    tests.append({"description": r["notebook"] + " " + ",".join(r["dimensions"]),
                  "vars": {"system": r["messages"][0]["content"], "user": r["messages"][1]["content"]}})
config = {
    "description": description,
    "prompts": ['[{"role": "system", "content": {{ system | dump }}}, {"role": "user", "content": {{ user | dump }}}]'],
    "providers": [{"id": "openai:chat:bench-model",
                   "config": {"apiBaseUrl": base + "/v1", "apiKey": "bench-no-key", "temperature": 0,
                              "max_tokens": 1024}}],
    "tests": tests,
}
json.dump(config, open(out, "w"))
