"""log_chat end to end through the CLI: samples, the headless run, `ask`, and CloudWatch (moto)."""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import duckdb
import pytest
from cw_helpers import logs_client, put_events, reset_moto

QUESTIONS = ["Which log groups are there?", "What went wrong in checkout in the last 2 hours?",
             "How many errors per hour in checkout over the last 24 hours?",
             "Write a limerick about the incident"]


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    return {**env, "LLM_USER_PATH": str(tmp_path / "llm-home")}


def test_headless_investigation_report(tmp_path, no_raw_pii, cli):
    run_cli = cli
    env = _env(tmp_path)
    logs = tmp_path / "logs"
    r = run_cli("samples", "log_chat", "--out", str(logs), env=env)
    assert r.returncode == 0 and "checkout.jsonl" in r.stdout
    ws = tmp_path / "ws"
    r = run_cli("run", "log_chat", "--workspace", str(ws), "--input", str(logs), "--quiet",
                "--param", f"questions={json.dumps(QUESTIONS)}", "--param", "since=2h",
                env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    run_dir = next((ws / "reports" / "log_chat").iterdir())
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        answers = con.execute("SELECT question_no, source, status, answer, tool_calls, model "
                              "FROM log_chat_answers ORDER BY 1").fetchall()
        tpl = con.execute("SELECT log_group, template, is_new, spike, example_masked "
                          "FROM log_chat_templates").fetchall()
        audit = con.execute("SELECT sum(count) FROM pii_audit WHERE run_id = ?",
                            [run_dir.name]).fetchone()[0]
    assert [a[0] for a in answers] == [1, 2, 3, 4]
    assert {a[1] for a in answers} == {"offline"} and {a[5] for a in answers} == {"offline"}
    assert "GatewayCircuitOpen" in answers[1][3] and "offline planner" in answers[1][3]
    assert json.loads(answers[2][4])[0]["name"] == "count_logs"
    assert "needs a model" in answers[3][3]  # never a made-up answer
    assert any(t[2] and "GatewayCircuitOpen" in t[1] for t in tpl)
    assert audit and audit > 0
    index = (run_dir / "index.html").read_text()
    assert "Investigation" in index and "New templates and spikes" in index
    for f in run_dir.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json", ".csv"):
            no_raw_pii(f.read_text(errors="replace"))


def test_ask_prints_json_and_text(tmp_path, sample_logs, cli):
    run_cli = cli
    env = _env(tmp_path)
    r = run_cli("ask", "/groups", "--workspace", str(tmp_path), "--input", str(sample_logs),
                "--json", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) >= {"answer", "tool_calls", "source", "masked"}
    assert out["source"] == "command" and out["tool_calls"][0]["name"] == "list_log_groups"
    r = run_cli("ask", "any exceptions in orders in the last 2 hours?", "--workspace",
                str(tmp_path), "--input", str(sample_logs), env=env)
    assert r.returncode == 0 and "offline planner" in r.stdout and "masked" in r.stdout
    r = run_cli("ask", "/fetch no/such/group", "--workspace", str(tmp_path), "--input",
                str(sample_logs), env=env)
    assert r.returncode == 2 and "no log group" in r.stdout and "Traceback" not in r.stderr
    r = run_cli("ask", "hi", "--input", str(tmp_path / "missing"), env=env)
    assert r.returncode == 2 and "input path not found" in r.stderr


@pytest.fixture
def cloudwatch_logs(aws_env, tmp_path):
    """The sample logs (ending now) in moto as /aws/lambda/checkout etc.; return the groups."""
    from workbench.ingest.log_local import LocalLogSource
    from workbench.pipelines.log_chat.samples import write_samples

    reset_moto(aws_env.endpoint)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    write_samples(tmp_path / "cw", now=now.isoformat())
    src = LocalLogSource([tmp_path / "cw"])
    client = logs_client(aws_env.endpoint)
    names = []
    for g in src.list_groups():
        name = "/" + g.name.rsplit(".", 1)[0]
        ev = src.fetch(g.name, limit=None).frame
        put_events(client, name, "stream-1",
                   [(int(ts.timestamp() * 1000), m) for ts, m in ev.select("ts", "message")
                    .iter_rows()])
        names.append(name)
    return names


def test_cloudwatch_ask_twice_makes_one_call_and_the_pipeline_runs(
        tmp_path, cloudwatch_logs, cloudwatch_proxy, no_raw_pii, cli):
    run_cli = cli
    env = {**_env(tmp_path), **{k: v for k, v in os.environ.items() if k.startswith("AWS_")}}
    q = "what went wrong in /aws/lambda/checkout in the last 2 hours?"
    first = run_cli("ask", q, "--workspace", str(tmp_path), "--source", "cloudwatch", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "GatewayCircuitOpen" in first.stdout
    no_raw_pii(first.stdout)
    calls = dict(cloudwatch_proxy.operations)
    assert calls.get("FilterLogEvents", 0) >= 1
    again = run_cli("ask", q, "--workspace", str(tmp_path), "--source", "cloudwatch", env=env)
    assert again.returncode == 0 and "cached" in again.stdout
    assert cloudwatch_proxy.operations["FilterLogEvents"] == calls["FilterLogEvents"]
    ws = tmp_path / "ws"
    r = run_cli("run", "log_chat", "--workspace", str(ws), "--quiet", "--param",
                "source=cloudwatch", "--param", 'log_groups=["/aws/lambda/"]', "--param",
                "since=6h", "--param",
                'questions=["what went wrong in checkout in the last 2 hours?"]',
                env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        groups = {g for (g,) in con.execute("SELECT DISTINCT log_group FROM log_chat_templates")
                  .fetchall()}
        answer = con.execute("SELECT answer FROM log_chat_answers").fetchone()[0]
    assert groups == {"/aws/lambda/checkout", "/aws/lambda/payments"}
    assert "GatewayCircuitOpen" in answer


def test_cloudwatch_errors_exit_2_without_a_traceback(tmp_path, aws_env, cloudwatch_logs, cli):
    run_cli = cli
    env = {**_env(tmp_path), **{k: v for k, v in os.environ.items() if k.startswith("AWS_")}}
    r = run_cli("ask", "/fetch /aws/lambda/nope", "--source", "cloudwatch", "--workspace",
                str(tmp_path), env=env)
    assert r.returncode == 2 and "'/aws/lambda/nope' does not exist" in r.stdout
    env.pop("AWS_ACCESS_KEY_ID")
    env.pop("AWS_SECRET_ACCESS_KEY")
    r = run_cli("ask", "/groups", "--source", "cloudwatch", "--workspace", str(tmp_path),
                env=env)
    assert r.returncode == 2 and "credentials" in (r.stdout + r.stderr).lower()
    assert "Traceback" not in r.stderr
