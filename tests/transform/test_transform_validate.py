"""Validation (DSL_REJECT naming step and argument), normalization, schema and plan_hash."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from workbench import transform
from workbench.errors import TAXONOMY, BadInput, DslReject

BASE = {"inputs": ["x"], "output": "y"}


def reject(steps, inputs=None) -> DslReject:
    plan = {**BASE, "steps": steps, **({"inputs": inputs} if inputs else {})}
    with pytest.raises(DslReject) as info:
        transform.validate(plan)
    assert info.value.code == "DSL_REJECT" and isinstance(info.value, BadInput)
    return info.value


def test_taxonomy_code_exists():
    assert TAXONOMY["DSL_REJECT"][0] == "deterministic"


@pytest.mark.parametrize("op", ["eval", "python", "sql", "select_when", "TRIM"])
def test_unknown_ops_are_rejected_with_the_step(op):
    err = reject([{"op": "trim"}, {"op": op}])
    assert "step 1" in str(err) and err.detail == {"step": 1, "op": op}


@pytest.mark.parametrize(("step", "argument"), [
    ({"op": "trim", "args": {"sides": "both"}}, "sides"),
    ({"op": "case", "args": {"to": "title"}}, "to"),
    ({"op": "case", "args": {}}, "to"),
    ({"op": "regex_extract", "args": {"pattern": 3}}, "pattern"),
    ({"op": "regex_extract", "args": {"pattern": "\\d+"}}, "pattern"),
    ({"op": "regex_extract", "args": {"pattern": "(?i)a"}}, "pattern"),
    ({"op": "regex_extract", "args": {"pattern": "(a)", "group": 2}}, "group"),
    ({"op": "regex_split", "args": {"pattern": ",*"}}, "pattern"),
    ({"op": "regex_split", "args": {"pattern": ",", "index": "0"}}, "index"),
    ({"op": "concat", "args": {"parts": [{"ref": "nope"}]}}, "parts"),
    ({"op": "concat", "args": {"parts": [{"code": "x"}]}}, "parts"),
    ({"op": "map_dict", "args": {"mapping": {"a": 1, "b": "x"}}}, "mapping"),
    ({"op": "unit_convert", "args": {"from": "lb", "to": "m"}}, "to"),
    ({"op": "unit_convert", "args": {"from": "stone", "to": "kg"}}, "from"),
    ({"op": "date_parse", "args": {"format": "%b %d"}}, "format"),
    ({"op": "date_parse", "args": {"format": "%Y %H"}}, "format"),
    ({"op": "type_cast", "args": {"to": "decimal"}}, "to"),
    ({"op": "safe_math", "args": {"operator": "pow", "right": {"lit": 2}}}, "operator"),
])
def test_bad_arguments_name_step_and_argument(step, argument):
    numeric = step["op"] in ("unit_convert", "safe_math")
    first = {"op": "type_cast", "args": {"to": "float"}} if numeric else {"op": "trim"}
    err = reject([first, step], inputs=[{"name": "x", "type": "float"}] if numeric else None)
    assert err.detail["step"] == 1 and err.detail["argument"] == argument, err
    assert f"step 1 ({step['op']})" in str(err) and repr(argument) in str(err)


def test_type_errors_are_rejected():
    assert "needs a string value, got float" in str(reject(
        [{"op": "unit_convert", "args": {"from": "g", "to": "kg"}}, {"op": "trim"}],
        inputs=[{"name": "x", "type": "integer"}]))
    assert "is not numeric" in str(reject([{"op": "safe_math", "args": {
        "operator": "add", "right": {"lit": 1}}}]))
    err = reject([{"op": "type_cast", "args": {"to": "string"}}],
                 inputs=[{"name": "x", "type": "float"}])
    assert err.detail["argument"] == "to"


def test_plan_level_errors():
    for plan in ([], {**BASE}, {**BASE, "steps": [], "extra": 1},
                 {**BASE, "steps": [], "dsl_version": "2.0.0"},
                 {"inputs": [], "steps": [], "output": "y"}):
        with pytest.raises(DslReject):
            transform.validate(plan)


def test_normalized_plan_fills_defaults_and_matches_the_published_schema():
    norm = transform.validate({**BASE, "steps": [{"op": "trim"}, {"op": "type_cast", "args": {
        "to": "float"}}, {"op": "safe_math", "args": {"operator": "add", "right": {"lit": 1}}}],
        "inputs": [{"name": "x"}]})
    assert norm["steps"][2]["args"]["left"] == {"ref": "$"}
    assert norm["dsl_version"] == "1.0.0"
    assert norm["inputs"] == [{"name": "x", "type": "string"}]
    assert norm["steps"][0]["args"] == {"side": "both", "chars": " \t\n\r\f\v"}
    shipped = json.loads(resources.files("workbench.transform").joinpath(
        "plan.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(shipped)
    assert shipped == transform.schema()
    assert transform.validate(norm) == norm  # idempotent


def test_schema_lists_exactly_the_twelve_ops():
    assert len(transform.OPS) == 12
    assert set(transform.schema()["$defs"]["step"]["properties"]["op"]["enum"]) == \
        set(transform.OPS)


def test_plan_hash_is_stable_under_key_order_and_defaults():
    a = {"inputs": ["x"], "output": "y", "steps": [{"op": "map_dict", "args": {
        "mapping": {"a": "1", "b": "2"}}}]}
    b = {"steps": [{"args": {"mapping": {"b": "2", "a": "1"}, "default": None}, "op": "map_dict"}],
         "output": "y", "inputs": [{"type": "string", "name": "x"}], "dsl_version": "1.0.0"}
    assert transform.plan_hash(a) == transform.plan_hash(b)
    c = json.loads(json.dumps(a))
    c["steps"][0]["args"]["mapping"]["a"] = "3"
    assert transform.plan_hash(c) != transform.plan_hash(a)


def test_unsupported_dialects_and_sqlite_ops_are_rejected():
    plan = {**BASE, "steps": [{"op": "collapse_whitespace"}]}
    with pytest.raises(DslReject, match="sqlite"):
        transform.to_sql(plan, "sqlite")
    with pytest.raises(DslReject):
        transform.to_sql(plan, "mysql")
