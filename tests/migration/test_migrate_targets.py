"""The engine on each target: DuckDB (ELT and ETL), SQLite and PostgreSQL give the same tables.

Final tables carry the target schema's names and columns; checkpoints, steps and quarantine are
mirrored into the workspace; a second run of a promoted run changes nothing.
"""
from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest
import test_migrate_data as md

from workbench.errors import BadInput
from workbench.pipelines.migration.migrate import migrate
from workbench.pipelines.migration.migrate.targets import open_target

CHECKPOINT_FIELDS = {"run_id", "stage", "chunk_id", "content_hash", "started_at", "finished_at",
                     "row_count_in", "row_count_out", "validations", "status", "next_action"}
SCHEMAS = {"customers": {"customer_id": pl.Int64, "full_name": pl.String, "email": pl.String,
                         "birth_date": pl.Date, "balance_usd": pl.Float64, "status": pl.String,
                         "nickname": pl.String},
           "orders": {"order_id": pl.Int64, "customer_id": pl.Int64, "weight_kg": pl.Float64,
                      "amount_usd": pl.Float64}}
KEYS = {"customers": "customer_id", "orders": "order_id"}


def _final(url: str) -> dict[str, pl.DataFrame]:
    with open_target(url) as t:
        return {n: t.frame(f'SELECT * FROM "{n}" ORDER BY "{KEYS[n]}"', schema=s)
                for n, s in SCHEMAS.items()}


def _run(tmp_path, url: str, run_id: str = "run-1", **kw) -> dict:
    return migrate(settings=md.settings(tmp_path / "ws"), run_id=run_id, params=md.params(url),
                   mappings=md.mapping_rows(), sources=md.frames(), target=md.SCHEMA, **kw)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ref")
    url = f"duckdb:///{ws / 'ref.duckdb'}"
    out = _run(ws, url)
    return out, _final(url), ws


def _workspace(ws) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(ws / "ws" / "data" / "workbench.duckdb"), read_only=True)


def test_duckdb_elt_final_tables_checkpoints_and_quarantine(reference):
    out, final, ws = reference
    assert out["status"] == "promoted" and out["strategy"]["chosen"] == "elt"
    with open_target(f"duckdb:///{ws / 'ref.duckdb'}") as t:
        assert {"customers", "orders"} <= t.tables()
        assert t.columns("customers") == list(SCHEMAS["customers"])
        assert not t.unique_on("customers", ["customer_id"])   # key_index=auto: no DuckDB index
        comment = t.query("SELECT comment FROM duckdb_tables() WHERE table_name = 'customers'")
        assert "key (customer_id) kept unique" in comment[0][0]
    cust = final["customers"]
    assert cust["customer_id"].is_duplicated().sum() == 0
    assert cust["nickname"].null_count() == cust.height          # unmapped: NULL
    assert set(cust["status"].unique().to_list()) <= {"active", "closed", "suspended"}
    assert cust.filter(pl.col("customer_id") == 1)["balance_usd"].item() == pytest.approx(0.37)
    tables = out["tables"]
    assert tables["customers"]["quarantined"] > 0 and tables["orders"]["fk_violations"] > 0
    with _workspace(ws) as con:
        cols = {d[0] for d in con.execute("SELECT * FROM migration_chunks LIMIT 0").description}
        assert CHECKPOINT_FIELDS <= cols
        chunks = con.execute("SELECT target_table, status, validations, content_hash FROM "
                             "migration_chunks WHERE run_id = 'run-1'").fetchall()
        reasons = dict(con.execute("SELECT split_part(reason, ':', 1), count(*) FROM quarantine "
                                   "WHERE run_id = 'run-1' AND stage = 'migrate' GROUP BY 1")
                       .fetchall())
    assert len(chunks) == tables["customers"]["chunks"] + tables["orders"]["chunks"]
    assert all(s == "done" and len(h) == 64 for _, s, _, h in chunks)
    v = json.loads(chunks[0][2])
    assert {"row_count", "checksum", "not_null", "types", "enums", "unique_key"} <= set(v)
    assert v["checksum"]["status"] == v["row_count"]["status"] == "pass"
    assert {"type", "enum", "unique_key", "fk"} <= set(reasons)


def test_a_promoted_run_run_again_changes_nothing(reference, tmp_path):
    _out, final, ws = reference
    url = f"duckdb:///{ws / 'ref.duckdb'}"
    again = migrate(settings=md.settings(ws / "ws"), run_id="run-1", params=md.params(url),
                    mappings=md.mapping_rows(), sources=md.frames(), target=md.SCHEMA)
    assert again["status"] == "promoted"
    after = _final(url)
    assert all(after[n].equals(final[n]) for n in final)


@pytest.mark.parametrize("kind", ["duckdb-etl", "sqlite"])
def test_other_targets_give_identical_tables(kind, reference, tmp_path):
    _, final, _ = reference
    url = f"duckdb:///{tmp_path / 'etl.duckdb'}" if kind == "duckdb-etl" else \
        f"sqlite:///{tmp_path / 't.sqlite'}"
    out = _run(tmp_path, url, strategy="etl" if kind == "duckdb-etl" else None)
    assert out["status"] == "promoted" and out["strategy"]["chosen"] == "etl"
    got = _final(url)
    for name in final:
        assert got[name].equals(final[name]), name


def test_postgresql_target(postgres_url, reference, tmp_path):
    _, final, _ = reference
    url = md.pg_schema(postgres_url, "mig_targets")
    out = _run(tmp_path, url)
    assert out["status"] == "promoted" and out["dialect"] == "postgres"
    got = _final(url)
    for name in final:
        assert got[name].equals(final[name]), name
    with open_target(url) as t:
        assert t.unique_on("orders", ["order_id"])
        assert t.query("SELECT count(*) FROM _workbench_chunks WHERE status = 'done'")[0][0] \
            == out["tables"]["customers"]["chunks"] + out["tables"]["orders"]["chunks"]


def test_content_hashes_do_not_depend_on_strategy_or_target(reference, tmp_path):
    _, _, ws = reference
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    migrate(settings=md.settings(ws / "ws"), run_id="run-hash", params=md.params(url),
            mappings=md.mapping_rows(), sources=md.frames(), target=md.SCHEMA)
    with _workspace(ws) as con:
        pairs = con.execute("SELECT a.content_hash, b.content_hash FROM migration_chunks a JOIN "
                            "migration_chunks b USING (chunk_id) WHERE a.run_id = 'run-1' AND "
                            "b.run_id = 'run-hash'").fetchall()
    assert pairs and all(a == b for a, b in pairs)


def test_parquet_sources_are_read_in_database(tmp_path, reference):
    _, final, _ = reference
    files = md.parquet(tmp_path / "src")
    url = f"duckdb:///{tmp_path / 'pq.duckdb'}"
    out = migrate(settings=md.settings(tmp_path / "ws"), run_id="pq", params=md.params(url),
                  mappings=md.mapping_rows(), sources={k: str(v) for k, v in files.items()},
                  target=md.SCHEMA)
    assert out["strategy"]["chosen"] == "elt"
    got = _final(url)
    assert all(got[n].equals(final[n]) for n in final)
    assert not (tmp_path / "ws" / "data" / "migration" / "spool").exists() or not any(
        (tmp_path / "ws" / "data" / "migration" / "spool").iterdir())
    md.parquet(tmp_path / "src", customers=2100)      # the same run id, other source bytes
    with pytest.raises(BadInput, match="chunking or source files"):
        migrate(settings=md.settings(tmp_path / "ws"), run_id="pq", params=md.params(url),
                mappings=md.mapping_rows(), sources={k: str(v) for k, v in files.items()},
                target=md.SCHEMA)


@pytest.mark.parametrize("kind", ["sqlite", "duckdb-etl"])
def test_parquet_sources_stream_through_the_etl_spool(kind, tmp_path, reference):
    _, final, _ = reference
    files = md.parquet(tmp_path / "src")
    url = f"sqlite:///{tmp_path / 't.sqlite'}" if kind == "sqlite" else \
        f"duckdb:///{tmp_path / 'etl.duckdb'}"
    ws = tmp_path / "ws"
    out = migrate(settings=md.settings(ws), run_id="spool", params=md.params(
        url, strategy="etl" if kind != "sqlite" else "auto"), mappings=md.mapping_rows(),
        sources={k: str(v) for k, v in files.items()}, target=md.SCHEMA)
    assert out["status"] == "promoted" and out["strategy"]["chosen"] == "etl"
    got = _final(url)
    assert all(got[n].equals(final[n]) for n in final)
    spool = ws / "data" / "migration" / "spool"
    assert not spool.exists() or not any(spool.iterdir())     # removed once a table is done
