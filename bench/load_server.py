#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measures the loopback LLM server alone: N Chat Completions POSTs of BODY_FILE to http://127.0.0.1:PORT/v1,
JOBS at a time (one asyncio loop, one connection per request as the server closes each), and prints
"N requests in S s" on stdout. Used by bench/llm_scale_bench.sh to tell the server's limit from judge's.

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

    async def worker():
        nonlocal left, failures
        while left > 0:
            left -= 1
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            reply = await reader.read()  # the server closes the connection after its reply
            if not reply.startswith(b"HTTP/1.1 200"):
                failures += 1
            writer.close()

    start = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(jobs)))
    seconds = time.monotonic() - start
    print(f"{n} requests in {seconds:.3f} s ({failures} failed)")


if __name__ == "__main__":
    port, body_file, n, jobs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    asyncio.run(main(port, open(body_file, "rb").read(), n, jobs))
