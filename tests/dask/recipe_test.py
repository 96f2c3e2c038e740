#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""ctest's test of the Dask recipe (examples/dask/eval_dask.py).

Runs the recipe with a LocalCluster of 4 worker processes, 4 parts, against the loopback LLM server
(tests/fake_llm_server), on ../shared/data/notebooks, and checks that the merged output equals a
single-process `judge eval` run item for item: same records in the same order, each with the same
notebook, dimension, status, score, rationale, token counts (the server counts each prompt's length, so a
record given another notebook's reply would differ), everything but the wall-clock latency_s and the
"shard" the parts add. Also checks that the server answered exactly twice the single run's calls (no item
scored twice, none left out) and that every record of the merge names one of the 4 shards. Then part 2/4
made to fail every try: the recipe exits 1 naming it, and keeps the 3 finished parts on disk.

Usage: tests/dask/recipe_test.py JUDGE_BINARY SOURCE_DIR SHARED_DATA
Exit 77 (a skip for ctest) when python3-distributed or the shared data is missing; with CI=true a failure.
"""
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import urllib.request


def missing(what):
    if os.environ.get("CI") == "true":
        print(f"CI=true, and this test cannot run: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"skipped: {what}", file=sys.stderr)
    sys.exit(77)


def fail(what):
    print(f"FAILED: {what}", file=sys.stderr)
    sys.exit(1)


def records(path, drop=("latency_s", "shard")):
    with open(path, encoding="utf-8") as f:
        out = []
        for line in f:
            if line.strip():
                r = json.loads(line)
                for key in drop:
                    r.pop(key, None)
                out.append(r)
        return out


def failed_part(judge, source, tmp, env, eval_args, want):
    """Part 2/4 fails every try (a judge wrapper that exits 1 for it): the recipe exits 1 naming that part, and
    the 3 finished parts stay on disk, each holding the single run's records of its notebooks."""
    wrapper = os.path.join(tmp, "failing-judge")
    with open(wrapper, "w", encoding="utf-8") as f:
        f.write('#!/bin/sh\ncase " $* " in *" --shard 2/4 "*) echo "judge: error: made to fail" >&2; exit 1;; esac\n'
                f'exec {shlex.quote(judge)} "$@"\n')
    os.chmod(wrapper, 0o755)
    merged = os.path.join(tmp, "merged-failed.jsonl")
    done = subprocess.run([sys.executable, os.path.join(source, "examples/dask/eval_dask.py"),
                           "--judge-binary", wrapper, "--parts", "4", "--workers", "4", "-o", merged,
                           "--", *eval_args], env=env, cwd=source, check=False, capture_output=True, text=True)
    if done.returncode != 1:
        fail(f"with part 2/4 failing, examples/dask/eval_dask.py exited {done.returncode}:\n{done.stderr}")
    if os.path.exists(merged):
        fail("with part 2/4 failing, the recipe wrote the merged file anyway")
    said = re.search(r"1 of 4 parts failed \(2/4\); the 3 finished parts are kept in (\S+)\.", done.stderr)
    if not said or "part 2/4 failed after 1 retry" not in done.stderr or "made to fail" not in done.stderr:
        fail(f"the recipe did not name the failed part and the folder kept:\n{done.stderr}")
    folder = said.group(1)
    if sorted(os.listdir(folder)) != ["part-1-of-4.jsonl", "part-3-of-4.jsonl", "part-4-of-4.jsonl"]:
        fail(f"{folder} holds {sorted(os.listdir(folder))}, not the 3 finished parts")
    kept = [r for k in (1, 3, 4) for r in records(os.path.join(folder, f"part-{k}-of-4.jsonl"))]

    def shard(notebook):  # judge eval --shard's part, docs/scale.md
        return 1 + int.from_bytes(hashlib.sha256(notebook.encode()).digest()[:8], "big") % 4

    key = lambda r: (r["notebook"], r["dimension"])  # noqa: E731
    expected = sorted((r for r in want if shard(r["notebook"]) != 2), key=key)
    if sorted(kept, key=key) != expected:
        fail(f"the kept parts hold {len(kept)} records, not the single run's {len(expected)} of parts 1, 3, 4")
    print(f"ok: part 2/4 failing, the recipe exits 1 naming it and keeps the other 3 parts ({len(kept)} records)")


def main():
    judge, source, shared = sys.argv[1:4]
    try:
        import distributed  # noqa: F401  (the recipe imports it; Debian: python3-distributed)
    except ImportError:
        missing("python3-distributed is not installed (scripts/deps --test installs it)")
    notebooks = os.path.join(shared, "notebooks")
    if not os.path.isdir(notebooks):
        missing(f"shared data not found at {notebooks} (clone the project beside ../shared)")

    server = subprocess.Popen([sys.executable, os.path.join(source, "tests/fake_llm_server/server.py"),
                               "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline().split()[1])
        base = f"http://127.0.0.1:{port}"

        def requests():
            with urllib.request.urlopen(base + "/_stats") as r:
                return json.load(r)["requests"]

        with tempfile.TemporaryDirectory(prefix="dask_recipe_") as tmp:
            env = dict(os.environ, TMPDIR=tmp, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
            eval_args = [notebooks, "--judge", "openai:test-model", "--base-url", base + "/v1",
                         "--cache-mode", "off", "--jobs", "4"]
            single = os.path.join(tmp, "single.jsonl")
            done = subprocess.run([judge, "eval", *eval_args, "--format", "jsonl", "-o", single], env=env,
                                  cwd=source, check=False)
            if done.returncode != 0:
                fail(f"single-process judge eval exited {done.returncode}")
            calls = requests()
            merged = os.path.join(tmp, "merged.jsonl")
            done = subprocess.run([sys.executable, os.path.join(source, "examples/dask/eval_dask.py"),
                                   "--judge-binary", judge, "--parts", "4", "--workers", "4", "-o", merged,
                                   "--", *eval_args], env=env, cwd=source, check=False)
            if done.returncode != 0:
                fail(f"examples/dask/eval_dask.py exited {done.returncode}")
            if requests() != 2 * calls:
                fail(f"the server answered {requests() - calls} calls for the Dask run, {calls} for the single")
            want, got = records(single), records(merged)
            if len(want) != 40 * 9:
                fail(f"the single run has {len(want)} records, not 40 notebooks x 9 dimensions")
            if len(got) != len(want):
                fail(f"merged {len(got)} records, the single run {len(want)}")
            for i, (w, g) in enumerate(zip(want, got)):
                if w != g:
                    fail(f"record {i + 1} differs:\n  single: {json.dumps(w)}\n  merged: {json.dumps(g)}")
            shards = {r.get("shard") for r in records(merged, drop=())}
            if shards != {"1/4", "2/4", "3/4", "4/4"}:  # 40 notebooks: 11, 11, 9 and 9 a part
                fail(f"the merged records name shards {sorted(map(str, shards))}")
            print(f"ok: {len(got)} records from {len(shards)} parts equal the single run's ({calls} calls)")
            failed_part(judge, source, tmp, env, eval_args, want)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
