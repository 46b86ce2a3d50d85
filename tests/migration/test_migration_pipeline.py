"""The migration pipeline on the sample CRM: both modes, CSV and SQLite sources, tables, PII."""
from __future__ import annotations

import json

import pytest
from mig_run import rows, run_stages

from workbench.errors import PolicyBlock
from workbench.pipelines.migration import samples, stages


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    out = tmp_path_factory.mktemp("crm")
    return out, samples.write_samples(out)


@pytest.fixture(scope="module")
def data_run(crm, tmp_path_factory):
    _, inputs = crm
    return run_stages(tmp_path_factory.mktemp("ws-data"), inputs, {"mode": "data_mode"})


@pytest.fixture(scope="module")
def meta_run(crm, tmp_path_factory):
    _, inputs = crm
    return run_stages(tmp_path_factory.mktemp("ws-meta"), inputs, {"mode": "metadata_only"})


def test_catalog_covers_every_column_with_types_keys_and_a_hashed_artifact(data_run):
    ctx, _out = data_run["ingest"]
    cat = rows(ctx, "SELECT * FROM migration_catalog WHERE run_id = ?", ctx.run_id)
    tables = {r["source_table"] for r in cat}
    assert tables == {"customers", "orders"}
    assert all(r["catalog_version"] and r["shim"] for r in cat)
    assert any(r["is_key"] for r in cat if r["source_table"] == "orders")
    dtypes = {r["source_column"]: r["dtype"] for r in cat}
    assert "date" in dtypes.values() and "integer" in dtypes.values()
    digest = ctx.artifact("catalog.json.sha256").read_text().split()[0]
    import hashlib
    assert hashlib.sha256(ctx.artifact("catalog.json").read_bytes()).hexdigest() == digest
    contract = json.loads(ctx.artifact("run_contract.json").read_text())
    assert {"run_id", "roadmap_version", "mode", "lhs", "rhs", "pii_policy", "budget_caps",
            "routing_profile", "threshold_profile_id", "dsl_version", "sample_caps",
            "cache_scope", "human_confirm_required", "rbac_actor", "contract_hash"} <= set(contract)
    assert contract["rbac_actor"]["user_id"] and contract["mode"] == "data_mode"


def test_sample_pack_is_masked_and_nothing_stored_holds_a_source_email(crm, data_run):
    folder, _ = crm
    import polars as pl

    emails = set()
    for f in ("customers.csv",):
        text = (folder / f).read_bytes().decode("cp1252", errors="replace")
        import re
        emails |= set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text))
    assert emails
    ctx, _out = data_run["ingest"]
    pack = stages.sample_pack(ctx, "customers")
    assert pack.height > 0
    blob = pack.write_csv()
    assert not any(e in blob for e in emails)
    ws = ctx.settings.workspace
    for f in list(ws.rglob("*.json")) + list(ws.rglob("*.html")) + list(ws.rglob("*.parquet")):
        data = (pl.read_parquet(f).write_csv() if f.suffix == ".parquet"
                else f.read_bytes().decode("utf-8", errors="replace"))
        leaked = [e for e in emails if e in data]
        assert not leaked, f"{f} holds {leaked[:2]}"
    audit = rows(ctx, "SELECT * FROM pii_audit WHERE run_id = ?", ctx.run_id)
    assert sum(a["count"] for a in audit) > 0


def test_domains_matches_and_mappings_tables(data_run):
    ctx, _ = data_run["mapping"]
    doms = rows(ctx, "SELECT * FROM migration_domains WHERE run_id = ? AND side = 'source'",
                ctx.run_id)
    assert {d["band"] for d in doms} <= {"high", "borderline", "low"}
    assert all(json.loads(d["evidence"])["alternatives"] for d in doms)
    matches = rows(ctx, "SELECT source_table, source_column, count(*) AS k, min(rank) AS r1 "
                        "FROM migration_matches WHERE run_id = ? GROUP BY ALL", ctx.run_id)
    assert all(m["k"] >= 3 and m["r1"] == 1 for m in matches)
    maps = {(m["target_table"], m["target_column"]): m for m in rows(
        ctx, "SELECT * FROM migration_mappings WHERE run_id = ?", ctx.run_id)}
    assert set(maps) == set(samples.EXPECTED_MAPPINGS)
    for m in maps.values():
        assert m["decision"] in ("accept", "hold", "fix") and m["rationale"]
        if m["dsl"]:
            assert len(m["dsl_hash"]) == 64 and m["sql"] and m["polars"]
            assert m["success_rate"] is not None
    right = 0
    for key, want in samples.EXPECTED_MAPPINGS.items():
        got = {tuple(s.split(".", 1)) for s in json.loads(maps[key]["source_columns"])}
        right += got == {(t, _std(c)) for t, c in want}
    assert right >= 0.8 * len(maps), right
    strategies = {m["strategy"] for m in maps.values()}
    assert {"decompose", "unit", "type"} <= strategies


def _std(name: str) -> str:
    from workbench.pipelines.migration.catalog import standard_name

    return standard_name(name)


def test_analysis_has_data_checks_and_golden_figures(data_run):
    ctx, out = data_run["analysis"]
    checks = {r["check"] for r in out["analysis"].iter_rows(named=True)}
    assert {"consistency", "domain_coverage", "feasibility", "duplicate_keys"} & checks
    assert {"nulls", "date_sanity"} <= checks or "distribution" in checks
    assert out["golden"]["domains"]["columns"] >= 300
    assert json.loads(ctx.artifact("analysis.json").read_text())["versions"]["dsl_version"]


def test_metadata_only_keeps_no_rows_and_refuses_samples(meta_run):
    ctx, out = meta_run["ingest"]
    assert out["sample_rows"] == 0
    assert not ctx.run_lake_path("migration_samples").exists()
    with pytest.raises(PolicyBlock, match="row_samples"):
        stages.sample_pack(ctx, "customers")
    ctx, out = meta_run["mapping"]
    assert out["mappings"]["success_rate"].null_count() == out["mappings"].height
    assert all("symbolic" in r or "needs the values" in r or "τ_low" in r
               for r in out["mappings"]["rationale"])
    ctx, out = meta_run["analysis"]
    assert not {"nulls", "duplicate_keys", "distribution"} & set(out["analysis"]["check"])
    ev = rows(ctx, "SELECT decision, detail FROM ledger WHERE run_id = ? AND "
                   "event = 'policy_decision'", ctx.run_id)
    assert any(e["decision"] == "reject" and "row_samples" in e["detail"] for e in ev)


def test_sqlite_source(crm, tmp_path):
    folder, inputs = crm
    out = run_stages(tmp_path, [inputs[-1]], {"mode": "data_mode",
                                    "source_url": f"sqlite:///{folder / 'crm.sqlite'}"},
                     upto="mapping")
    ctx, m = out["mapping"]
    assert m["mappings"].height == len(samples.EXPECTED_MAPPINGS)
    assert m["decisions"]["accept"] >= 3
    contract = json.loads(ctx.artifact("run_contract.json").read_text())
    assert contract["lhs"]["sources"][0]["type"] == "sql"
