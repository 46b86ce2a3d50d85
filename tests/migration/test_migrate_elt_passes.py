"""The ELT validation passes (set-wise SQL over staging, Polars for the suspects only).

They must give what validating every chunk whole gives: the same reason codes, collapsed rows,
masked counts and content hashes whichever path (all suspects at once, chunk by chunk, ETL)
ran, and whatever the order of the source rows; a disagreement between SQL and Polars fails
the chunk and leaves staging as it was, so a rerun repairs it.
"""
from __future__ import annotations

import json

import polars as pl
import pytest
import test_migrate_data as md

from workbench.pipelines.migration.migrate import chunkrun, migrate
from workbench.pipelines.migration.migrate.locate import as_target
from workbench.pipelines.migration.migrate.plans import preflight
from workbench.pipelines.migration.migrate.quarantine import records, records_by_chunk
from workbench.pipelines.migration.migrate.targets import open_target
from workbench.pipelines.migration.migrate.validate import (
    ChunkCheck,
    check_chunk,
)

KEYS = {"customers": "customer_id", "orders": "order_id"}


def _run(tmp_path, name: str, sources=None, strategy=None, run_id: str = "p") -> str:
    url = f"duckdb:///{tmp_path / f'{name}.duckdb'}"
    out = migrate(settings=md.settings(tmp_path / f"ws-{name}"), run_id=run_id,
                  params=md.params(url), mappings=md.mapping_rows(),
                  sources=sources if sources is not None else md.frames(1500, 2000),
                  target=md.SCHEMA, strategy=strategy)
    assert out["status"] == "promoted", out["tables"]
    return url


def _chunks(url: str) -> dict:
    with open_target(url) as t:
        rows = t.query("SELECT chunk_id, content_hash, row_count_in, row_count_out, "
                       "quarantined, validations FROM _workbench_chunks ORDER BY chunk_id")
    out = {}
    for cid, h, n_in, n_out, quar, v in rows:
        v = json.loads(v)
        out[cid] = {"hash": h, "counts": (n_in, n_out, quar), "masked": v["masked"],
                    "checks": {k: v[k] for k in ("types", "not_null", "enums", "unique_key")},
                    "rows": {k: v["row_count"][k] for k in ("in", "out", "quarantined",
                                                            "collapsed")}}
    return out


def _quarantine(url: str) -> list[tuple]:
    with open_target(url) as t:
        return t.query("SELECT locator, reason_codes, preview_before, preview_after, diff, raw "
                       "FROM _workbench_quarantine ORDER BY locator")


def _final(url: str) -> dict[str, pl.DataFrame]:
    return {n: md.table(url, n, k) for n, k in KEYS.items()}


def test_content_hash_does_not_depend_on_the_source_row_order(tmp_path):
    src = md.frames(1500, 2000)
    shuffled = {n: f.sample(fraction=1.0, shuffle=True, seed=16) for n, f in src.items()}
    assert not shuffled["customers"].equals(src["customers"])
    a, b = _run(tmp_path, "a", src), _run(tmp_path, "b", shuffled)
    ca, cb = _chunks(a), _chunks(b)
    assert ca.keys() == cb.keys()
    for cid in ca:
        assert ca[cid]["hash"] == cb[cid]["hash"], cid
        assert ca[cid]["counts"] == cb[cid]["counts"], cid
    fa, fb = _final(a), _final(b)
    assert all(fa[n].equals(fb[n]) for n in KEYS)


def test_suspects_checked_at_once_chunk_by_chunk_or_by_etl_agree(tmp_path, monkeypatch):
    bulk = _run(tmp_path, "bulk")
    monkeypatch.setattr(chunkrun, "BULK_SUSPECTS", 0)
    each = _run(tmp_path, "each")
    monkeypatch.undo()
    etl = _run(tmp_path, "etl", strategy="etl")
    cb, ce, ct = _chunks(bulk), _chunks(each), _chunks(etl)
    assert cb == ce
    assert {c: (v["hash"], v["counts"], v["masked"], v["checks"], v["rows"])
            for c, v in cb.items()} == {c: (v["hash"], v["counts"], v["masked"], v["checks"],
                                            v["rows"]) for c, v in ct.items()}
    assert any(v["masked"] for v in cb.values())
    strip = [(loc, why, before, after, diff) for loc, why, before, after, diff, _ in
             _quarantine(bulk)]
    assert _quarantine(bulk) == _quarantine(each)
    assert strip == [q[:5] for q in _quarantine(etl)]
    assert all(_final(bulk)[n].equals(_final(etl)[n]) for n in KEYS)
    with open_target(bulk) as t:
        steps = {r[0]: json.loads(r[1]) for r in t.query(
            "SELECT target_table, detail FROM _workbench_steps WHERE step = 'apply' AND "
            "status = 'done'")}
    assert set(steps) == set(KEYS)
    assert all(s["deleted"] == s["expected"] > 0 for s in steps.values())


def test_sql_and_polars_disagreeing_fail_the_chunk_and_a_rerun_repairs_it(tmp_path,
                                                                          monkeypatch):
    real = chunkrun.check_chunk

    def lenient(frame, tp):           # "forgets" the exact duplicates: keeps them valid
        c = real(frame, tp)
        if tp.table != "customers" or not c.collapsed.len():
            return c
        back = frame.filter(pl.col("_wb_row").is_in(c.collapsed.implode()))
        return ChunkCheck(pl.concat([c.valid, back]), c.rejected, c.collapsed.clear(),
                          c.validations)

    src = md.frames(1500, 2000)
    url = f"duckdb:///{tmp_path / 'd.duckdb'}"
    args = {"settings": md.settings(tmp_path / "ws"), "run_id": "d", "params": md.params(url),
            "mappings": md.mapping_rows(), "sources": src, "target": md.SCHEMA}
    monkeypatch.setattr(chunkrun, "check_chunk", lenient)
    out = migrate(**args)
    assert out["status"] == "validation_failed"
    assert out["tables"]["customers"]["failed_chunks"]
    with open_target(url) as t:
        assert "customers" not in t.tables()
        v = json.loads(t.query("SELECT validations FROM _workbench_chunks WHERE status = "
                               "'failed' LIMIT 1")[0][0])
        assert not t.query("SELECT 1 FROM _workbench_steps WHERE step IN ('apply', "
                           "'fk_check') AND target_table = 'customers'")
    assert v["checksum"]["status"] == "fail" and "disagree" in v["checksum"]["detail"]
    monkeypatch.undo()
    assert migrate(**args)["status"] == "promoted"
    ref = _run(tmp_path, "ref", src)
    assert all(_final(url)[n].equals(_final(ref)[n]) for n in KEYS)
    assert _quarantine(url) == _quarantine(ref)


@pytest.fixture(scope="module")
def customers_plan():
    plans, _ = preflight(md.mapping_rows(), as_target(md.SCHEMA))
    return next(p for p in plans if p.table == "customers")


def _rejected(plan, rows: list[dict], chunks: list[int]) -> pl.DataFrame:
    from workbench.pipelines.migration.migrate.compile import etl_frame

    raw = pl.DataFrame(rows).with_row_index("_wb_row").with_columns(pl.col("_wb_row")
                                                                     .cast(pl.Int64))
    frame = etl_frame(raw, plan).with_columns(pl.Series("_wb_chunk", chunks, pl.Int32))
    return check_chunk(frame, plan).rejected


@pytest.mark.parametrize("email", ["ada{i}@example.org", "<EMAIL_ADDRESS> ada{i}@example.org"])
def test_masked_counts_by_chunk_equal_masking_each_chunk(customers_plan, email):
    rows = [{"cust_id": i, "first_name": "ada" if i % 3 else None, "last_name": "li",
             "email": email.format(i=i) + (f" or bo{i}@x.org" if i % 4 == 0 else ""),
             "dob": "31/12/1990", "balance_cents": i, "status": "a"} for i in range(12)]
    rej = _rejected(customers_plan, rows, [i % 3 for i in range(12)])
    recs, per = records_by_chunk(rej, customers_plan, "r")
    alone = {int(k[0]): records(part, customers_plan, "r")[1]
             for k, part in rej.partition_by("_wb_chunk", as_dict=True).items()}
    assert per == alone and any(c.get("EMAIL_ADDRESS") for c in per.values())
    whole = records(rej, customers_plan, "r")[0]
    assert recs.drop("created_at").equals(whole.drop("created_at"))


def test_masked_counts_fall_back_to_masking_each_chunk(customers_plan, monkeypatch):
    from workbench import pii

    real = pii.mask_frame

    def doubled(*a, **k):             # counts that the tags cannot explain
        df, audit = real(*a, **k)
        return df, [{**r, "count": 2 * r["count"]} for r in audit]

    monkeypatch.setattr(pii, "mask_frame", doubled)
    rows = [{"cust_id": i, "first_name": "ada", "last_name": "li", "email": f"u{i}@x.org",
             "dob": "31/12/1990", "balance_cents": i, "status": "a"} for i in range(6)]
    rej = _rejected(customers_plan, rows, [0, 1, 2, 0, 1, 2])
    _, per = records_by_chunk(rej, customers_plan, "r")
    assert per == {c: records(rej.filter(pl.col("_wb_chunk") == c), customers_plan, "r")[1]
                   for c in (0, 1, 2)}
    assert per[0]["EMAIL_ADDRESS"] == 8       # 2 rows x (before + after) x 2


def test_a_composite_key_and_a_surrogate_key_give_what_etl_gives(tmp_path):
    schema = {"tables": [
        {"name": "lines", "columns": [
            {"name": "order_no", "type": "integer", "key": True, "nullable": False},
            {"name": "line_no", "type": "integer", "key": True, "nullable": False},
            {"name": "sku", "type": "string", "nullable": False}]},
        {"name": "notes", "columns": [{"name": "body", "type": "string"}]}]}

    def row(table, col, inputs, steps=()):
        names = [i if isinstance(i, str) else i["name"] for i in inputs]
        return {"target_table": table, "target_column": col, "decision": "accept",
                "decided_by": "rules", "source_columns": json.dumps([f"{table}.{n}"
                                                                      for n in names]),
                "dsl": json.dumps({"inputs": inputs, "output": col, "steps": list(steps)})}

    mappings = [row("lines", "order_no", [{"name": "o", "type": "integer"}]),
                row("lines", "line_no", [{"name": "ln", "type": "integer"}]),
                row("lines", "sku", ["sku"], [{"op": "trim"}]),
                row("notes", "body", ["body"], [{"op": "trim"}])]
    n = 3000
    lines = pl.DataFrame({"o": [i // 3 for i in range(n)], "ln": [i % 3 for i in range(n)],
                          "sku": [f" s{i} " for i in range(n)]})
    lines = pl.concat([lines, lines.slice(10, 20),                      # exact duplicates
                       lines.slice(100, 5).with_columns(pl.lit("other").alias("sku")),
                       pl.DataFrame({"o": [None, 7], "ln": [1, None], "sku": ["x", "y"]},
                                    schema=lines.schema)])
    notes = pl.DataFrame({"body": [f" note {i} " if i % 50 else None for i in range(2000)]})
    out = {}
    for strategy in ("elt", "etl"):
        url = f"duckdb:///{tmp_path / f'{strategy}.duckdb'}"
        res = migrate(settings=md.settings(tmp_path / f"ws-{strategy}"), run_id="k",
                      params=md.params(url, batch_size=700), mappings=mappings,
                      sources={"lines": lines, "notes": notes}, target=schema,
                      strategy=strategy)
        assert res["status"] == "promoted", res["tables"]
        out[strategy] = (md.table(url, "lines", "order_no").sort("order_no", "line_no"),
                         md.table(url, "notes", "_wb_id"), _chunks(url),
                         [q[:5] for q in _quarantine(url)], res["tables"])
    elt, etl = out["elt"], out["etl"]
    assert elt[0].equals(etl[0]) and elt[1].equals(etl[1])
    assert {c: v["hash"] for c, v in elt[2].items()} == {c: v["hash"] for c, v in etl[2].items()}
    assert elt[3] == etl[3]
    t = elt[4]["lines"]
    assert t["collapsed"] == 20 and t["quarantined"] == 12         # 5 x 2 conflicts + 2 nulls
    assert elt[0].height == n - 5                                  # the 5 conflicting keys
    assert elt[1].height == 2000 and elt[1]["_wb_id"].to_list() == list(range(1, 2001))
