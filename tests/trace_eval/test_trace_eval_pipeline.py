"""trace_eval end to end through the CLI: samples, six stages, tables, report, alerts to a real
local webhook, and no raw PII in anything written or sent."""
from __future__ import annotations

import gzip
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

BUILTINS = {"format_validity", "truncation", "safety_triggers", "consistency", "length_language",
            "pii_leak"}
RAW = (r"[\w.+-]+@[\w-]+\.(?:com|org|net|io|de|fr)", r"AKIA[0-9A-Z]{16}",
       r"\b\d{3}-\d{2}-\d{4}\b", r"\b(?:\d[ -]?){15,16}\b")


@pytest.fixture
def webhook():
    """A real HTTP server on 127.0.0.1 that records every POST body."""
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


def _raw_values(folder) -> set[str]:
    text = ""
    for f in folder.iterdir():
        if f.name == "labels.jsonl":
            continue
        text += gzip.decompress(f.read_bytes()).decode() if f.suffix == ".gz" else f.read_text()
    return {m for pat in RAW for m in re.findall(pat, text) if "example." not in m}


def test_cli_run_on_samples(tmp_path, cli, webhook):
    url, received = webhook
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(LLM_USER_PATH=str(tmp_path / "llm"), WORKBENCH_ALERT_WEBHOOK_URL=url,
               WORKBENCH_ALERT_WEBHOOK_SECRET="s" * 24)
    data = tmp_path / "traces"
    r = cli("samples", "trace_eval", "--out", str(data), "--traces", "400", env=env)
    assert r.returncode == 0, r.stderr
    raw = _raw_values(data)
    assert len(raw) > 5, "the samples should leak PII somewhere"
    ws = tmp_path / "ws"
    r = cli("run", "trace_eval", "--workspace", str(ws), "--input", str(data), "--quiet",
            env=env, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        n_traces = con.execute("SELECT count(*) FROM trace_eval_traces").fetchone()[0]
        formats = {f for (f,) in con.execute(
            "SELECT DISTINCT source_format FROM trace_eval_traces").fetchall()}
        per = dict(con.execute("SELECT module, count(*) FROM trace_eval_results "
                               "GROUP BY module").fetchall())
        judge = con.execute("SELECT DISTINCT reason FROM trace_eval_results "
                            "WHERE module = 'llm_judge'").fetchall()
        judged = con.execute("SELECT count(*) FROM trace_eval_results WHERE module = "
                             "'llm_judge' AND passed IS NOT NULL").fetchone()[0]
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        alerts = con.execute("SELECT rule, severity, channel, status FROM trace_eval_alerts"
                             ).fetchall()
        stored = " ".join(str(x) for row in con.execute(
            "SELECT prompt, response, messages, metadata FROM trace_eval_traces").fetchall()
                          for x in row)
    assert n_traces == 400 and formats == {"openai_chat", "otel_genai", "plain"}
    assert BUILTINS | {"risk_model", "llm_judge"} <= set(per)
    assert all(n == n_traces for n in per.values())          # one row per (trace, module)
    assert judged == 0 and {r for (r,) in judge} <= {"not escalated", "not judged (offline)"}
    assert ("not judged (offline)",) in judge
    assert quarantined >= 1
    assert any(a[0] == "pii_leak" and a[1] == "critical" and a[2] == "webhook"
               and a[3] == "delivered" for a in alerts)
    assert received, "the webhook got no alert"
    run_dir = next((ws / "reports" / "trace_eval").iterdir())
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["schema"] == "trace_eval.summary/1" and summary["traces"]["total"] == 400
    assert (run_dir / "results.parquet").exists()
    written = stored + "".join(b.decode() for b in received)
    for f in run_dir.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json"):
            written += f.read_text(errors="replace")
    leaked = sorted(v for v in raw if v in written)
    assert not leaked, f"{len(leaked)} raw PII values in the store, report or alerts"
