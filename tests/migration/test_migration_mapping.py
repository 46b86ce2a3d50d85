"""Mapping strategies as DSL plans, their sample evaluation and decisions; the studios' file."""
from __future__ import annotations

import polars as pl
import pytest

from workbench import transform
from workbench.errors import BadInput, DslReject
from workbench.pipelines.migration import decisions, strategies
from workbench.pipelines.migration.contract import load_profile
from workbench.pipelines.migration.mapping import compiled, decide, evaluate

PROFILE = load_profile()


def test_decompose_both_name_orders_identically_in_polars_and_duckdb():
    df = pl.DataFrame({"n": ["Ann Lee", "LEE, Bob", "Mary Ann  Smith", "Smith, Mary Ann", None,
                             "Cher"]})
    first, _ = strategies.decompose_name("n", "first", "first_name")
    last, _ = strategies.decompose_name("n", "last", "last_name")
    for plan, want in ((first, ["Ann", "Bob", "Mary", "Mary", None, "Cher"]),
                       (last, ["Lee", "LEE", "Smith", "Smith", None, "Cher"])):
        assert transform.apply(df, plan).to_list() == want
        assert transform.apply(df, plan, backend="duckdb").to_list() == want


def test_compose_units_dates_money_and_enum():
    df = pl.DataFrame({"f": ["Ann", None], "l": ["Lee", "Bo"], "cents": [12050, None],
                       "w": [2.0, 10.0], "d": ["07/03/1984", "31/12/1999"],
                       "amt": ["$12.50", "1,234.00"], "st": [" A ", "closed"]})
    plan, _ = strategies.compose([{"column": "f"}, {"column": "l"}], "full_name")
    assert transform.apply(df, plan).to_list() == ["Ann Lee", "Bo"]
    plan, notes, _ = strategies.align({"column": "cents", "physical": "integer", "unit_cue": "cents"},
                                      {"column": "balance_usd", "type": "float", "unit": "USD"})
    assert transform.apply(df, plan).to_list() == [120.5, None] and "minor" in notes[0]
    plan, _, _ = strategies.align({"column": "w", "physical": "float", "unit_cue": "lb"},
                                  {"column": "weight_kg", "type": "float", "unit": "kg"})
    assert transform.apply(df, plan).round(4).to_list() == [0.9072, 4.5359]
    plan, notes, _ = strategies.align({"column": "d", "physical": "string"},
                                      {"column": "born", "type": "date"},
                                      formats={"%d/%m/%Y": 2})
    assert [str(x) for x in transform.apply(df, plan).to_list()] == ["1984-03-07", "1999-12-31"]
    plan, notes, _ = strategies.align({"column": "amt", "physical": "string",
                                       "hints": ["money_text"]},
                                      {"column": "amount", "type": "float"})
    assert transform.apply(df, plan).to_list() == [12.5, None]    # a separator fails: no guess
    plan, notes, needs = strategies.align({"column": "st", "physical": "string"},
                                          {"column": "status", "type": "string",
                                           "enum": ["active", "closed"]},
                                          values=[" A ", "closed", "C"])
    assert transform.apply(df, plan).to_list() == ["active", "closed"] and not needs
    _, _, needs = strategies.align({"column": "st", "physical": "string"},
                                   {"column": "status", "type": "string", "enum": ["active"]})
    assert needs  # metadata_only: the enum mapping is unverified


def test_evaluate_and_decide_against_the_profile():
    df = pl.DataFrame({"d": ["2023-01-05"] * 97 + ["05/01/2023"] * 3 + [None] * 5})
    plan = {"inputs": ["d"], "output": "x",
            "steps": [{"op": "date_parse", "args": {"format": "%Y-%m-%d"}}]}
    q = evaluate(plan, df, {"type": "date"}, None)
    assert q["rows"] == 100 and q["success_rate"] == 0.97
    assert q["failure_shapes"] == [{"shape": "99/99/9999", "count": 3}]
    result = {"confidence": 0.9, "strategy": "type", "notes": ["n"], "needs_values": False}
    assert decide(result, q, PROFILE, "data_mode")[0] == "accept"
    q["success_rate"] = 0.93
    assert decide(result, q, PROFILE, "data_mode")[0] == "hold"
    q["success_rate"] = 0.5
    decision, why = decide(result, q, PROFILE, "data_mode")
    assert decision == "fix" and "99/99/9999" in why
    assert decide({**result, "confidence": 0.7}, None, PROFILE, "metadata_only")[0] == "hold"
    assert decide(result, None, PROFILE, "metadata_only")[1].endswith("symbolic (no rows executed)")


def test_compiled_plan_has_hash_sql_and_polars_and_rejects_bad_ops():
    c = compiled({"inputs": ["a"], "output": "b", "steps": [{"op": "trim"}]})
    assert len(c["dsl_hash"]) == 64 and "TRIM" in c["sql"].upper() and c["polars"]
    with pytest.raises(DslReject):
        compiled({"inputs": ["a"], "output": "b", "steps": [{"op": "python_eval"}]})


def test_decisions_file_validates_and_keeps_the_latest(tmp_path):
    f = tmp_path / "d.json"
    actor = {"user_id": "ana", "role": "analyst"}
    decisions.append(f, {"kind": "mapping", "key": "c.email", "action": "hold", "actor": actor})
    decisions.append(f, {"kind": "mapping", "key": "c.email", "action": "accept", "actor": actor})
    assert decisions.latest(f)[("mapping", "c.email")]["action"] == "accept"
    with pytest.raises(BadInput, match="kind is one of"):
        decisions.append(f, {"kind": "mapping", "key": "c.x", "action": "delete"})
    with pytest.raises(DslReject):
        decisions.append(f, {"kind": "mapping", "key": "c.x", "action": "fix",
                             "dsl": {"inputs": ["a"], "output": "b", "steps": [{"op": "exec"}]}})
    assert len(decisions.read(f)) == 2                      # refused decisions change nothing
