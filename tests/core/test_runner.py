"""The runner end to end through the CLI, on the test-only toy pipeline, with real papermill kernels."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import duckdb
from cli_runner import WORKBENCH, run_cli

from workbench.report import remote_references


def _db(ws):
    return duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True)


def _run_id(ws):
    with _db(ws) as con:
        return [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY started").fetchall()]


def _stages(ws, run_id):
    with _db(ws) as con:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT stage, status, attempts, outputs_hash, rows_out FROM stages WHERE run_id = ?",
            [run_id]).fetchall()}


def test_run_resume_fresh_and_self_contained_reports(tmp_path, toy_env):
    ws = tmp_path / "ws"
    r = run_cli("run", "toy", "--workspace", str(ws), "--param", "n_rows=10", env=toy_env)
    assert r.returncode == 0, r.stderr
    [run_id] = _run_id(ws)
    assert "[3/3] total done" in r.stderr
    st = _stages(ws, run_id)
    assert {k: v[0] for k, v in st.items()} == {"make": "done", "flaky": "done", "total": "done"}
    assert st["make"][3] == 10 and st["total"][3] == 1
    run_dir = ws / "reports" / "toy" / run_id
    pages = sorted(p.name for p in run_dir.glob("*.html"))
    assert pages == ["01_make.html", "02_flaky.html", "03_total.html", "index.html"]
    for page in run_dir.glob("*.html"):
        text = page.read_text()
        assert remote_references(text) == [], page.name
        assert "<script src=" not in text
    index = (run_dir / "index.html").read_text()
    for needle in (run_id, "contract", "offline", "EMAIL_ADDRESS", "toy_totals.csv",
                   "Toy totals", "not a number", "<svg"):
        assert needle in index, needle
    with _db(ws) as con:
        assert con.execute("SELECT contract_hash FROM runs").fetchone()[0][:8] == run_id[-8:]
    stage_page = (run_dir / "03_total.html").read_text()
    assert "toy_pipeline.total(ctx)" not in stage_page  # no code in the report
    assert "<svg" in stage_page or "data:image/svg+xml" in stage_page  # the chart, offline

    # same command again: same run, nothing executed again
    r2 = run_cli("run", "toy", "--workspace", str(ws), "--param", "n_rows=10", env=toy_env)
    assert r2.returncode == 0, r2.stderr
    assert _run_id(ws) == [run_id]
    assert r2.stderr.count("already done (skipped)") == 3
    assert (ws / "data" / "toy_flaky_executions").read_text().splitlines() == [run_id]
    assert _stages(ws, run_id) == st  # same outputs hashes, attempts unchanged

    # --fresh: a new run with the same outputs hashes (deterministic stages)
    r3 = run_cli("run", "toy", "--workspace", str(ws), "--param", "n_rows=10", "--fresh",
                 "--quiet", env=toy_env)
    assert r3.returncode == 0, r3.stderr
    assert "[1/3]" not in r3.stderr and "done" not in r3.stderr  # quiet: no progress
    runs_ = _run_id(ws)
    assert len(runs_) == 2 and runs_[1] != run_id
    fresh = _stages(ws, runs_[1])
    assert fresh["make"][2] == st["make"][2]  # same lake content, byte for byte
    assert fresh["total"][2] != st["total"][2]  # its table rows carry the new run_id


def test_failing_stage_exits_3_keeps_outputs_and_resumes(tmp_path, toy_env):
    ws = tmp_path / "ws"
    args = ("run", "toy", "--workspace", str(ws), "--param", "fail_once=true")
    r = run_cli(*args, env=toy_env)
    assert r.returncode == 3, r.stderr
    assert "planned failure" in r.stderr and "flaky" in r.stderr
    [run_id] = _run_id(ws)
    st = _stages(ws, run_id)
    assert st["make"][0] == "done" and st["flaky"][0] == "failed" and st["total"][0] == "pending"
    run_dir = ws / "reports" / "toy" / run_id
    index = (run_dir / "index.html").read_text()
    assert "failed" in index and "planned failure" in index and "02_flaky.html" in index
    assert "planned failure" in (run_dir / "02_flaky.html").read_text()  # traceback shown
    assert list((ws / "data" / "lake" / "toy_numbers").glob("run_id=*/*.parquet"))  # kept

    r2 = run_cli(*args, env=toy_env)
    assert r2.returncode == 0, r2.stderr
    assert _run_id(ws) == [run_id]  # resumed the same run
    st2 = _stages(ws, run_id)
    assert st2["make"][1] == 1  # not executed again
    assert st2["flaky"][1] == 2  # failed once, executed again
    with _db(ws) as con:  # nothing written twice
        assert con.execute("SELECT count(*) FROM toy_totals").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 1
        assert con.execute("SELECT status FROM runs").fetchone()[0] == "done"


def _start_slow(ws, env, label="slow"):
    proc = subprocess.Popen([WORKBENCH, "run", "toy", "--workspace", str(ws), "--param",
                             "sleep_s=60", "--param", f"label={label}"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    marker = ws / "data" / "toy_flaky_started"
    deadline = time.time() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, "slow stage never started"
        time.sleep(0.2)
    return proc


def test_lock_conflict_exits_4_naming_the_holder(tmp_path, toy_env):
    ws = tmp_path / "ws"
    slow = _start_slow(ws, toy_env)
    try:
        t0 = time.time()
        r = run_cli("run", "toy", "--workspace", str(ws), "--param", "label=other", env=toy_env)
        assert r.returncode == 4, r.stderr
        assert time.time() - t0 < 15  # at once, not after the other run
        [holder] = _run_id(ws)
        assert holder in r.stderr and "locked" in r.stderr
    finally:
        os.killpg(slow.pid, signal.SIGTERM)
        slow.wait(timeout=60)


def test_killed_run_is_taken_over_and_resumed(tmp_path, toy_env):
    ws = tmp_path / "ws"
    slow = _start_slow(ws, toy_env)
    os.killpg(slow.pid, signal.SIGKILL)  # no cleanup at all: lock file and 'running' rows remain
    slow.wait(timeout=30)
    [run_id] = _run_id(ws)
    (ws / "data" / "toy_no_sleep").write_text("")
    r = run_cli("run", "toy", "--workspace", str(ws), "--param", "sleep_s=60", "--param",
                "label=slow", env=toy_env)
    assert r.returncode == 0, r.stderr
    assert "stale lock" in r.stderr and run_id in r.stderr
    assert _run_id(ws) == [run_id]
    st = _stages(ws, run_id)
    assert st["make"][1] == 1 and st["flaky"][1] == 2 and st["total"][0] == "done"


def test_bad_input_exits_2_before_writing_anything(tmp_path, toy_env):
    ws = tmp_path / "ws"
    cases = [
        (("run", "toy", "--param", "bogus=1"), ["'bogus'", "n_rows (int)", "accepted"]),
        (("run", "toy", "--param", "n_rows=abc"), ["'n_rows'", "int"]),
        (("run", "toy", "--param", "n_rows"), ["KEY=VALUE"]),
        (("run", "toy", "--input", str(tmp_path / "missing.log")), ["missing.log", "not found"]),
        (("run", "nosuch"), ["'nosuch'", "toy"]),
        (("run", "toy", "--model", "no-such-model,offline"), ["'no-such-model'", "llm models"]),
    ]
    for args, words in cases:
        r = run_cli(*args, "--workspace", str(ws), env=toy_env)
        assert r.returncode == 2, (args, r.stderr)
        for w in words:
            assert w in r.stderr, (args, w, r.stderr)
        assert "Traceback" not in r.stderr
    assert not ws.exists()  # nothing written


def test_progress_reported_inside_a_stage_is_shown(tmp_path, toy_env):
    ws = tmp_path / "ws"
    r = run_cli("run", "toy", "--workspace", str(ws), "--param", "sleep_s=5", env=toy_env)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip().startswith("flaky:")]
    assert lines and "/20 steps" in lines[-1] and "%" in lines[-1], r.stderr
