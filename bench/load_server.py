#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measures a loopback LLM server alone: N Chat Completions POSTs of BODY_FILE to http://127.0.0.1:PORT/v1,
JOBS at a time (one asyncio loop; each of the JOBS workers keeps one HTTP/1.1 keep-alive connection, as judge's
threads do, and opens a new one when the server closes it), and prints "N requests in S s (F failed)" on
stdout. Used by bench/llm_scale_bench.sh to tell the server's limit from judge's.

Usage: load_server.py PORT BODY_FILE N JOBS
"""
import asyncio
import sys
import time


async def main(port, body, n, jobs):
    request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    left = n
    failures = 0

    async def one(reader, writer):
        """One request on an open connection: (ok, the server keeps the connection)."""
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length, keep = 0, True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"connection" and value.strip().lower() == b"close":
                keep = False
        await reader.readexactly(length)
        return lines[0].startswith(b"HTTP/1.1 200"), keep

    async def worker():
        nonlocal left, failures
        reader = writer = None
        while left > 0:
            left -= 1
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                ok, keep = await one(reader, writer)
            except (asyncio.IncompleteReadError, ConnectionError):
                ok, keep = False, False
            failures += not ok
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(jobs)))
    seconds = time.monotonic() - start
    print(f"{n} requests in {seconds:.3f} s ({failures} failed)")


if __name__ == "__main__":
    port, body_file, n, jobs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    asyncio.run(main(port, open(body_file, "rb").read(), n, jobs))
