#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Score notebooks on a Dask cluster: `judge eval --shard K/N` on the workers, `judge merge` here.

    python3 examples/dask/eval_dask.py --parts 8 -o merged.jsonl -- notebooks/ --judge openai:gpt-4.1-mini
    python3 examples/dask/eval_dask.py --scheduler tcp://10.0.0.5:8786 --parts 64 -o merged.jsonl \\
        -- /shared/notebooks --judge openai:my-model --base-url http://vllm:8000/v1 --jobs 16

Everything after `--` goes to `judge eval` as it is (paths, --judge, --base-url, --jobs, --memory, ...).
Part K of N is the notebooks whose path hashes to K (judge eval --shard, docs/scale.md), so a part that
fails can be run again alone with the same arguments. Each worker needs the judge binary and the notebooks
at the same paths as here (a shared file system or the same image) and the provider's key in its
environment (OPENAI_API_KEY, ...). Without --scheduler, a LocalCluster of --workers processes on this
machine. A part that fails every retry does not stop the others: each finished part is kept on disk, and
the script names the failed parts and the folder. Exit code: 1 when a part failed, else judge merge's when it
fails, else 4 when some part had unscored items, else 0.
"""
import argparse
import os
import shlex
import subprocess
import sys
import shutil
import tempfile
import uuid


def run_part(judge, eval_args, k, n):
    """Runs `judge eval EVAL_ARGS --shard K/N --format jsonl` on a worker; returns its part."""
    cmd = [judge, "eval", *eval_args, "--shard", f"{k}/{n}", "--format", "jsonl"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 4):  # 4: finished, some items unscored (they are in the output)
        raise RuntimeError(f"part {k}/{n} on {os.uname().nodename}: judge eval exited "
                           f"{done.returncode}:\n{done.stderr}")
    return {"k": k, "code": done.returncode, "jsonl": done.stdout, "stderr": done.stderr}


def part_path(folder, k, n):
    return os.path.join(folder, f"part-{k}-of-{n}.jsonl")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", type=int, required=True, help="N: judge eval --shard K/N for K = 1..N")
    parser.add_argument("--workers", type=int, default=4, help="LocalCluster worker processes (default 4)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--judge-binary", default="judge", help="judge on the workers (default: judge)")
    parser.add_argument("--retries", type=int, default=1, help="times a failed part is run again")
    parser.add_argument("-o", "--output", required=True, help="the merged JSON Lines")
    parser.add_argument("eval_args", nargs="+", help="after --: judge eval's paths and options")
    args = parser.parse_args()
    if args.parts < 1:
        parser.error("--parts must be at least 1")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    for arg in args.eval_args:
        if arg.split("=")[0] in ("-o", "--output", "--shard", "--format"):
            parser.error(f"judge eval's {arg.split('=')[0]} is set by this script (each part goes to "
                         "standard output as JSON Lines); give the merged file with -o before --")
    run_id = uuid.uuid4().hex  # Dask task keys unique to this run, so runs sharing a scheduler never mix

    from dask.distributed import Client, LocalCluster, as_completed  # Debian: python3-distributed

    # Each part is written to the folder as it finishes, so a part that fails every retry (or a merge that
    # fails) loses none of the others: they stay on disk, and only the failed parts are run again.
    folder = tempfile.mkdtemp(prefix="judge-parts-")
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    parts, failed = [], []  # failed: (k, what went wrong)
    try:
        futures = {client.submit(run_part, args.judge_binary, args.eval_args, k, args.parts, pure=False,
                                 retries=args.retries, key=f"judge-eval-{run_id}-{k}-of-{args.parts}"): k
                   for k in range(1, args.parts + 1)}
        for future in as_completed(list(futures)):
            k = futures[future]
            if future.status != "finished":
                failed.append((k, str(future.exception() if future.status == "error" else future.status)))
                continue
            part = future.result()
            for line in part["stderr"].splitlines():
                print(f"[part {k}/{args.parts}] {line}", file=sys.stderr)
            with open(part_path(folder, k, args.parts), "w", encoding="utf-8") as f:
                f.write(part["jsonl"])
            parts.append(part)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    if failed:
        failed.sort()
        for k, what in failed:
            print(f"eval_dask.py: part {k}/{args.parts} failed after {args.retries} "
                  f"{'retry' if args.retries == 1 else 'retries'}: {what}", file=sys.stderr)
        rerun = "\n".join(
            "  " + shlex.join([args.judge_binary, "eval", *args.eval_args, "--shard", f"{k}/{args.parts}",
                               "--format", "jsonl", "-o", part_path(folder, k, args.parts)])
            for k, _ in failed)
        names = ", ".join(f"{k}/{args.parts}" for k, _ in failed)
        print(f"eval_dask.py: {len(failed)} of {args.parts} parts failed ({names}); the {len(parts)} finished "
              f"parts are kept in {folder}. Run the failed parts again:\n{rerun}\nthen merge: judge merge "
              f"--allow-empty {folder}/part-*.jsonl -o {args.output}", file=sys.stderr)
        return 1

    files = [part_path(folder, k, args.parts) for k in range(1, args.parts + 1)]
    # Every part succeeded, so an empty part is a shard that held no notebook (--allow-empty). The parts are
    # kept when the merge fails, so no scored call is lost.
    merged = subprocess.run([args.judge_binary, "merge", "--allow-empty", *files, "-o", args.output],
                            check=False)
    if merged.returncode != 0:
        print(f"eval_dask.py: the parts are kept in {folder}; merge them with judge merge --allow-empty "
              f"{folder}/part-*.jsonl -o FILE once the problem is fixed", file=sys.stderr)
        return merged.returncode
    shutil.rmtree(folder, ignore_errors=True)
    return 4 if any(p["code"] == 4 for p in parts) else 0


if __name__ == "__main__":
    sys.exit(main())
