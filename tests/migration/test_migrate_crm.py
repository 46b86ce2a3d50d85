"""The engine after the real stages on the sample CRM: ``migrate(ctx)`` reads the run's mapping
plan, standardized sources and target from the stage context, like the future ``migrate`` stage."""
from __future__ import annotations

import json

import pytest
from mig_run import rows, run_stages

from workbench.pipelines.migration import samples
from workbench.pipelines.migration.migrate import migrate, quarantine_rows
from workbench.pipelines.migration.migrate.targets import open_target


@pytest.fixture(scope="module")
def crm_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crm")
    inputs = samples.write_samples(folder)
    ctx, _ = run_stages(tmp_path_factory.mktemp("ws"), inputs, {"mode": "data_mode"},
                        upto="mapping")["mapping"]
    return ctx, migrate(ctx)


def test_the_accepted_plan_lands_in_the_default_duckdb_target(crm_run):
    ctx, out = crm_run
    assert out["status"] == "promoted" and out["strategy"]["chosen"] == "elt"
    assert out["target_url"].endswith("data/migration/target.duckdb")
    accepted = {(r["target_table"], r["target_column"]) for r in rows(
        ctx, "SELECT * FROM migration_mappings WHERE run_id = ? AND decision = 'accept'",
        ctx.run_id)}
    with open_target(out["target_url"]) as t:
        for table in ("customers", "orders"):
            cols = t.columns(table)
            assert {c for tb, c in accepted if tb == table} <= set(cols)
            assert t.query(f'SELECT count(*) FROM "{table}"')[0][0] == \
                out["tables"][table]["rows_out"]
        orphans = t.query("SELECT count(*) FROM orders o WHERE customer_id IS NOT NULL AND "
                          "NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = "
                          "o.customer_id)")[0][0]
        dupes = t.query("SELECT count(*) - count(DISTINCT customer_id) FROM customers")[0][0]
    assert orphans == 0 and dupes == 0


def test_quarantine_and_ledger_of_the_crm_run(crm_run):
    ctx, out = crm_run
    q = quarantine_rows(ctx.settings, ctx.run_id)
    reasons = set(q["reason"].to_list())
    assert "unique_key" in reasons and "fk:customer_id" in reasons      # reused ids, orphans
    assert q.height == sum(t["quarantined"] for t in out["tables"].values())
    previews = [json.loads(p) for p in q["masked_preview"]]
    before = [p["before"] for p in previews if "e_mail" in p["before"]]
    assert before and all(b["e_mail"] in (None, "<EMAIL_ADDRESS>") for b in before)
    events = [r["event"] for r in rows(ctx, "SELECT event FROM ledger WHERE run_id = ? AND "
                                            "stage = 'migrate' ORDER BY event_id", ctx.run_id)]
    assert events[-3:] == ["migration_preflight", "migration_strategy", "migration_promoted"]
    steps = {(r["target_table"], r["step"]): r["status"] for r in rows(
        ctx, "SELECT * FROM migration_steps WHERE run_id = ?", ctx.run_id)}
    assert steps[("*", "promote")] == "done" and steps[("orders", "fk_check")] == "done"
