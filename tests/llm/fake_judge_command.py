#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A command-provider program for tests (docs/command-protocol.md). The first argument picks what it does:
  reply      reads the request, answers {"content": <JSON of what it saw>, "model": "fake-command", "usage"}
  error      answers {"error": {"kind": argv[2], "message": "backend said no", "retry_after_seconds": 3}}
  exit       prints "boom <OPENAI_API_KEY>" on stderr and exits with status argv[2]
  garbage    prints something that is not JSON and exits 0
  sleep      sleeps argv[2] seconds (its child too, to test that the whole group is killed), then replies
  noread     answers without reading stdin
  signal     kills itself with SIGKILL
"""
import json
import os
import signal
import subprocess
import sys
import time

mode = sys.argv[1]
if mode == "noread":
    print(json.dumps({"content": "did not read"}))
    sys.exit(0)
request = json.loads(sys.stdin.read())
if mode == "reply":
    seen = {"protocol": request["protocol"], "roles": [m["role"] for m in request["messages"]],
            "last": request["messages"][-1]["content"], "temperature": request["temperature"],
            "max_tokens": request["max_tokens"], "seed": request["seed"],
            "has_schema": request["response_schema"] is not None, "schema_name": request["schema_name"],
            "args": sys.argv[2:]}
    print(json.dumps({"content": json.dumps(seen), "model": "fake-command",
                      "usage": {"input_tokens": 11, "output_tokens": 22}}))
elif mode == "error":
    print(json.dumps({"error": {"kind": sys.argv[2], "message": "backend said no", "retry_after_seconds": 3}}))
elif mode == "exit":
    print("boom " + os.environ.get("OPENAI_API_KEY", ""), file=sys.stderr)
    sys.exit(int(sys.argv[2]))
elif mode == "garbage":
    print("Sure! The score is 4.")
elif mode == "sleep":
    subprocess.Popen(["/bin/sleep", sys.argv[2]])
    time.sleep(float(sys.argv[2]))
    print(json.dumps({"content": "late"}))
elif mode == "signal":
    os.kill(os.getpid(), signal.SIGKILL)
