"""Promotion, backups, rollback and quarantine release (§32, §34, §45), RBAC-gated."""
from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest
import test_migrate_data as md

from workbench.errors import BadInput, PolicyBlock
from workbench.pipelines.migration.migrate import migrate, quarantine_rows, release, rollback
from workbench.pipelines.migration.migrate.targets import open_target

OPERATOR = {"user_id": "olga", "role": "operator"}
ANALYST = {"user_id": "ana", "role": "analyst"}


def _final(url: str, table: str = "customers") -> pl.DataFrame:
    return md.table(url, table, "customer_id" if table == "customers" else "order_id")


def _run(ws, url, run_id, sources, mappings=None, **params):
    return migrate(settings=md.settings(ws), run_id=run_id, params=md.params(url, **params),
                   mappings=mappings or md.mapping_rows(), sources=sources, target=md.SCHEMA)


def _ledger(ws, run_id: str) -> list[tuple]:
    with duckdb.connect(str(ws / "data" / "workbench.duckdb"), read_only=True) as con:
        return con.execute("SELECT event, decision, error_code FROM ledger WHERE run_id = ? "
                           "ORDER BY event_id", [run_id]).fetchall()


@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_promotion_keeps_a_backup_and_rollback_restores_it(kind, tmp_path, request):
    if kind == "postgres":
        url = md.pg_schema(request.getfixturevalue("postgres_url"), "mig_promote")
    else:
        url = f"duckdb:///{tmp_path / 't.duckdb'}"
    ws, v1 = tmp_path / "ws", md.frames(400, 500)
    assert _run(ws, url, "A", v1)["status"] == "promoted"
    after_a = {n: _final(url, n) for n in ("customers", "orders")}
    v2 = md.frames(600, 700)
    v2["customers"] = v2["customers"].with_columns(pl.col("balance_cents") + 1)
    out_b = _run(ws, url, "B", v2)
    assert out_b["status"] == "promoted"
    after_b = _final(url)
    assert after_b.height > after_a["customers"].height
    assert after_b["customer_id"].is_duplicated().sum() == 0
    with open_target(url) as t:
        backup = t.frame('SELECT * FROM "_wb_backup_customers" ORDER BY customer_id',
                         schema=dict(after_a["customers"].schema))
    assert backup.equals(after_a["customers"])
    with pytest.raises(BadInput, match="promoted again by run B"):
        rollback(md.settings(ws), "A", OPERATOR, target_url=url)
    restored = rollback(md.settings(ws), "B", OPERATOR, target_url=url)
    assert restored["restored"]["customers"] == after_a["customers"].height
    for n, frame in after_a.items():
        assert _final(url, n).equals(frame), n
    with pytest.raises(BadInput, match="no live promotion"):
        rollback(md.settings(ws), "B", OPERATOR, target_url=url)
    assert ("migration_rolled_back", "accept", None) in _ledger(ws, "B")
    again = _run(ws, url, "B", v2)
    assert again["status"] == "rolled_back"                 # not silently re-promoted


def test_rollback_and_release_need_an_operator(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    _run(ws, url, "R", md.frames(300, 300))
    before = _final(url)
    with pytest.raises(PolicyBlock, match="rollback needs one of the roles"):
        rollback(md.settings(ws), "R", ANALYST, target_url=url)
    with pytest.raises(PolicyBlock, match="release_quarantine"):
        release(md.settings(ws), "R", "all", ANALYST, target_url=url)
    assert _final(url).equals(before)
    refused = [e for e in _ledger(ws, "R") if e[0] == "policy_decision" and e[1] == "reject"]
    assert len(refused) == 2 and all(e[2] == "POLICY_BLOCK" for e in refused)


def _quarantined(ws, run_id: str, prefix: str) -> list[str]:
    df = quarantine_rows(md.settings(ws), run_id)
    return df.filter(pl.col("reason").str.starts_with(prefix))["locator"].to_list()


def test_release_reruns_rows_through_a_fixed_plan(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    _run(ws, url, "F", md.frames(1200, 100))
    bad_dates = _quarantined(ws, "F", "type:birth_date")
    enums = _quarantined(ws, "F", "enum:")
    assert bad_dates and enums
    fix = next(r for r in md.mapping_rows() if r["target_column"] == "birth_date")
    fix = {**fix, "dsl": json.dumps({"inputs": ["dob"], "output": "birth_date", "steps": [
        {"op": "date_parse", "args": {"format": "%d/%m/%Y"}}]})}
    out = release(md.settings(ws), "F", bad_dates + enums[:1], OPERATOR, target_url=url,
                  mappings=[fix])
    assert out["released"] == len(bad_dates)
    assert out["still_quarantined"] == enums[:1]
    final = _final(url)
    ids = [int(x.split(":")[1]) for x in bad_dates]   # row ordinals == customer ids here
    got = final.filter(pl.col("customer_id").is_in(ids))
    assert got.height == len(ids) and got["birth_date"].dt.year().to_list() == [1990] * len(ids)
    left = quarantine_rows(md.settings(ws), "F")
    status = {r["locator"]: json.loads(r["masked_preview"])["status"]
              for r in left.iter_rows(named=True)}
    assert all(status[x] == "released" for x in bad_dates)
    assert status[enums[0]] == "quarantined"
    assert ("quarantine_released", "accept", None) in _ledger(ws, "F")


def test_force_release_of_one_conflicting_duplicate(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    _run(ws, url, "D", md.frames(700, 100))
    conflicts = quarantine_rows(md.settings(ws), "D").filter(pl.col("reason") == "unique_key")
    assert conflicts.height >= 2
    pick = conflicts.sort("locator")["locator"][-1]          # the later, 'zed …' version
    out = release(md.settings(ws), "D", [pick], OPERATOR, target_url=url, force=True)
    assert out["released"] == 1
    key = json.loads(conflicts.filter(pl.col("locator") == pick)["masked_preview"][0])["key"]
    row = _final(url).filter(pl.col("customer_id") == int(key))
    assert row["full_name"].item().startswith("zed")
    with pytest.raises(BadInput, match="not quarantined"):
        release(md.settings(ws), "D", [pick], OPERATOR, target_url=url)


def test_quarantine_rows_are_listed_and_exported_masked(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    _run(ws, url, "Q", md.frames(600, 700))
    for name in ("q.csv", "q.json", "q.parquet"):
        df = quarantine_rows(md.settings(ws), "Q", export=tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0 and df.height > 0
    text = (tmp_path / "q.csv").read_text()
    assert "@example.com" not in text.lower() and "<EMAIL_ADDRESS>" in text
    with pytest.raises(BadInput, match="give a .csv"):
        quarantine_rows(md.settings(ws), "Q", export=tmp_path / "q.txt")


def test_an_existing_table_without_a_unique_key_is_merged(tmp_path):
    ws, url = tmp_path / "ws", f"duckdb:///{tmp_path / 't.duckdb'}"
    with open_target(url) as t:
        t.execute('CREATE TABLE customers (customer_id BIGINT, full_name VARCHAR, email VARCHAR, '
                  'birth_date DATE, balance_usd DOUBLE, status VARCHAR, nickname VARCHAR)')
        t.execute("INSERT INTO customers VALUES (1, 'old', NULL, NULL, NULL, NULL, 'keep'), "
                  "(999999, 'other', NULL, NULL, NULL, NULL, NULL)")
    out = _run(ws, url, "M", md.frames(300, 300))
    assert out["status"] == "promoted"
    final = _final(url)
    assert final["customer_id"].is_duplicated().sum() == 0
    one = final.filter(pl.col("customer_id") == 1)
    assert one["full_name"].item() == "bob lovelace"
    assert one["nickname"].item() == "keep"         # unmapped columns keep their values
    assert 999999 in final["customer_id"].to_list()
    with open_target(url) as t:
        assert json.loads(t.query("SELECT detail FROM _workbench_steps WHERE step = 'promote' "
                                  "AND target_table = 'customers'")[0][0])["merge"] == "merge"


@pytest.mark.parametrize(("kind", "choice", "indexed"), [
    ("duckdb", "on", True), ("sqlite", "off", False), ("sqlite", "auto", True)])
def test_key_index_decides_whether_a_created_table_gets_a_primary_key(kind, choice, indexed,
                                                                       tmp_path):
    url = f"{kind}:///{tmp_path / ('t.' + kind)}"
    ws = tmp_path / "ws"
    out = _run(ws, url, "K", md.frames(300, 300), key_index=choice)
    assert out["status"] == "promoted"
    with open_target(url) as t:
        assert t.unique_on("customers", ["customer_id"]) is indexed
        promoted = json.loads(t.query("SELECT detail FROM _workbench_steps WHERE step = "
                                      "'promote' AND target_table = 'customers'")[0][0])
    assert promoted["key_index"] is indexed
    again = _run(ws, url, "K2", md.frames(400, 400), key_index=choice)    # upsert / merge
    assert again["status"] == "promoted"
    assert _final(url)["customer_id"].is_duplicated().sum() == 0
    with pytest.raises(BadInput, match="key_index 'maybe'"):
        _run(tmp_path / "ws2", f"duckdb:///{tmp_path / 'x.duckdb'}", "X", md.frames(10, 10),
             key_index="maybe")
