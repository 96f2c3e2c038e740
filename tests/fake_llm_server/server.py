#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A scriptable loopback server that speaks the LLM wire formats, for judge's tests and benchmarks.

Endpoints (see README.md beside this file):
  POST .../chat/completions, .../invocations   OpenAI Chat Completions (also Azure and Databricks paths)
  POST .../messages                            Anthropic Messages
  POST .../embeddings                          OpenAI embeddings
  POST /_script   {"behaviours": [...], "default": {...}, "append": false}   queue canned behaviours
  POST /_reset    forget the script, counters and log
  GET  /_stats    {"requests": N, "by_path": {...}, "max_in_flight": M, "in_flight": K}
  GET  /_last     the last API request: {"method", "path", "query", "headers", "body"}
  GET  /_log      every API request so far, oldest first
Prints "PORT <n>" on stdout once listening (use --port 0 for a free port).
"""
import argparse
import hashlib
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

DEFAULT_CONTENT = '{"score": 3, "rationale": "fake server default reply"}'


class State:
    def __init__(self, default_delay, keep_log=True):
        self.lock = threading.Lock()
        self.keep_log = keep_log
        self.base_default = {"type": "reply", "delay": default_delay}
        self.reset()

    def reset(self):
        self.queue = []
        self.default = dict(self.base_default)
        self.log = []
        self.by_path = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.answering = 0  # API requests between their behaviour's choice and their last byte sent

    def next_behaviour(self, body_text):
        """The first queued behaviour whose "match" (a substring of the request body) fits, else the default."""
        with self.lock:
            chosen = self.default
            for i, b in enumerate(self.queue):
                if "match" not in b or b["match"] in body_text:
                    chosen = self.queue.pop(i)
                    break
            if chosen.get("type") != "exit":
                self.answering += 1  # in the same lock: an exit chosen later waits for this reply
            return chosen


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeLLM/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the tests read /_stats and /_log instead
        pass

    # -- plumbing -------------------------------------------------------------------------------------------
    def send_json(self, status, obj, headers=None):
        self.send_raw(status, json.dumps(obj), headers, "application/json")

    def send_raw(self, status, text, headers=None, content_type="application/json"):
        self.leave_flight()  # before the first byte: a client that got its answer may send the next at once
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        # One request per connection: a client never reuses a connection, so a scripted "drop" always reaches
        # it as a dropped connection (curl silently retries a request whose reused connection died).
        self.send_header("Connection", "close")
        self.close_connection = True
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8", "replace") if length else ""

    def do_GET(self):
        st = self.server.state
        path = urlsplit(self.path).path
        with st.lock:
            if path == "/_stats":
                obj = {"requests": len(st.log), "by_path": dict(st.by_path), "max_in_flight": st.max_in_flight,
                       "in_flight": st.in_flight, "queued": len(st.queue)}
            elif path == "/_last":
                obj = st.log[-1] if st.log and st.log[-1] is not None else {}
            elif path == "/_log":
                obj = [e for e in st.log if e is not None]
            else:
                obj = None
        if obj is None:
            self.send_json(404, {"error": {"message": "no such path " + path}})
        else:
            self.send_json(200, obj)

    def do_POST(self):
        st = self.server.state
        parts = urlsplit(self.path)
        path = parts.path
        body_text = self.read_body()
        if path == "/_reset":
            with st.lock:
                st.reset()
            return self.send_json(200, {"ok": True})
        if path == "/_script":
            script = json.loads(body_text or "{}")
            with st.lock:
                if not script.get("append", False):
                    st.queue = []
                st.queue.extend(script.get("behaviours", []))
                if "default" in script:
                    st.default = dict(script["default"])
            return self.send_json(200, {"ok": True, "queued": len(st.queue)})

        if path.endswith("/chat/completions") or path.endswith("/invocations"):
            api = "openai"
        elif path.endswith("/messages"):
            api = "anthropic"
        elif path.endswith("/embeddings"):
            api = "embeddings"
        else:
            return self.send_json(404, {"error": {"message": "no such path " + path}})

        try:
            body = json.loads(body_text)
        except ValueError:
            body = body_text
        with st.lock:
            entry = {"method": "POST", "path": path, "query": parts.query,
                     "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            st.log.append(entry if st.keep_log else None)  # --no-log: counted, not kept (benchmarks)
            st.by_path[path] = st.by_path.get(path, 0) + 1
            st.in_flight += 1
            st.max_in_flight = max(st.max_in_flight, st.in_flight)
        self.flying = True
        behaviour = st.next_behaviour(body_text)
        if behaviour.get("type") == "exit":
            return self.exit_process()
        try:
            self.behave(api, body if isinstance(body, dict) else {}, behaviour)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer
        finally:
            self.leave_flight()
            with st.lock:
                st.answering -= 1

    def exit_process(self):
        """The "exit" behaviour: the server dies as a killed one would (open connections reset, new ones
        refused), once the replies already being answered are sent, so that exactly the requests before the
        exit were answered."""
        st = self.server.state
        while True:
            with st.lock:
                if st.answering == 0:
                    os._exit(0)
            time.sleep(0.002)

    def leave_flight(self):
        """Counts this request out of in_flight once: when its response starts, or when it ends without one."""
        if getattr(self, "flying", False):
            self.flying = False
            with self.server.state.lock:
                self.server.state.in_flight -= 1

    # -- behaviours ---------------------------------------------------------------------------------------
    def behave(self, api, request, b):
        kind = b.get("type", "reply")
        time.sleep(float(b.get("delay", 0)))
        headers = b.get("headers", {})
        if kind == "drop":  # close the connection without a byte of response
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if kind == "malformed":
            return self.send_raw(200, b.get("body", '{"choices": [ {"message": '), headers)
        if kind == "raw":
            return self.send_raw(int(b.get("status", 200)), b.get("body", ""), headers,
                                 b.get("content_type", "application/json"))
        if kind == "rate_limit":
            if "retry_after" in b:
                headers = dict(headers, **{"Retry-After": b["retry_after"]})
            return self.send_json(429, error_body(api, "rate_limit_error", "Rate limit reached, slow down"), headers)
        if kind == "error":
            status = int(b.get("status", 500))
            message = b.get("message", "The server had an error while processing your request.")
            return self.send_json(status, error_body(api, b.get("error_type", "server_error"), message,
                                                     b.get("code")), headers)
        if api == "embeddings":
            return self.send_json(200, embeddings_reply(request, b), headers)
        if kind == "refusal":
            text = b.get("refusal", "I can't help with that.")
            return self.send_json(200, openai_reply(request, None, b, refusal=text) if api == "openai"
                                  else anthropic_reply(request, text, b, refusal=True), headers)
        content = b.get("content", DEFAULT_CONTENT)
        if not isinstance(content, str):
            content = json.dumps(content)
        if api == "openai":
            return self.send_json(200, openai_reply(request, content, b), headers)
        return self.send_json(200, anthropic_reply(request, content, b), headers)


def error_body(api, error_type, message, code=None):
    if api == "anthropic":
        return {"type": "error", "error": {"type": error_type, "message": message}}
    return {"error": {"message": message, "type": error_type, "param": None, "code": code}}


def usage_of(b, request):
    text = json.dumps(request.get("messages", request.get("input", "")))
    return b.get("usage", {"input": max(1, len(text) // 4), "output": 12})


def openai_reply(request, content, b, refusal=None):
    u = usage_of(b, request)
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": b.get("model", request.get("model", "fake-model")),
        "choices": [{"index": 0, "finish_reason": b.get("finish_reason", "stop"),
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": u["input"], "completion_tokens": u["output"],
                  "total_tokens": u["input"] + u["output"]},
    }


def anthropic_reply(request, content, b, refusal=False):
    u = usage_of(b, request)
    choice = request.get("tool_choice") or {}
    blocks, stop = [{"type": "text", "text": content}], "end_turn"
    if refusal:
        stop = "refusal"
    elif choice.get("type") == "tool" and not b.get("as_text", False):
        try:
            blocks = [{"type": "tool_use", "id": "toolu_fake", "name": choice.get("name", ""),
                       "input": json.loads(content)}]
            stop = "tool_use"
        except ValueError:
            pass  # not JSON: answer with text, as a model that ignored the tool would
    return {"id": "msg_fake", "type": "message", "role": "assistant",
            "model": b.get("model", request.get("model", "fake-model")), "content": blocks,
            "stop_reason": b.get("stop_reason", stop), "stop_sequence": None,
            "usage": {"input_tokens": u["input"], "output_tokens": u["output"]}}


def embeddings_reply(request, b):
    """Deterministic vectors: bytes of sha256(text), scaled to [-1, 1), `dimensions` long (default 8)."""
    inputs = request.get("input", [])
    if isinstance(inputs, str):
        inputs = [inputs]
    dims = int(request.get("dimensions") or b.get("dimensions", 8))
    data = []
    for i, text in enumerate(inputs):
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        while len(digest) < dims:
            digest += hashlib.sha256(digest).digest()
        data.append({"object": "embedding", "index": i, "embedding": [(x - 128) / 128 for x in digest[:dims]]})
    if b.get("reverse", False):
        data.reverse()
    tokens = sum(max(1, len(t) // 4) for t in inputs)
    return {"object": "list", "data": data, "model": request.get("model", "fake-embedding"),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many concurrent clients connect at once (--jobs 16 and more)

    def handle_error(self, request, client_address):
        pass  # a client that hung up is not an error worth printing


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every default reply")
    parser.add_argument("--no-log", action="store_true",
                        help="count requests but keep no log (/_last, /_log empty): long benchmark runs")
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.delay, keep_log=not args.no_log)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
