"""The client SDK: retries against a real local server answering 429, 503, then 200; batching,
flush on close and at exit, the trace() context manager, the async client, against the service."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from workbench.trace_eval.client import AsyncTraceClient, TraceAPIError, TraceClient


@pytest.fixture
def flaky():
    """A real HTTP server on 127.0.0.1: 429 (Retry-After: 1), then 503, then 200 per path."""
    seen: list[tuple[float, str, str]] = []
    script = {"codes": [429, 503, 200]}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((time.monotonic(), self.path, self.headers.get("X-API-Key")))
            code = script["codes"].pop(0) if script["codes"] else 200
            self.send_response(code)
            if code == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            n = len(json.loads(body)) if body.startswith(b"[") else 1
            answer = {"trace_id": "t"} if self.path == "/v1/traces" else {
                "accepted": n, "rejected": 0,
                "items": [{"index": i, "status": "accepted", "trace_ids": [f"t{i}"]}
                          for i in range(n)]}
            self.wfile.write(json.dumps(answer if code == 200 else {"error": "busy"}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen, script
    server.shutdown()


def test_retries_429_then_503_then_200(flaky):
    url, seen, _ = flaky
    with TraceClient(url, "k", backoff_base=0.05, seed=1) as c:
        t0 = time.monotonic()
        assert c.submit({"prompt": "a", "response": "b"}) == {"trace_id": "t"}
    assert [p for _, p, _ in seen] == ["/v1/traces"] * 3
    assert all(k == "k" for *_, k in seen)
    assert seen[1][0] - seen[0][0] >= 1.0          # Retry-After: 1 honoured
    assert seen[2][0] - seen[1][0] < 1.0           # 503 without Retry-After: short backoff
    assert time.monotonic() - t0 < 5


def test_retries_run_out_and_4xx_is_not_retried(flaky):
    url, seen, script = flaky
    script["codes"] = [503] * 10
    with TraceClient(url, "k", max_retries=2, backoff_base=0.01) as c, \
            pytest.raises(TraceAPIError) as err:
        c.submit({"prompt": "a", "response": "b"})
    assert err.value.status == 503 and len(seen) == 3
    seen.clear()
    script["codes"] = [422, 200]
    with TraceClient(url, "k", backoff_base=0.01) as c, pytest.raises(TraceAPIError) as err:
        c.submit({"prompt": "a", "response": "b"})
    assert err.value.status == 422 and len(seen) == 1


def test_connection_errors_are_retried():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with TraceClient(f"http://127.0.0.1:{port}", "k", max_retries=2, backoff_base=0.01) as c:
        t0 = time.monotonic()
        with pytest.raises(TraceAPIError, match="ConnectError"):
            c.submit({"prompt": "a", "response": "b"})
    assert time.monotonic() - t0 < 3


def test_async_client_retries(flaky):
    url, seen, _ = flaky

    async def go():
        async with AsyncTraceClient(url, "k", backoff_base=0.05) as c:
            return await c.submit_batch([{"prompt": "a", "response": "b"}] * 3)

    answer = asyncio.run(go())
    assert answer["accepted"] == 3 and len(seen) == 3


def test_background_batching_and_trace_block(server, keys):
    c = TraceClient(server.url, keys["acme"], batch_size=20, flush_interval=0.2)
    for i in range(45):
        c.enqueue({"trace_id": f"bg-{i}", "prompt": f"q{i}", "response": f"a{i}"})
    with c.trace("What is 2+2?", model="gpt-4o-mini", metadata={"feature": "calc"}) as t:
        time.sleep(0.02)
        t.response = "4"
    with pytest.raises(ZeroDivisionError), c.trace("divide", trace_id="boom"):
        raise ZeroDivisionError
    assert c.flush(30)
    c.close()
    assert c.sent == 47 and not c.failed
    c2 = TraceClient(server.url, keys["acme"])
    stored = c2.get_trace(t.trace_id)
    assert stored["model"] == "gpt-4o-mini" and stored["response"] == "4"
    assert stored["latency_ms"] >= 20 and stored["started_at"]
    assert json.loads(stored["metadata"]) == {"feature": "calc"}
    assert json.loads(c2.get_trace("boom")["metadata"]) == {"error": "ZeroDivisionError"}
    assert c2.get_trace("bg-44")["prompt"] == "q44"
    with pytest.raises(TraceAPIError) as err:
        c2.get_trace("never")
    assert err.value.status == 404
    c2.close()


def test_flush_at_exit(server, keys):
    code = ("from workbench.trace_eval.client import TraceClient\n"
            f"c = TraceClient({server.url!r}, {keys['acme']!r}, flush_interval=60)\n"
            "for i in range(7):\n"
            "    c.enqueue({'trace_id': f'exit-{i}', 'prompt': 'p', 'response': 'r'})\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       check=False)
    assert r.returncode == 0, r.stderr
    got = [httpx.get(f"{server.url}/v1/traces/exit-{i}", headers={"X-API-Key": keys["acme"]})
           .status_code for i in range(7)]
    assert got == [200] * 7


def test_async_background_and_trace(server, keys):
    async def go():
        async with AsyncTraceClient(server.url, keys["acme"], batch_size=5,
                                    flush_interval=0.1) as c:
            for i in range(12):
                c.enqueue({"trace_id": f"as-{i}", "prompt": "p", "response": "r"})
            async with c.trace("hello", model="m1", trace_id="as-trace") as t:
                t.response = "hi"
        return c

    c = asyncio.run(go())
    assert c.sent == 13 and not c.failed
    r = httpx.get(f"{server.url}/v1/traces/as-trace", headers={"X-API-Key": keys["acme"]})
    assert r.json()["response"] == "hi"
