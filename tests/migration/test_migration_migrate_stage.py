"""The migrate stage in the pipeline: the CLI contract, targets by URL, dry run, operator commands."""
from __future__ import annotations

import json
import sqlite3

import duckdb
import yaml
from mig_run import rows, run_stages

from workbench.pipelines.migration import samples

CHECKPOINT = {"run_id", "stage", "chunk_id", "content_hash", "started_at", "finished_at",
              "row_count_in", "row_count_out", "validations", "status", "next_action"}


def _target_tables(crm) -> list[str]:
    return [t["name"] for t in yaml.safe_load(crm[2].read_text())["tables"]]


def test_cli_run_migrates_into_a_sqlite_target_url(cli, tmp_path):
    crm = samples.write_samples(tmp_path / "crm")
    ws, db = tmp_path / "ws", tmp_path / "out" / "target.sqlite"
    db.parent.mkdir()
    r = cli("run", "migration", "--workspace", str(ws), "--input", str(crm[0]), "--input",
            str(crm[1]), "--param", f"target={crm[2]}", "--param", "mode=data_mode",
            "--param", f"target_url=sqlite:///{db}", "--quiet", timeout=600)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(db) as con:
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in _target_tables(crm)}
        dups = con.execute('SELECT count(*) - count(DISTINCT customer_id) FROM customers'
                           ).fetchone()[0]
    assert set(_target_tables(crm)) <= names and all(counts.values()), counts
    assert dups == 0
    with duckdb.connect(str(ws / "data/workbench.duckdb"), read_only=True) as con:
        cols = {d[0] for d in con.execute("SELECT * FROM migration_chunks").description}
        chunks = con.execute("SELECT target_table, status, row_count_in, row_count_out, "
                             "quarantined FROM migration_chunks").fetchall()
        quarantined = con.execute("SELECT count(*) FROM quarantine WHERE stage = 'migrate'"
                                  ).fetchone()[0]
    assert CHECKPOINT <= cols
    assert {c[1] for c in chunks} == {"done"}
    promoted = sum(c[3] for c in chunks)
    # what the final tables hold is what the checkpoints say was promoted, less FK rejects
    assert sum(counts.values()) <= promoted and quarantined == sum(c[4] for c in chunks) + (
        promoted - sum(counts.values()))
    run_dir = next((ws / "reports/migration").iterdir())
    summary = json.loads((run_dir / "migration_run.json").read_text())
    assert summary["status"] == "promoted" and summary["dialect"] == "sqlite"
    assert summary["strategy"]["chosen"] == "etl" and not summary["strategy"]["forced"]
    assert summary["hashes"]["chunks"] and summary["versions"]["policy_version"]
    assert "sqlite" in summary["target_url"]
    page = (run_dir / "05_migrate.html").read_text()
    for heading in ("Pre-flight", "Chunk timeline", "Quarantine inspector", "Column lineage",
                    "Decision trail"):
        assert heading in page
    assert page.count("data:image/svg+xml") >= 2   # timeline and reasons, drawn inline


def test_default_target_is_a_duckdb_file_in_the_workspace_and_reruns_change_nothing(tmp_path):
    crm = samples.write_samples(tmp_path / "crm")
    ws = tmp_path / "ws"
    out = run_stages(ws, crm, {}, upto="migrate")
    ctx, result = out["migrate"]
    s = result["summary"]
    assert s["status"] == "promoted" and s["strategy"]["chosen"] == "elt"
    target = ws / "data/migration/target.duckdb"
    with duckdb.connect(str(target), read_only=True) as con:
        before = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                  for t in _target_tables(crm)}
    assert all(before.values())
    # the same stage again (a resumed run) finds the run promoted and writes nothing more
    from workbench.pipelines.migration import stages

    again = stages.migrate(ctx)["summary"]
    assert again["status"] == "promoted"
    with duckdb.connect(str(target), read_only=True) as con:
        after = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                 for t in _target_tables(crm)}
    assert after == before
    events = [r["event"] for r in rows(ctx, "SELECT event FROM ledger WHERE run_id = ? "
                                            "ORDER BY event_id", ctx.run_id)]
    assert "migration_promoted" in events and "migration_preflight" in events


def test_metadata_only_is_a_dry_run_that_writes_nothing(tmp_path):
    crm = samples.write_samples(tmp_path / "crm")
    ws = tmp_path / "ws"
    db = tmp_path / "t.duckdb"
    out = run_stages(ws, crm, {"mode": "metadata_only", "target_url": f"duckdb:///{db}"},
                     upto="migrate")
    s = out["migrate"][1]["summary"]
    assert s["status"] == "dry_run"
    for v in s["tables"].values():
        assert v["estimated_rows"] > 0 and "INSERT INTO" in v["sql"]["duckdb"]
    assert not db.exists()
    ctx = out["migrate"][0]
    assert not rows(ctx, "SELECT * FROM migration_chunks WHERE run_id = ?", ctx.run_id)


def test_quarantine_release_and_rollback_commands(cli, tmp_path):
    crm = samples.write_samples(tmp_path / "crm")
    ws = tmp_path / "ws"
    ctx, _ = run_stages(ws, crm, {}, upto="migrate")["migrate"]
    run_id = ctx.run_id
    r = cli("migration", "quarantine", "--workspace", str(ws), run_id, "--export",
            str(tmp_path / "q.csv"))
    assert r.returncode == 0, r.stderr
    total = int(r.stdout.split()[0])
    assert total > 0 and (tmp_path / "q.csv").is_file()
    exported = (tmp_path / "q.csv").read_text()
    assert "@" not in exported            # masked: no e-mail address leaves the target
    locator = exported.splitlines()[1].split(",")[2]
    # an analyst may not release, an operator may; both decisions are in the ledger
    r = cli("migration", "release", "--workspace", str(ws), run_id, "--rows", locator,
            "--actor", "ana:analyst")
    assert r.returncode != 0 and "POLICY_BLOCK" in r.stderr
    r = cli("migration", "release", "--workspace", str(ws), run_id, "--rows", locator,
            "--actor", "oz:operator", "--force")
    assert r.returncode == 0 and "released 1 row" in r.stdout, r.stderr + r.stdout
    r = cli("migration", "quarantine", "--workspace", str(ws), run_id)
    assert int(r.stdout.split()[0]) == total  # the record stays, marked released
    r = cli("migration", "release", "--workspace", str(ws), run_id, "--rows", "nosuch:1",
            "--actor", "oz:operator")
    assert r.returncode != 0 and "nosuch:1" in r.stderr
    r = cli("migration", "rollback", "--workspace", str(ws), run_id, "--actor", "oz:operator")
    assert r.returncode == 0 and "rolled back" in r.stdout, r.stderr
    with duckdb.connect(str(ws / "data/migration/target.duckdb"), read_only=True) as con:
        left = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in _target_tables(crm) if con.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                    [t]).fetchone()[0]}
    assert not any(left.values())         # the previous version of a new table is empty
    events = {r["event"]: r["decision"] for r in rows(
        ctx, "SELECT event, decision FROM ledger WHERE run_id = ? ORDER BY event_id", run_id)}
    assert events.get("quarantine_released") == "accept"
    assert events.get("migration_rolled_back") == "accept"
    blocked = rows(ctx, "SELECT count(*) AS n FROM ledger WHERE run_id = ? AND event = "
                        "'policy_decision' AND decision = 'reject'", run_id)[0]["n"]
    assert blocked >= 1


def test_cli_run_migrates_into_a_postgresql_target_url(cli, tmp_path, postgres_url):
    import psycopg
    from test_migrate_data import pg_schema

    crm = samples.write_samples(tmp_path / "crm")
    ws = tmp_path / "ws"
    url = pg_schema(postgres_url, "mig_stage")
    r = cli("run", "migration", "--workspace", str(ws), "--input", str(crm[0]), "--input",
            str(crm[1]), "--input", str(crm[2]), "--param", f"target_url={url}",
            "--param", "batch_size=100", "--quiet", timeout=600)
    assert r.returncode == 0, r.stderr
    with psycopg.connect(postgres_url) as con:
        counts = {t: con.execute(f'SELECT count(*), count(DISTINCT {k}) FROM mig_stage."{t}"'
                                 ).fetchone()
                  for t, k in (("customers", "customer_id"), ("orders", "order_id"))}
    assert all(n == d and n > 0 for n, d in counts.values()), counts
    summary = json.loads(next((ws / "reports/migration").glob("*/migration_run.json")
                              ).read_text())
    assert summary["dialect"] == "postgres" and summary["status"] == "promoted"
    assert sum(v["chunks"] for v in summary["tables"].values()) > 2   # batch_size=100
    assert sum(v["rows_out"] for v in summary["tables"].values()) == sum(
        n for n, _ in counts.values())


def test_a_target_held_by_a_dying_process_is_waited_for(tmp_path):
    import subprocess
    import sys
    import time

    from workbench.pipelines.migration import stages

    crm = samples.write_samples(tmp_path / "crm")
    ws = tmp_path / "ws"
    run_stages(ws, crm, {}, upto="analysis")
    target = ws / "data/migration/target.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    # like the kernel of a killed run: it holds the file for a moment, then lets go
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
        " time.sleep(2); c.close()"), str(target)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    t0 = time.monotonic()
    import workbench as wb

    mctx = wb.open_stage("migration", "migrate", workspace=str(ws),
                         inputs=[str(i) for i in crm], params={})
    s = stages.migrate(mctx)["summary"]
    holder.wait(timeout=30)
    assert s["status"] == "promoted" and time.monotonic() - t0 >= 1.0
