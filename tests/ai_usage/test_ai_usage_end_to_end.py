"""End to end through the CLI on sample data: tables, lake, artifacts, no raw PII anywhere."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from workbench.pipelines.ai_usage.samples import FIRST, LAST

WORKBENCH = str(Path(sys.executable).with_name("workbench"))
RAW_PII = re.compile(  # linear-time: an e-mail match starts where its run of characters does
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)acme\.example|415-555-\d{4}|\b123-45-\d{4}\b|"
    rf"\b(?:{'|'.join(FIRST)})\.(?:{'|'.join(LAST)})\b")
SIG_COLUMNS = {"url_signature", "host", "path_template", "is_ai", "service", "category",
               "risk_level", "confidence", "source", "events", "bytes_out", "bytes_in", "users",
               "selection", "selection_reason", "run_id"}


def _cli(*args, env):
    return subprocess.run([WORKBENCH, *args], check=False, capture_output=True, text=True,
                          env=env,
                          timeout=600, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    env = {**os.environ, "WORKBENCH_MODEL": "offline"}
    env.pop("WORKBENCH_HOME", None)
    r = _cli("samples", "ai_usage", "--out", str(ws / "in"), "--lines", "800", env=env)
    assert r.returncode == 0, r.stderr
    r = _cli("run", "ai_usage", "--workspace", str(ws), "--input", str(ws / "in"),
             "--param", "vendor=auto", "--quiet", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    con = duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True)
    run_id = con.execute("SELECT run_id FROM runs WHERE pipeline = 'ai_usage'").fetchone()[0]
    con.close()
    return {"ws": ws, "env": env, "run_id": run_id,
            "dir": ws / "reports" / "ai_usage" / run_id}


def test_signatures_table_contract(run):
    con = duckdb.connect(str(run["ws"] / "data" / "workbench.duckdb"), read_only=True)
    cols = {r[0] for r in con.execute("DESCRIBE ai_usage_signatures").fetchall()}
    assert SIG_COLUMNS <= cols
    rows = con.execute("SELECT selection, source, is_ai, service FROM ai_usage_signatures "
                       "WHERE run_id = ?", [run["run_id"]]).fetchall()
    assert {r[0] for r in rows} <= {"A", "B", "C", None} and {"A", "C"} <= {r[0] for r in rows}
    assert {r[1] for r in rows} <= {"catalog", "model", "offline", "unknown"}
    assert all(r[2] is None for r in rows if r[1] == "unknown")
    assert "ChatGPT" in {r[3] for r in rows}
    assert con.execute("SELECT count(*) FROM analysis_cache WHERE status = 'active'"
                       ).fetchone()[0] > 0
    q = con.execute("SELECT count(*) FROM quarantine WHERE run_id = ?", [run["run_id"]]).fetchone()
    assert q[0] >= 8                                   # the samples' malformed lines
    con.close()


def test_events_lake_is_hive_partitioned_by_date_per_run(run):
    root = run["ws"] / "data" / "lake" / "ai_usage_events" / f"run_id={run['run_id']}"
    days = sorted(p.name for p in root.iterdir())
    assert days[0].startswith("date=2025-03-0") and len(days) >= 7
    ev = duckdb.sql(f"SELECT * FROM read_parquet('{root}/**/*.parquet', hive_partitioning=true)")
    assert {"ts", "vendor", "user", "client_ip", "method", "scheme", "host", "port", "path",
            "query", "url_signature", "status", "bytes_out", "bytes_in", "action", "user_agent",
            "source_file", "line_number", "date"} <= set(ev.columns)
    assert ev.count("*").fetchone()[0] == 800
    for staging in ("ai_usage_raw", "ai_usage_urls", "ai_usage_spill"):  # source values
        assert not (run["ws"] / "data" / "lake" / staging / f"run_id={run['run_id']}").exists()


def test_artifacts(run):
    d = run["dir"]
    with zipfile.ZipFile(d / "ai_usage.xlsx") as z:
        book = z.read("xl/workbook.xml").decode()
    for sheet in ("summary", "services", "users", "departments", "signatures", "unknowns",
                  "audit"):
        assert f'name="{sheet}"' in book
    dash = json.loads((d / "dashboard.json").read_text())
    assert dash["schema"] == "ai_usage.dashboard/1" and dash["totals"]["events"] == 800
    assert {"A", "B", "C", "seed", "sample_rate"} <= set(dash["selection"])
    assert dash["services"] and dash["departments"] and dash["days"]
    header = (d / "events_sanitized.csv").read_text().splitlines()[0].split(",")
    assert header[:4] == ["ts", "date", "vendor", "user"]
    assert len((d / "events_sanitized.csv").read_text().splitlines()) == 801
    index = (d / "index.html").read_text()
    for item in ("Selection", "sample rate", "seed", "LLM scope", "PII audit", "quarantined"):
        assert item.lower() in index.lower()
    assert index.count("<svg") >= 4                     # service, category, department, day


def test_no_raw_pii_in_reports_or_exports(run):
    lake_events = run["ws"] / "data" / "lake" / "ai_usage_events"
    files = [p for p in (run["ws"] / "reports").rglob("*") if p.is_file()]
    assert len(files) > 10
    leaks = []
    for p in files:
        text = p.read_bytes().decode("utf-8", errors="ignore")
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                text = " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
        leaks += [(p.name, m.group(0)) for m in RAW_PII.finditer(text)]
    ev = duckdb.sql(f"SELECT * FROM read_parquet('{lake_events}/**/*.parquet')").pl()
    for col in ("user", "client_ip", "path", "query", "path_template", "user_agent"):
        leaks += [(col, v) for v in ev[col].drop_nulls().to_list() if RAW_PII.search(v)]
    assert leaks == []
    # the samples do carry PII, so the check above is not vacuous
    assert RAW_PII.search((run["ws"] / "in" / "zscaler_nss_web.jsonl").read_text())


def test_same_command_resumes_and_skips_every_stage(run):
    r = _cli("run", "ai_usage", "--workspace", str(run["ws"]), "--input", str(run["ws"] / "in"),
             "--param", "vendor=auto", env=run["env"])
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout + r.stderr
    assert f"resuming run {run['run_id']}" in out and out.count("already done (skipped)") == 7


def test_second_run_hits_the_cache(run):
    # a second run over the same logs (a new contract, so a new run id and seed), driven
    # in-process up to the cache stage: no notebook kernels, the same stage functions
    import workbench as wb
    from workbench.pipelines.ai_usage import lookup

    ctx = wb.open_stage("ai_usage", "cache", workspace=str(run["ws"]),
                        inputs=[str(run["ws"] / "in")], model="offline",
                        params={"vendor": "auto", "keep_staging": True})
    assert ctx.run_id != run["run_id"]
    lookup.run(ctx)
    con = duckdb.connect(str(run["ws"] / "data" / "workbench.duckdb"), read_only=True)
    ratios = [json.loads(d)["hit_ratio"] for (d,) in con.execute(
        "SELECT detail FROM ledger WHERE event = 'cache_lookup' ORDER BY event_id").fetchall()]
    con.close()
    assert ratios[0] == 0.0 and ratios[-1] > 0.5 and len(ratios) == 2


def test_bad_parameter_fails_before_work(run, tmp_path):
    r = _cli("run", "ai_usage", "--workspace", str(tmp_path), "--input", str(run["ws"] / "in"),
             "--param", "vendor=bluecat", env=run["env"])
    assert r.returncode == 2 and "vendor" in r.stderr
    assert not (tmp_path / "reports").exists()
