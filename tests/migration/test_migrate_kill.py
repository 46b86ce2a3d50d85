"""Kill-safety: ``kill -9`` at random points, ten times in a row, then the same command again,
gives final tables identical to an uninterrupted run — no duplicate, no lost row (§16, §44)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import test_migrate_data as md

HERE = Path(__file__).resolve().parent
KILLS = 10


def _command(ws: Path, url: str, folder: Path, strategy: str, batch: int) -> list[str]:
    return [sys.executable, str(HERE / "test_migrate_data.py"), str(ws), url, str(folder),
            "kill-run", strategy, str(batch)]


def _env() -> dict:
    path = os.pathsep.join([str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path.rstrip(os.pathsep)}


def _finish(cmd: list[str]) -> tuple[str, float]:
    t0 = time.monotonic()
    out = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=300,
                         check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "DONE promoted" in out.stdout, out.stdout[-2000:]
    return out.stdout, time.monotonic() - t0


def _kill_ten_times(cmd: list[str], seed: int) -> list[dict]:
    """Run the command ten times, each killed with SIGKILL at a random point of its work.

    The point is a random number of progress events (transform, chunks, fk_check, promote)
    into the run plus a random fraction of the next step, or a random moment of the start-up.
    """
    rng, kills = random.Random(seed), []
    for i in range(KILLS):
        proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        events, seen = (rng.randint(0, 4) if i else 0), []   # the first one in the start-up
        if events == 0:
            time.sleep(rng.uniform(0.1, 1.5))
        else:
            while len(seen) < events and (line := proc.stdout.readline()):
                seen.append(line.strip())
            time.sleep(rng.uniform(0.0, 0.1))
        alive = proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL) if alive else None
        proc.wait()
        proc.stdout.close()
        kills.append({"killed": alive, "after": seen[-1] if seen else "start-up"})
    return kills


def _tables(url: str) -> dict:
    return {"customers": md.table(url, "customers", "customer_id"),
            "orders": md.table(url, "orders", "order_id")}


def _records(ws: Path, run_id: str):
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        chunks = con.execute("SELECT chunk_id, content_hash, row_count_in, row_count_out, "
                             "quarantined, status FROM migration_chunks WHERE run_id = ? "
                             "ORDER BY chunk_id", [run_id]).fetchall()
        quarantine = con.execute("SELECT locator, reason FROM quarantine WHERE run_id = ? AND "
                                 "stage = 'migrate' ORDER BY locator", [run_id]).fetchall()
    return chunks, quarantine


def _check(tmp_path: Path, folder: Path, strategy: str, scheme: str, batch: int) -> None:
    ext = "duckdb" if scheme == "duckdb" else "sqlite"
    ref_ws, ws = tmp_path / "ref", tmp_path / "killed"
    ref_url, url = (f"{scheme}:///{d / f'target.{ext}'}" for d in (ref_ws, ws))
    _finish(_command(ref_ws, ref_url, folder, strategy, batch))
    cmd = _command(ws, url, folder, strategy, batch)
    kills = _kill_ten_times(cmd, seed=16)
    assert sum(k["killed"] for k in kills) >= KILLS - 2, kills   # at most the last runs finish
    _finish(cmd)
    ref, got = _tables(ref_url), _tables(url)
    for name in ("customers", "orders"):
        key = "customer_id" if name == "customers" else "order_id"
        assert got[name][key].is_duplicated().sum() == 0, (name, kills)
        assert got[name].height == ref[name].height, (name, kills)
        assert got[name].equals(ref[name]), (name, kills)
    assert _records(ws, "kill-run") == _records(ref_ws, "kill-run"), kills
    chunks, quarantine = _records(ws, "kill-run")
    assert chunks and all(c[5] == "done" for c in chunks) and quarantine


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    return tmp_path_factory.mktemp("kill-src"), None


def test_kill_nine_ten_times_then_rerun_equals_an_uninterrupted_run(tmp_path, sources):
    folder = sources[0]
    md.parquet(folder, customers=100_000, orders=160_000)     # 261,000 source rows
    _check(tmp_path, folder, "auto", "duckdb", batch=12_500)


@pytest.mark.slow
def test_kill_nine_etl_into_sqlite(tmp_path, sources):
    folder = sources[0]
    md.parquet(folder, customers=60_000, orders=90_000)
    _check(tmp_path, folder, "etl", "sqlite", batch=5_000)
