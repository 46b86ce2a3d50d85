"""The SQL emitted for SQLite runs in a real sqlite3 database and agrees with Polars/DuckDB."""
from __future__ import annotations

import pytest
from transform_helpers import both, frame, run_sqlite, same

from workbench import transform
from workbench.errors import DslReject

S = {"name": "x", "type": "string"}
F = {"name": "x", "type": "float"}
I = {"name": "x", "type": "integer"}
B = {"name": "x", "type": "boolean"}

CASES = [
    ("trim", [S], [{"op": "trim"}], {"x": ["  a\t", None, "\u00a0b ", ""]}),
    ("trim_chars", [S], [{"op": "trim", "args": {"side": "left", "chars": "xé"}}],
     {"x": ["éxaé", None, "a"]}),
    ("case", [S], [{"op": "case", "args": {"to": "upper"}}], {"x": ["abc é ß", None, "Zz"]}),
    ("lower", [S], [{"op": "case", "args": {"to": "lower"}}], {"x": ["ABC É", None]}),
    ("concat_skip", [{"name": "a"}, {"name": "b"}],
     [{"op": "concat", "args": {"parts": [{"ref": "a"}, {"lit": "·"}, {"ref": "b"}],
                                "separator": ", "}}],
     {"a": ["x", None, None, ""], "b": ["y", "z", None, None]}),
    ("concat_propagate", [{"name": "a"}, {"name": "b"}],
     [{"op": "concat", "args": {"parts": [{"ref": "a"}, {"ref": "b"}], "nulls": "propagate",
                                "separator": "-"}}],
     {"a": ["x", None, "ü"], "b": ["y", "z", "ö"]}),
    ("map_dict", [S], [{"op": "map_dict", "args": {"mapping": {"a": "A", "é": "E"}}}],
     {"x": ["a", "é", "q", None]}),
    ("map_dict_num", [S], [{"op": "map_dict", "args": {"mapping": {"a": 1, "b": 2},
                                                        "default": -1}}],
     {"x": ["a", "b", "c", None]}),
    ("map_dict_bool", [S], [{"op": "map_dict", "args": {"mapping": {"y": True, "n": False}}}],
     {"x": ["y", "n", "?", None]}),
    ("unit_convert", [F], [{"op": "unit_convert", "args": {"from": "f", "to": "c"}}],
     {"x": [212.0, -40.0, None, 1e308, 0.1]}),
    ("unit_int", [I], [{"op": "unit_convert", "args": {"from": "minor", "to": "major"}}],
     {"x": [1999, None, -1, 2**62]}),
    ("safe_math", [F, {"name": "b", "type": "integer"}],
     [{"op": "safe_math", "args": {"operator": "div", "right": {"ref": "b"}}},
      {"op": "safe_math", "args": {"operator": "mul", "right": {"lit": 1e300}}}],
     {"x": [1.0, 2.0, None, 1e10, -3.0], "b": [4, 0, 1, 1, 3]}),
    ("cast_float_int", [F], [{"op": "type_cast", "args": {"to": "integer"}}],
     {"x": [2.9, -2.9, None, 1e19, -1e18]}),
    ("cast_int", [I], [{"op": "type_cast", "args": {"to": "float"}},
                       {"op": "safe_math", "args": {"operator": "sub", "right": {"lit": 0.5}}}],
     {"x": [1, None, -7]}),
    ("cast_int_str", [I], [{"op": "type_cast", "args": {"to": "string"}},
                           {"op": "concat", "args": {"parts": [{"lit": "#"}, {"ref": "$"}]}}],
     {"x": [1, None, -7]}),
    ("cast_bool", [B], [{"op": "type_cast", "args": {"to": "string"}}],
     {"x": [True, False, None]}),
    ("cast_bool_int", [B], [{"op": "type_cast", "args": {"to": "integer"}}],
     {"x": [True, False, None]}),
    ("cast_int_bool", [I], [{"op": "type_cast", "args": {"to": "boolean"}}],
     {"x": [3, 0, None]}),
    ("cast_str_bool", [S], [{"op": "type_cast", "args": {"to": "boolean"}}],
     {"x": ["true", "0", "yes", None]}),
]


@pytest.mark.parametrize(("inputs", "steps", "data"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_sqlite_matches_polars_and_duckdb(inputs, steps, data):
    plan = {"inputs": inputs, "steps": steps, "output": "out"}
    df = frame(**data)
    expected = both(df, plan)
    got = run_sqlite(df, plan)
    assert same(got, expected), f"sqlite {got!r} != polars/duckdb {expected!r}"


@pytest.mark.parametrize("op", transform.SQLITE_UNSUPPORTED)
def test_sqlite_unsupported_ops_are_refused_not_miscompiled(op):
    args = {"regex_extract": {"pattern": "(a)"}, "regex_split": {"pattern": ","}}.get(op, {})
    typ = "date" if op == "date_format" else "string"
    plan = {"inputs": [{"name": "x", "type": typ}], "output": "o",
            "steps": [{"op": op, "args": args}]}
    with pytest.raises(DslReject, match="sqlite"):
        transform.to_sql(plan, "sqlite")
