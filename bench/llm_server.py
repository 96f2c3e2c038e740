#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A fast loopback OpenAI-compatible server for throughput benchmarks (bench/llm_scale_bench.sh): every
Chat Completions POST is answered after --delay seconds with the reply tests/fake_llm_server/server.py gives by
default (the same JSON: a score of 3 and a rationale, usage counted as request bytes / 4), over HTTP/1.1
keep-alive connections.

Why not tests/fake_llm_server/server.py: that one is http.server with a thread per request, closing every
connection (so that its scripted "drop" reaches the client as a dropped connection); on 2 shared cores it tops
out at 530 to 590 requests a second, below the 640 that --jobs 128 at 200 ms needs. This one is one asyncio
loop, a Protocol per connection (no streams), a minimal HTTP/1.1 request parser (request line, headers,
Content-Length body; no chunked bodies) and a timer per reply: a few tens of microseconds of CPU a request.
It has no script, no log and no other API: it answers what judge's OpenAI provider (src/llm/openai.cpp) sends.

Endpoints:
  POST .../chat/completions, .../invocations   OpenAI Chat Completions: the default reply after --delay
  POST /_reset    forget the counters
  GET  /_stats    {"requests": N, "max_in_flight": M, "in_flight": K}
Anything else: 404 with an OpenAI error body. Prints "PORT <n>" on stdout once listening (--port 0: a free port).
"""
import argparse
import asyncio
import collections
import json
import socket
import sys
import time

CONTENT = '{"score": 3, "rationale": "fake server default reply"}'


class Counters:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0


def response(status, body, reason=b"OK"):
    return (b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % (status, reason, len(body))) + body


def chat_reply(model, prompt_tokens):
    return json.dumps({
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": CONTENT, "refusal": None}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 12, "total_tokens": prompt_tokens + 12},
    }).encode()


def model_of(body):
    """The request's "model" without parsing the whole body (a prompt is kilobytes of JSON)."""
    at = body.find(b'"model"')
    if at < 0:
        return "fake-model"
    start = body.find(b'"', body.find(b":", at) + 1)
    end = body.find(b'"', start + 1)
    return body[start + 1:end].decode("utf-8", "replace") if start >= 0 and end > start else "fake-model"


class Connection(asyncio.Protocol):
    """One client connection: requests are parsed as their bytes arrive and answered in order (a client may
    pipeline; curl does not)."""

    def __init__(self, counters, delay, loop):
        self.counters, self.delay, self.loop = counters, delay, loop
        self.buffer = bytearray()
        self.transport = None
        self.pending = collections.deque()  # [reply] cells in request order; [None] while its delay runs
        self.closed = False

    def connection_made(self, transport):
        self.transport = transport
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc):
        self.closed = True

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).split(b"\r\n")
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4:end + 4 + length])
            del self.buffer[:end + 4 + length]
            method, _, rest = head[0].partition(b" ")
            self.handle(method, rest.partition(b" ")[0].split(b"?")[0], body)

    def handle(self, method, path, body):
        c = self.counters
        slot = [None]
        self.pending.append(slot)
        if method == b"POST" and (path.endswith(b"/chat/completions") or path.endswith(b"/invocations")):
            c.requests += 1
            c.in_flight += 1
            c.max_in_flight = max(c.max_in_flight, c.in_flight)
            reply = response(200, chat_reply(model_of(body), max(1, len(body) // 4)))
            self.loop.call_later(self.delay, self.answer, slot, reply, True)
            return
        if method == b"GET" and path == b"/_stats":
            reply = response(200, json.dumps({"requests": c.requests, "max_in_flight": c.max_in_flight,
                                              "in_flight": c.in_flight}).encode())
        elif method == b"POST" and path == b"/_reset":
            c.reset()
            reply = response(200, b'{"ok": true}')
        else:
            reply = response(404, json.dumps({"error": {"message": "no such path " + path.decode(
                "utf-8", "replace"), "type": "invalid_request_error", "param": None, "code": None}}).encode(),
                b"Not Found")
        self.answer(slot, reply, False)

    def answer(self, slot, reply, counted):
        if counted:
            self.counters.in_flight -= 1
        slot[0] = reply
        while self.pending and self.pending[0][0] is not None:
            data = self.pending.popleft()[0]
            if not self.closed:
                self.transport.write(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every reply")
    args = parser.parse_args()

    async def serve():
        loop = asyncio.get_running_loop()
        counters = Counters()
        server = await loop.create_server(lambda: Connection(counters, args.delay, loop), "127.0.0.1", args.port,
                                          backlog=1024)
        print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
