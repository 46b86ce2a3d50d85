"""Validations (§37): row checks, content hashes, checksums, FK checks, failed validations.

A failed validation leaves the final table exactly as it was; rows that fail go to quarantine
with reason codes and masked previews (no raw e-mail address reaches the workspace).
"""
from __future__ import annotations

import json
import re

import duckdb
import polars as pl
import pytest
import test_migrate_data as md

from workbench.pipelines.migration.migrate import chunkrun, migrate
from workbench.pipelines.migration.migrate.chunks import chunk_ids, partition
from workbench.pipelines.migration.migrate.locate import as_target
from workbench.pipelines.migration.migrate.plans import preflight
from workbench.pipelines.migration.migrate.validate import check_chunk, content_hash

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture(scope="module")
def customers_plan():
    plans, _ = preflight(md.mapping_rows(), as_target(md.SCHEMA))
    return next(p for p in plans if p.table == "customers")


def _chunk(plan, rows: list[dict]) -> pl.DataFrame:
    from workbench.pipelines.migration.migrate.compile import etl_frame

    raw = pl.DataFrame(rows).with_row_index("_wb_row").with_columns(pl.col("_wb_row")
                                                                     .cast(pl.Int64))
    return etl_frame(raw, plan).with_columns(pl.lit(0, pl.Int32).alias("_wb_chunk"))


def _row(i: int, **kw) -> dict:
    return {"cust_id": i, "first_name": "ada", "last_name": "li", "email": f"u{i}@x.org",
            "dob": "1990-01-02", "balance_cents": 100 * (i or 0), "status": "a", **kw}


def test_row_checks_give_reason_codes_and_collapse_exact_duplicates(customers_plan):
    rows = [_row(1), _row(1), _row(2, dob="02/01/1990"), _row(3, status="x"),
            _row(4, first_name=None, last_name=None), _row(5), _row(5, first_name="bo"),
            _row(None), _row(6, dob=None)]
    check = check_chunk(_chunk(customers_plan, rows), customers_plan)
    reasons = dict(zip(check.rejected["_wb_row"].to_list(),
                       check.rejected["_wb_reasons"].to_list(), strict=True))
    assert reasons == {2: ["type:birth_date"], 3: ["enum:status"],
                       4: ["not_null:full_name"], 7: ["not_null:customer_id"],
                       5: ["unique_key"], 6: ["unique_key"]}
    assert check.collapsed.to_list() == [1]
    assert sorted(check.valid["customer_id"].to_list()) == [1, 6]     # a missing dob is fine
    v = check.validations
    assert v["row_count"] == {"in": 9, "out": 2, "quarantined": 6, "collapsed": 1,
                              "status": "pending"}
    assert v["types"]["columns"] == {"birth_date": 1} and v["enums"]["rows"] == 1
    assert v["unique_key"] == {"rows": 2, "collapsed": 1, "status": "quarantined"}


def test_content_hash_ignores_row_order_but_not_values(customers_plan):
    frame = check_chunk(_chunk(customers_plan, [_row(i) for i in range(50)]),
                        customers_plan).valid
    h = content_hash(frame, customers_plan)
    assert h == content_hash(frame.reverse(), customers_plan) and len(h) == 64
    changed = frame.with_columns(pl.when(pl.col("customer_id") == 7).then(pl.lit(0.5))
                                 .otherwise(pl.col("balance_usd")).alias("balance_usd"))
    assert content_hash(changed, customers_plan) != h


def test_chunking_is_deterministic_and_keeps_a_key_in_one_chunk():
    keys = pl.DataFrame({"k": [5, 1, 5, 9, 1, 5] * 100})
    a, b = chunk_ids(keys, ["k"], 7), chunk_ids(keys.reverse(), ["k"], 7).reverse()
    assert a.equals(b)
    per_key = pl.DataFrame({"k": keys["k"], "c": a}).group_by("k").agg(pl.col("c").n_unique())
    assert per_key["c"].max() == 1
    order, bounds = partition(a, 7)
    assert sum(n for _, n in bounds) == keys.height == order.len()


def _final(url: str, table: str = "customers") -> pl.DataFrame:
    return md.table(url, table, "customer_id" if table == "customers" else "order_id")


def test_a_failed_validation_leaves_the_final_table_untouched(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    src = md.frames(500, 600)
    first = migrate(settings=md.settings(ws), run_id="v1", params=md.params(url),
                    mappings=md.mapping_rows(), sources=src, target=md.SCHEMA)
    assert first["status"] == "promoted"
    before = {n: _final(url, n) for n in ("customers", "orders")}
    changed = {**src, "customers": src["customers"].with_columns(
        pl.lit("not a date").alias("dob"))}
    second = migrate(settings=md.settings(ws), run_id="v2",
                     params=md.params(url, quarantine_rate_max=0.05), mappings=md.mapping_rows(),
                     sources=changed, target=md.SCHEMA)
    assert second["status"] == "validation_failed"
    assert second["tables"]["customers"]["status"] == "fail"
    assert second["tables"]["customers"]["quarantine_rate"] > 0.9
    for n, frame in before.items():
        assert _final(url, n).equals(frame), n
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        ev = con.execute("SELECT error_code FROM ledger WHERE run_id = 'v2' AND event = "
                         "'migration_validation_failed'").fetchall()
        step = con.execute("SELECT status FROM migration_steps WHERE run_id = 'v2' AND "
                           "target_table = 'customers' AND step = 'validate'").fetchone()
    assert ev == [("QUARANTINE_REQUIRED",)] and step == ("fail",)


def test_a_checksum_mismatch_fails_its_chunk_and_a_rerun_repairs_it(tmp_path, monkeypatch):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    args = {"settings": md.settings(ws), "run_id": "cs", "params": md.params(url),
                "mappings": md.mapping_rows(), "sources": md.frames(500, 600), "target": md.SCHEMA}
    calls = {"n": 0}

    def flaky(expected, actual):
        calls["n"] += 1
        return calls["n"] != 2          # the second chunk's checksum "mismatches"

    monkeypatch.setattr(chunkrun, "same_checksum", flaky)
    out = migrate(**args)
    assert out["status"] == "validation_failed"
    assert out["tables"]["customers"]["failed_chunks"] == ["customers:00001"]
    from workbench.pipelines.migration.migrate.targets import open_target
    with open_target(url) as t:
        assert "customers" not in t.tables()                  # nothing promoted
        rec = t.query("SELECT status, next_action, validations FROM _workbench_chunks WHERE "
                      "chunk_id = 'customers:00001'")[0]
    assert rec[:2] == ("failed", "fix_and_rerun")
    assert json.loads(rec[2])["checksum"]["status"] == "fail"
    monkeypatch.undo()
    again = migrate(**args)
    assert again["status"] == "promoted"
    reference = tmp_path / "ref.duckdb"
    migrate(**{**args, "run_id": "ref", "params": md.params(f"duckdb:///{reference}")})
    assert _final(url).equals(_final(f"duckdb:///{reference}"))


def test_fk_violations_go_to_quarantine_with_masked_previews(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    out = migrate(settings=md.settings(ws), run_id="fk", params=md.params(url),
                  mappings=md.mapping_rows(), sources=md.frames(500, 600), target=md.SCHEMA)
    orders, customers = _final(url, "orders"), _final(url, "customers")
    assert orders["customer_id"].is_in(customers["customer_id"].implode()).all()
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT reason, masked_preview FROM quarantine WHERE run_id = 'fk' "
                           "AND stage = 'migrate'").fetchall()
    fk = [json.loads(p) for r, p in rows if r == "fk:customer_id"]
    assert len(fk) == out["tables"]["orders"]["fk_violations"] > 0
    assert fk[0]["diff"][0]["column"] == "customer_id" and fk[0]["before"]["cust_id"]
    assert {"chunk_id", "key", "reason_codes", "before", "after", "diff",
            "rbac_required_role"} <= set(fk[0])
    emails = [m for _, p in rows for m in EMAIL.findall(p)]
    assert not emails, emails[:3]
    names = [json.loads(p)["before"].get("first_name") for r, p in rows
             if not r.startswith("fk")]
    assert names and set(names) <= {"<PERSON>", None}
