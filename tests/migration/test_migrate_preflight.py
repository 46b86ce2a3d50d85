"""Pre-flight, key strategies, the strategy choice and the metadata_only dry run (§3, §14)."""
from __future__ import annotations

import json

import duckdb
import pytest
import test_migrate_data as md

from workbench.errors import BadInput, PolicyBlock
from workbench.pipelines.migration.migrate import migrate
from workbench.pipelines.migration.migrate.locate import as_target
from workbench.pipelines.migration.migrate.plans import preflight
from workbench.pipelines.migration.migrate.targets import open_target


def _args(tmp_path, **params):
    url = f"duckdb:///{tmp_path / 'target.duckdb'}"
    return {"settings": md.settings(tmp_path / "ws"), "run_id": "pf", "params": md.params(url, **params),
                "mappings": md.mapping_rows(), "sources": md.frames(300, 300), "target": md.SCHEMA}


def _events(tmp_path) -> list[tuple]:
    with duckdb.connect(str(tmp_path / "ws" / "data" / "workbench.duckdb"),
                        read_only=True) as con:
        return con.execute("SELECT event, decision, error_code, detail FROM ledger "
                           "ORDER BY event_id").fetchall()


def test_metadata_only_is_a_dry_run_with_sql_and_estimated_rows(tmp_path):
    out = migrate(**_args(tmp_path, mode="metadata_only"))
    assert out["status"] == "dry_run"
    assert not (tmp_path / "target.duckdb").exists()              # nothing written, not opened
    cust = out["tables"]["customers"]
    assert cust["estimated_rows"] == 300 + 2 + 1 and cust["chunks"] == 1
    assert cust["sql"]["duckdb"].startswith('INSERT INTO "customers"')
    assert 'ON CONFLICT ("customer_id") DO UPDATE' in cust["sql"]["duckdb"]
    events = _events(tmp_path)
    assert ("migration_dry_run", "accept") in [e[:2] for e in events]
    decision = json.loads(next(e[3] for e in events if e[0] == "policy_decision"))
    assert decision["subject"] == "metadata_only:migration"


def test_an_execute_attempt_in_metadata_only_is_a_policy_block(tmp_path):
    with pytest.raises(PolicyBlock, match="migration is 'dry_run' in metadata_only"):
        migrate(**_args(tmp_path, mode="metadata_only"), execute=True)
    assert not (tmp_path / "target.duckdb").exists()
    assert ("policy_decision", "reject", "POLICY_BLOCK") in [e[:3] for e in _events(tmp_path)]


def test_dry_run_shows_each_dialect_and_what_it_cannot_express(tmp_path):
    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    args = _args(tmp_path, mode="data_mode")
    args["params"]["target_url"] = url
    out = migrate(**args, execute=False)
    sql = out["tables"]["customers"]["sql"]
    assert set(sql) == {"duckdb", "sqlite"} and sql["sqlite"].startswith("-- not expressible")
    assert out["strategy"]["chosen"] == "etl"
    assert "type_cast string -> float" in out["tables"]["orders"]["sql"]["sqlite"]
    assert out["tables"]["orders"]["sql"]["duckdb"].endswith(
        '"weight_kg" = excluded."weight_kg", "amount_usd" = excluded."amount_usd"')
    assert not (tmp_path / "t.sqlite").exists()


def test_held_mappings_are_skipped_and_human_confirmation_is_enforced(tmp_path):
    rows = md.mapping_rows(hold=(("customers", "email"),))
    plans, checks = preflight(rows, as_target(md.SCHEMA))
    cust = next(p for p in plans if p.table == "customers")
    assert "email" not in cust.outputs and "skipped" in checks[0]["detail"]
    plans, checks = preflight(rows, as_target(md.SCHEMA), human_only=True)
    assert plans == [] and checks[0]["status"] == "fail"
    human = md.mapping_rows(decided_by="human:ana")
    plans, _ = preflight(human, as_target(md.SCHEMA), human_only=True)
    assert {p.table for p in plans} == {"customers", "orders"}
    with pytest.raises(BadInput, match="pre-flight failed"):
        migrate(**{**_args(tmp_path, human_confirm_required=True), "mappings": rows})
    assert not (tmp_path / "target.duckdb").exists()


def _schema_with(keys: dict) -> dict:
    cols = [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"},
            {"name": "c", "type": "string"}]
    for c in cols:
        c.update(keys.get(c["name"], {}))
    return {"tables": [{"name": "t", "columns": cols}]}


def _rows(cols=("a", "b")) -> list[dict]:
    types = {"a": "integer", "b": "string", "c": "string"}
    return [{"target_table": "t", "target_column": c, "decision": "accept", "decided_by": "rules",
             "source_columns": [f"s.{c}"], "dsl": {"inputs": [{"name": c, "type": types[c]}],
                                                   "output": c, "steps": []}} for c in cols]


def test_key_strategies_natural_composite_surrogate(tmp_path):
    key = {"key": True}
    cases = {"natural": (_schema_with({"a": key}), ("a", "b"), ["a"]),
             "composite": (_schema_with({"a": key, "b": key}), ("a", "b"), ["a", "b"]),
             "surrogate": (_schema_with({"c": key}), ("a", "b"), ["c"]),
             "surrogate-added": (_schema_with({}), ("a", "b"), ["_wb_id"])}
    import polars as pl
    src = {"s": pl.DataFrame({"a": [1, 2, 2], "b": ["x", "y", "z"], "c": ["p", "q", "r"]})}
    for name, (schema, cols, want) in cases.items():
        plans, checks = preflight(_rows(cols), as_target(schema))
        assert plans[0].key == want and plans[0].key_strategy == name.split("-")[0], name
        url = f"duckdb:///{tmp_path / f'{name}.duckdb'}"
        out = migrate(settings=md.settings(tmp_path / "ws"), run_id=f"k-{name}",
                      params=md.params(url), mappings=_rows(cols), sources=src,
                      target=schema)
        assert out["key_strategy"]["t"] == {"strategy": name.split("-")[0], "key": want}
        with open_target(url) as t:
            got = t.query(f"SELECT {', '.join(want)} FROM t ORDER BY 1")
        if name == "natural":
            assert got == [(1,)]                    # a=2 twice with other b: quarantined
        elif name.startswith("surrogate"):
            assert [g[0] for g in got] == ([1, 2, 3] if name == "surrogate-added"
                                           else ["1", "2", "3"])
        else:
            assert len(got) == 3
    _bad, checks = preflight(_rows(("b",)), as_target(_schema_with({"a": key, "b": key})))
    assert any(c["check"] == "key" and c["status"] == "fail" for c in checks)


def test_preflight_refuses_before_anything_is_written(tmp_path):
    schema = _schema_with({"a": {"key": True}, "c": {"nullable": False}})
    with pytest.raises(BadInput, match="c is NOT NULL but unmapped"):
        migrate(settings=md.settings(tmp_path / "ws"), run_id="nn",
                params=md.params(f"duckdb:///{tmp_path / 'x.duckdb'}"), mappings=_rows(),
                sources={"s": __import__("polars").DataFrame({"a": [1], "b": ["x"]})},
                target=schema)
    assert not (tmp_path / "x.duckdb").exists()
    rows = _rows()
    rows[1]["dsl"] = {"inputs": [{"name": "b", "type": "string"}], "output": "a", "steps": []}
    rows[1]["target_column"] = "a"
    _, checks = preflight(rows[1:], as_target(_schema_with({})))
    assert any(c["check"] == "types" and c["status"] == "fail" for c in checks)
    _, checks = preflight(_rows(), as_target(_schema_with({})), source_columns={"s": {"a"}})
    assert any("lacks b" in c["detail"] for c in checks)


def test_the_strategy_is_recorded_and_can_be_forced(tmp_path):
    out = migrate(**_args(tmp_path), strategy="etl")
    assert out["strategy"] == {"chosen": "etl", "forced": True,
                               "reason": "forced: Polars transforms every chunk in the engine"}
    with open_target(f"duckdb:///{tmp_path / 'target.duckdb'}") as t:
        plan = json.loads(t.query("SELECT detail FROM _workbench_steps WHERE step = 'plan'")[0][0])
    assert plan["strategy"]["chosen"] == "etl" and plan["chunks"] == {"customers": 1, "orders": 1}
    assert ("migration_strategy", "accept") in [e[:2] for e in _events(tmp_path)]
    with pytest.raises(BadInput, match="started .* with another plan, strategy, chunking"):
        migrate(**_args(tmp_path), strategy="elt")
    args = _args(tmp_path)
    args["params"]["target_url"] = f"sqlite:///{tmp_path / 'x.sqlite'}"
    with pytest.raises(BadInput, match="strategy=elt needs the target to read the source"):
        migrate(**args, strategy="elt")


def test_the_workspace_database_is_refused_as_target(tmp_path):
    args = _args(tmp_path)
    args["params"]["target_url"] = f"duckdb:///{tmp_path / 'ws' / 'data' / 'workbench.duckdb'}"
    with pytest.raises(BadInput, match="is the workspace database"):
        migrate(**args)
