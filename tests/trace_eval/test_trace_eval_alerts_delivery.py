"""Alert delivery against real local servers: an HTTP server and an aiosmtpd SMTP server."""
from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
from collections import deque
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import polars as pl
import pytest
from aiosmtpd.controller import Controller

from workbench.pii.guard import findings_in
from workbench.pipelines.trace_eval.alerts import (
    LOG_SCHEMA,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    ChannelsConfig,
    DuckDBState,
    JsonFileState,
    MemoryState,
    dispatch,
    evaluate_alerts,
    load_rules,
    parse_rules,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SECRET = "test-secret-0123456789abcdef"


# --- real servers ----------------------------------------------------------------------------

class Hooks:
    """A loopback HTTP server recording every POST and answering from per-path scripts."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.scripts: dict[str, deque] = {}
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sig = self.headers.get(SIGNATURE_HEADER, "")
                good = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                hooks.requests.append({"path": self.path, "headers": dict(self.headers),
                                       "body": body, "json": json.loads(body),
                                       "verified": hmac.compare_digest(sig, good)})
                script = hooks.scripts.get(self.path)
                status, headers = script.popleft() if script else (200, {})
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def script(self, path: str, *answers: tuple[int, dict]) -> None:
        self.scripts[path] = deque(answers)

    def at(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]


@pytest.fixture
def hooks():
    server = Hooks()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def channels(hooks: Hooks | None = None, smtp_port: int | None = None, **retry) -> ChannelsConfig:
    data: dict = {"retry": {"max_attempts": 4, "base_s": 0.01, **retry}}
    if hooks is not None:
        data["webhook"] = {"url": hooks.url("/hook"), "secret": SECRET, "timeout_s": 5}
        data["slack"] = {"url": hooks.url("/slack"), "timeout_s": 5}
    if smtp_port is not None:
        data["email"] = {"host": "127.0.0.1", "port": smtp_port, "from": "wb@alerts.test",
                         "to": ["oncall@alerts.test"], "starttls": False, "timeout_s": 5}
    return ChannelsConfig.model_validate(data)


def flags(module: str, n: int, *, start: datetime = T0, prefix: str = "t", model: str = "m1",
          severity: str = "high", response: str = "the answer was <EMAIL_ADDRESS>",
          ) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = [f"{prefix}-{i:03d}" for i in range(n)]
    results = pl.DataFrame({"run_id": ["run-1"] * n, "trace_id": ids, "tier": [1] * n,
                            "module": [module] * n, "passed": [False] * n,
                            "severity": [severity] * n, "score": [1.0] * n,
                            "reason": [f"{module} flagged"] * n})
    traces = pl.DataFrame({"trace_id": ids, "model": [model] * n,
                           "started_at": [start + timedelta(seconds=20 * i) for i in range(n)],
                           "response": [response] * n})
    return results, traces


def ruleset(*rules: str, **policy):
    """Return a RuleSet of one-line YAML rules and policy overrides."""
    items = [json.loads(r) for r in rules]
    return parse_rules([("test", {"rules": items, "policy": policy})])


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# --- tests ------------------------------------------------------------------------------------

def test_critical_webhook_signed_and_batched(hooks, smtp):
    results, traces = flags("pii_leak", 20)
    alerts = evaluate_alerts(results, traces, None, T0)
    alerts = [a for a in alerts if a.rule == "pii_leak"]
    log = dispatch(alerts, channels(hooks, smtp.port), MemoryState(), T0, "run-1",
                   load_rules(), sleep=Sleeps())
    assert dict(log.schema) == LOG_SCHEMA
    assert sorted(log["channel"]) == ["email", "slack", "webhook"]
    assert set(log["status"]) == {"delivered"} and set(log["count"]) == {20}
    (req,) = hooks.at("/hook")
    assert req["verified"] and req["headers"][SIGNATURE_HEADER].startswith("sha256=")
    doc = req["json"]
    assert req["headers"][TIMESTAMP_HEADER] == str(int(T0.timestamp()))
    assert doc["sent_at"] == T0.isoformat() and doc["digest"] is False
    (section,) = doc["alerts"]
    assert section["count"] == 20 and len(section["trace_ids"]) == 20
    assert section["severity"] == "critical" and len(section["excerpts"]) == 5
    assert all(len(e["text"]) <= 200 for e in section["excerpts"])
    assert json.loads(log["trace_ids"][0]) == sorted(results["trace_id"])


def test_slack_payload_shape(hooks):
    results, traces = flags("pii_leak", 3)
    alerts = [a for a in evaluate_alerts(results, traces, None, T0) if a.rule == "pii_leak"]
    dispatch(alerts, channels(hooks), MemoryState(), T0, "run-1", sleep=Sleeps())
    (req,) = hooks.at("/slack")
    doc = req["json"]
    assert set(doc) == {"text", "blocks"} and "CRITICAL" in doc["text"]
    types = [b["type"] for b in doc["blocks"]]
    assert types[0] == "header" and types[-1] == "context" and "section" in types
    section = next(b for b in doc["blocks"] if b["type"] == "section")
    assert section["text"]["type"] == "mrkdwn" and "`t-000`" in section["text"]["text"]
    assert SIGNATURE_HEADER not in req["headers"]


def test_smtp_delivery(smtp):
    results, traces = flags("pii_leak", 2)
    alerts = [a for a in evaluate_alerts(results, traces, None, T0) if a.rule == "pii_leak"]
    log = dispatch(alerts, channels(smtp_port=smtp.port), MemoryState(), T0, "run-1")
    assert log.filter(pl.col("channel") == "email")["status"].to_list() == ["delivered"]
    assert set(log.filter(pl.col("channel") != "email")["status"]) == {
        "not_sent (no channel configured)"}
    (mail,) = smtp.messages
    assert mail["Subject"].startswith("[workbench] [CRITICAL] pii_leak")
    assert smtp.envelopes[0].rcpt_tos == ["oncall@alerts.test"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "t-000" in text and "t-001" in text and "pii_leak flagged" in text
    assert "<h3>" in html and "&lt;EMAIL_ADDRESS&gt;" in html


def test_dedup_across_dispatches_with_duckdb_state(hooks, tmp_path):
    state = DuckDBState.at_path(tmp_path / "ws.duckdb")
    rs = ruleset('{"name": "cut", "when": {"module": "truncation"}, "severity": "high",'
                 ' "channels": ["webhook"]}')
    first = dispatch(evaluate_alerts(*flags("truncation", 2), rs, T0), channels(hooks), state,
                     T0, "run-1", rs)
    later = T0 + timedelta(minutes=20)
    again = evaluate_alerts(*flags("truncation", 2, start=later, prefix="u"), rs, later)
    second = dispatch(again, channels(hooks), state, later, "run-2", rs)
    assert first["status"].to_list() == ["delivered"]
    assert second["status"].to_list() == ["deduplicated"]
    assert first["fingerprint"][0] == second["fingerprint"][0]
    assert len(hooks.at("/hook")) == 1
    much_later = T0 + timedelta(hours=3)
    third = dispatch(evaluate_alerts(*flags("truncation", 1, start=much_later, prefix="v"),
                                     rs, much_later), channels(hooks), state, much_later,
                     "run-3", rs)
    assert third["status"].to_list() == ["delivered"] and len(hooks.at("/hook")) == 2
    assert state.load().height == 3


def test_rate_limit_per_channel_folds_into_next_digest(hooks, tmp_path):
    state = JsonFileState(tmp_path / "alerts.json")
    rs = ruleset('{"name": "cut", "when": {"module": "truncation"}, "severity": "high",'
                 ' "group_by": ["model"]}', rate_limit_per_minute={"webhook": 2, "slack": 10})
    frames = [flags("truncation", 1, model=f"m{i}", prefix=f"p{i}") for i in range(5)]
    results = pl.concat([f[0] for f in frames])
    traces = pl.concat([f[1] for f in frames])
    alerts = evaluate_alerts(results, traces, rs, T0)
    assert len(alerts) == 5
    log = dispatch(alerts, channels(hooks), state, T0, "run-1", rs)
    hook = log.filter(pl.col("channel") == "webhook")["status"].to_list()
    assert hook.count("delivered") == 2 and hook.count("rate_limited") == 3
    assert log.filter(pl.col("channel") == "slack")["status"].to_list() == ["delivered"] * 5
    assert len(hooks.at("/hook")) == 2
    nothing = dispatch([], channels(hooks), state, T0 + timedelta(seconds=5), "run-2", rs)
    assert nothing["status"].to_list() == ["rate_limited"] * 3     # still within the minute
    later = T0 + timedelta(minutes=2)
    folded = dispatch([], channels(hooks), state, later, "run-3", rs)
    assert folded["status"].to_list() == ["delivered"] * 3
    assert set(folded["channel"]) == {"webhook"}
    digest = hooks.at("/hook")[-1]["json"]
    assert digest["digest"] is True and len(digest["alerts"]) == 3
    assert all(s["folded"] for s in digest["alerts"])
    assert {json.loads(d)["folded_from_run"] for d in folded["detail"]} <= {"run-1", "run-2"}
    assert dispatch([], channels(hooks), state, later + timedelta(minutes=5), "run-4",
                    rs).height == 0                              # nothing left to fold


def test_escalation_of_repeats(hooks):
    state = MemoryState()
    rs = ruleset('{"name": "cut", "when": {"module": "truncation"}, "severity": "high"}',
                 escalation={"repeats": 3, "window_minutes": 120})
    logs = []
    for k in range(3):
        at = T0 + timedelta(minutes=20 * k)
        alerts = evaluate_alerts(*flags("truncation", 1, start=at, prefix=f"r{k}"), rs, at)
        logs.append(dispatch(alerts, channels(hooks), state, at, f"run-{k}", rs))
    assert set(logs[0]["status"]) == {"delivered"} and set(logs[0]["severity"]) == {"high"}
    assert set(logs[1]["status"]) == {"deduplicated"}
    third = logs[2]
    assert set(third["severity"]) == {"critical"}
    assert sorted(third["channel"]) == ["email", "slack", "webhook"]   # critical routing
    assert dict(zip(third["channel"], third["status"], strict=True)) == {
        "webhook": "delivered", "slack": "delivered",
        "email": "not_sent (no channel configured)"}
    assert json.loads(third["detail"][0])["escalated_from"] == "high"
    assert hooks.at("/hook")[-1]["json"]["alerts"][0]["escalated_from"] == "high"


def one_alert():
    rs = ruleset('{"name": "cut", "when": {"module": "truncation"}, "severity": "high",'
                 ' "channels": ["webhook"]}')
    return evaluate_alerts(*flags("truncation", 1), rs, T0), rs


def test_retry_after_503_then_success(hooks):
    hooks.script("/hook", (503, {}), (200, {}))
    alerts, rs = one_alert()
    sleeps = Sleeps()
    log = dispatch(alerts, channels(hooks), MemoryState(), T0, "run-1", rs, sleep=sleeps)
    assert log.select("status", "attempts").row(0) == ("delivered", 2)
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.01
    assert len(hooks.at("/hook")) == 2


def test_429_retry_after_is_honoured(hooks):
    hooks.script("/hook", (429, {"Retry-After": "7"}), (200, {}))
    alerts, rs = one_alert()
    sleeps = Sleeps()
    log = dispatch(alerts, channels(hooks), MemoryState(), T0, "run-1", rs, sleep=sleeps)
    assert log.select("status", "attempts").row(0) == ("delivered", 2)
    assert sleeps == [7.0]


def test_permanent_400_fails_without_retry(hooks):
    hooks.script("/hook", (400, {}), (200, {}))
    alerts, rs = one_alert()
    sleeps = Sleeps()
    log = dispatch(alerts, channels(hooks), MemoryState(), T0, "run-1", rs, sleep=sleeps)
    assert log.select("status", "attempts", "delivered_at").row(0) == ("failed", 1, None)
    assert sleeps == [] and "HTTP 400" in json.loads(log["detail"][0])["error"]


def test_connection_errors_are_bounded():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]           # closed again: nothing listens there
    cfg = ChannelsConfig.model_validate({
        "webhook": {"url": f"http://127.0.0.1:{port}/hook", "secret": SECRET, "timeout_s": 2},
        "retry": {"max_attempts": 3, "base_s": 0.01}})
    alerts, rs = one_alert()
    sleeps = Sleeps()
    log = dispatch(alerts, cfg, MemoryState(), T0, "run-1", rs, sleep=sleeps)
    assert log.select("status", "attempts").row(0) == ("failed", 3)
    assert len(sleeps) == 2


def test_medium_alerts_go_out_as_one_digest(hooks):
    results = pl.DataFrame({"run_id": ["r"] * 3, "trace_id": ["a", "b", "c"], "tier": [2, 3, 2],
                            "module": ["risk_model", "llm_judge", "risk_model"],
                            "passed": [True, False, True], "severity": ["none", "medium", "none"],
                            "score": [0.9, 2.0, 0.95], "reason": ["risk", "judge fail", "risk"]})
    alerts = evaluate_alerts(results, None, None, T0)
    assert sorted(a.rule for a in alerts) == ["llm_judge_fail", "risk_model_high"]
    log = dispatch(alerts, channels(hooks), MemoryState(), T0, "run-1", load_rules())
    assert set(log.filter(pl.col("channel") == "slack")["status"]) == {"delivered"}
    (req,) = hooks.at("/slack")
    assert "digest: 2 alert(s), 3 trace(s)" in req["json"]["text"]
    assert hooks.at("/hook") == []                             # medium does not page
    assert set(log.filter(pl.col("channel") == "email")["status"]) == {
        "not_sent (no channel configured)"}


def test_offline_records_what_would_have_been_sent(tmp_path):
    results, traces = flags("pii_leak", 4)
    alerts = [a for a in evaluate_alerts(results, traces, None, T0) if a.rule == "pii_leak"]
    state = JsonFileState(tmp_path / "s.json")
    log = dispatch(alerts, ChannelsConfig(), state, T0, "run-1")
    assert log.select("channel", "status", "attempts").rows() == [
        (c, "not_sent (no channel configured)", 0) for c in ("webhook", "slack", "email")]
    assert state.load().equals(log)


def test_no_raw_pii_leaves(hooks, smtp):
    raw = flags("pii_leak", 3, prefix="raw", response="write to jane.doe@example.com today")
    masked = flags("pii_leak", 3, prefix="ok", model="m2", start=T0 + timedelta(hours=1),
                   response="write to <EMAIL_ADDRESS> today")
    rs = ruleset('{"name": "leak", "when": {"module": "pii_leak"}, "severity": "critical",'
                 ' "group_by": ["model"]}')
    alerts = evaluate_alerts(pl.concat([raw[0], masked[0]]), pl.concat([raw[1], masked[1]]),
                             rs, T0)
    log = dispatch(alerts, channels(hooks, smtp.port), MemoryState(), T0, "run-1", rs)
    status = {(json.loads(r["trace_ids"])[0][:3], r["channel"]): r["status"]
              for r in log.to_dicts()}
    assert {v for k, v in status.items() if k[0] == "raw"} == {"blocked"}
    assert {v for k, v in status.items() if k[0] == "ok-"} == {"delivered"}
    blocked = json.loads(log.filter(pl.col("status") == "blocked")["detail"][0])
    assert "EMAIL_ADDRESS" in blocked["error"] and "jane" not in json.dumps(blocked)
    sent = [r["body"].decode() for r in hooks.requests] + [m.as_string() for m in smtp.messages]
    assert len(sent) == 3
    assert all("jane.doe" not in s and "example.com" not in s for s in sent)
    assert all(findings_in(r["json"]) == [] for r in hooks.requests)


def test_twins_in_one_dispatch_are_deduplicated(hooks):
    rs = ruleset('{"name": "cut", "when": {"module": "truncation"}, "severity": "high",'
                 ' "channels": ["webhook"]}')
    early = flags("truncation", 1, prefix="e")
    late = flags("truncation", 1, prefix="l", start=T0 + timedelta(minutes=40))
    alerts = evaluate_alerts(pl.concat([early[0], late[0]]), pl.concat([early[1], late[1]]),
                             rs, T0)
    assert len(alerts) == 2 and alerts[0].fingerprint == alerts[1].fingerprint
    log = dispatch(alerts, channels(hooks), MemoryState(), T0, "run-1", rs)
    assert log["status"].to_list() == ["delivered", "deduplicated"]
    assert len(hooks.at("/hook")) == 1
