"""`workbench run trace_eval --param source=store` while the server keeps ingesting: both succeed."""
from __future__ import annotations

import json
import threading

import duckdb
import httpx

from workbench.pipelines.trace_eval.samples import write_samples

from .conftest import Server, clean_env, create_org, wb

LIMITS = {"WORKBENCH_TRACE_API_RATE_PER_S": 10_000, "WORKBENCH_TRACE_API_BURST": 10_000}


def test_batch_run_from_the_store_while_ingesting(tmp_path):
    ws = tmp_path / "ws"
    key, other = create_org(ws, "acme"), create_org(ws, "globex")
    lines = []
    for f in write_samples(tmp_path / "samples", traces=120, seed=3):
        if f.name.endswith(".jsonl") and f.name != "labels.jsonl":
            for x in f.read_text().splitlines():
                try:
                    lines.append(json.loads(x))
                except ValueError:
                    continue  # the samples hold deliberately broken lines
    server = Server(ws, **LIMITS).start()
    statuses: list[int] = []
    stop = threading.Event()
    try:
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=30) as c:
            for i in range(0, len(lines), 40):
                r = c.post("/v1/traces/batch", json=lines[i:i + 40])
                assert r.status_code == 200, r.text
            initial = c.get("/v1/stats", params={"since": "1h"}).json()["traces"]
        httpx.post(server.url + "/v1/traces", json={"trace_id": "g-1", "prompt": "x",
                                                    "response": "y"}, headers={"X-API-Key": other})

        def keep_sending() -> None:
            with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=30) as c:
                i = 0
                while not stop.is_set():
                    i += 1
                    r = c.post("/v1/traces", json={"trace_id": f"live-{i}", "prompt": f"q{i}",
                                                   "response": f"a{i}"})
                    statuses.append(r.status_code)

        sender = threading.Thread(target=keep_sending)
        sender.start()
        run = wb("run", "trace_eval", "--workspace", str(ws), "--param", "source=store",
                 "--param", "org=acme", "--param", "since=1h", "--quiet",
                 env=clean_env(LLM_USER_PATH=str(tmp_path / "llm")), timeout=600)
        stop.set()
        sender.join(30)
        assert run.returncode == 0, run.stdout + run.stderr
        assert statuses and set(statuses) == {200}, "ingestion must not stall during the run"

        with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
            n = con.execute("SELECT count(*) FROM trace_eval_traces").fetchone()[0]
            ids = {t for (t,) in con.execute("SELECT trace_id FROM trace_eval_traces").fetchall()}
            mods = {m for (m,) in con.execute(
                "SELECT DISTINCT module FROM trace_eval_results").fetchall()}
            pii = con.execute("SELECT count(*) FROM trace_eval_results WHERE module = "
                              "'pii_leak'").fetchone()[0]
        assert n >= initial and "g-1" not in ids          # the org's snapshot, nobody else's
        assert {"pii_leak", "format_validity", "risk_model", "llm_judge"} <= mods
        assert pii == n                                   # raw-text rows from ingestion
        report = run.stdout.strip().splitlines()[-1]
        assert report.endswith("index.html")
        tid = min(ids)
        ev = httpx.get(f"{server.url}/v1/evaluations/{tid}", headers={"X-API-Key": key}).json()
        assert ev["tiers"] == [1, 2, 3]
        assert {r["module"] for r in ev["results"] if r["tier"] == 2} == {"risk_model"}
        bad = wb("run", "trace_eval", "--workspace", str(ws), "--param", "source=store",
                 env=clean_env())
        assert bad.returncode == 2 and "org" in bad.stderr
    finally:
        stop.set()
        server.stop()
