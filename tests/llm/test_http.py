"""The real HTTP path: `llm`'s OpenAI model, configured as an extra OpenAI-compatible model, talks
to a small OpenAI-compatible server on 127.0.0.1 that answers, rate-limits, fails and stalls."""
from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workbench.llm import Task, run_task, run_tasks
from workbench.llm.providers import forget_models

SCHEMA = {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]}
TASK = Task(name="http_kind", version="1", prompt="Classify {host}.", schema=SCHEMA,
            offline=lambda inputs: {"kind": "offline-rule"})


class FakeOpenAI(ThreadingHTTPServer):
    """An OpenAI-compatible chat completions endpoint driven by a script of behaviours."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script: deque = deque()
        self.default = ("ok", {"kind": "ai"})
        self.requests: list[dict] = []
        self.times: list[float] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        server: FakeOpenAI = self.server  # type: ignore[assignment]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append({"path": self.path, "body": body})
        server.times.append(time.monotonic())
        kind, arg = server.script.popleft() if server.script else server.default
        try:
            if kind == "429":
                self._send(429, {"error": {"message": "slow down", "type": "rate_limit"}},
                           {"Retry-After": str(arg)})
            elif kind == "500":
                self._send(500, {"error": {"message": "boom", "type": "server_error"}})
            elif kind == "stall":
                time.sleep(arg)
                self._send(200, _completion({"kind": "late"}))
            else:
                self._send(200, _completion(arg))
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: expected on stall
            pass


def _completion(answer: dict) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "local-test",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps(answer)}}],
        "usage": {"prompt_tokens": 31, "completion_tokens": 7, "total_tokens": 38},
    }


@pytest.fixture
def server(llm_home):
    srv = FakeOpenAI()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = srv.server_address[1]
    (llm_home / "extra-openai-models.yaml").write_text(
        f"- model_id: local-test\n  model_name: local-test\n"
        f"  api_base: http://127.0.0.1:{port}/v1\n")
    forget_models()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def http_settings(settings):
    return dataclasses.replace(settings, llm_timeout_s=0.5, llm_max_retries=2)


def test_answer_over_http_with_reported_usage(server, http_settings, ledger):
    r = run_task(TASK, {"host": "mail bob.smith@example.com"}, model="local-test",
                 settings=http_settings)
    assert (r.status, r.output, r.attempts, r.tokens_in, r.tokens_out) == (
        "ok", {"kind": "ai"}, 1, 31, 7)
    (req,) = server.requests
    assert req["path"] == "/v1/chat/completions" and req["body"]["model"] == "local-test"
    sent = json.dumps(req["body"])
    assert "bob.smith@example.com" not in sent and "EMAIL_ADDRESS" in sent
    row = ledger("llm_call")[0]
    assert (row["provider"], row["model"], row["tokens_in"]) == ("openai-compatible",
                                                                  "local-test", 31)


def test_429_retry_after_is_honoured(server, http_settings, ledger):
    server.script.extend([("429", 1), ("ok", {"kind": "ai"})])
    r = run_task(TASK, {"host": "h1"}, model="local-test", settings=http_settings)
    assert (r.status, r.attempts) == ("ok", 2)
    assert len(server.requests) == 2  # the OpenAI client's own retries are off
    assert server.times[1] - server.times[0] >= 0.95
    first = ledger("llm_call")[0]
    assert first["error_code"] == "RATE_LIMIT" and json.loads(first["detail"])["retry_after"] == 1


def test_500_is_retried(server, http_settings):
    server.script.extend([("500", None), ("500", None), ("ok", {"kind": "x"})])
    r = run_task(TASK, {"host": "h2"}, model="local-test", settings=http_settings)
    assert (r.status, r.output, r.attempts) == ("ok", {"kind": "x"}, 3)
    assert len(server.requests) == 3


def test_stall_past_the_timeout(server, http_settings, ledger):
    server.script.extend([("stall", 2.0), ("ok", {"kind": "y"})])
    t0 = time.perf_counter()
    r = run_task(TASK, {"host": "h3"}, model="local-test", settings=http_settings)
    assert time.perf_counter() - t0 < 1.8
    assert (r.status, r.output, r.attempts) == ("ok", {"kind": "y"}, 2)
    assert ledger("llm_call")[0]["error_code"] == "TIMEOUT"


def test_persistent_5xx_falls_back_to_offline_then_is_cached_once_up(server, http_settings):
    server.default = ("500", None)
    r = run_task(TASK, {"host": "h4"}, model="local-test,offline", settings=http_settings)
    assert (r.status, r.output, r.attempts) == ("offline", {"kind": "offline-rule"}, 3)
    assert "local-test: TRANSIENT_ERROR" in r.message
    server.default = ("ok", {"kind": "ai"})
    again = run_task(TASK, {"host": "h4"}, model="local-test,offline", settings=http_settings)
    assert again.status == "ok"  # an offline fallback is not remembered as a failure


def test_batch_over_http(server, http_settings):
    rs = run_tasks(TASK, [{"host": f"h{i}"} for i in range(6)], model="local-test",
                   concurrency=3, settings=http_settings)
    assert [r.status for r in rs] == ["ok"] * 6 and len(server.requests) == 6
