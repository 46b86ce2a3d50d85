"""Every op on hand-made cases (nulls, NaN, Unicode, bad dates, overflow), on both backends."""
from __future__ import annotations

import math
from datetime import date, datetime

import polars as pl
import pytest
from transform_helpers import both, frame

from workbench import transform


def plan1(*steps, type_="string", name="x"):
    return {"inputs": [{"name": name, "type": type_}], "output": "out", "steps": list(steps)}


def test_trim_defaults_sides_and_chars():
    df = frame(x=["  a b \t\n", None, "\u00a0é\u00a0", "", "xxaxx"])
    assert both(df, plan1({"op": "trim"})) == ["a b", None, "\u00a0é\u00a0", "", "xxaxx"]
    assert both(df, plan1({"op": "trim", "args": {"side": "left"}}))[0] == "a b \t\n"
    assert both(df, plan1({"op": "trim", "args": {"side": "right", "chars": "x"}}))[4] == "xxa"
    assert both(df, plan1({"op": "trim", "args": {"chars": "\u00a0"}}))[2] == "é"


def test_case_is_ascii_only():
    df = frame(x=["Straße é Ǆ abc", None, "MiXeD 123"])
    assert both(df, plan1({"op": "case", "args": {"to": "upper"}})) == \
        ["STRAßE é Ǆ ABC", None, "MIXED 123"]
    assert both(df, plan1({"op": "case", "args": {"to": "lower"}}))[2] == "mixed 123"


def test_collapse_whitespace():
    df = frame(x=["  a \t\n b  ", None, "\u3000a\u3000", "   ", "x"])
    assert both(df, plan1({"op": "collapse_whitespace"})) == ["a b", None, "\u3000a\u3000", "",
                                                               "x"]


def test_regex_extract_groups_no_match_and_unicode():
    df = frame(x=["order 1234 ok", "none", None, "ñandú 42", "abc"])
    got = both(df, plan1({"op": "regex_extract", "args": {"pattern": "([0-9]+)"}}))
    assert got == ["1234", None, None, "42", None]
    whole = plan1({"op": "regex_extract", "args": {"pattern": "[^ ]+ú", "group": 0}})
    assert both(df, whole)[3] == "ñandú"
    optional = plan1({"op": "regex_extract", "args": {"pattern": "a(x)?b", "group": 1}})
    assert both(df, optional)[4] is None  # empty / unmatched group -> null


def test_regex_split_index_empty_and_sentinel():
    df = frame(x=["a, b,,c", None, "solo", "x\uffffy", ",lead"])
    first = plan1({"op": "regex_split", "args": {"pattern": ", *", "index": 0}})
    assert both(df, first) == ["a", None, "solo", None, None]
    last = plan1({"op": "regex_split", "args": {"pattern": ",", "index": -1}})
    assert both(df, last) == ["c", None, "solo", None, "lead"]
    oob = plan1({"op": "regex_split", "args": {"pattern": ",", "index": 9}})
    assert both(df, oob) == [None] * 5


def test_concat_skip_and_propagate_nulls():
    df = frame(first=["Ada", None, None, "Zoë"], last=["Lovelace", "Turing", None, ""])
    parts = [{"ref": "first"}, {"ref": "last"}]
    plan = {"inputs": ["first", "last"], "output": "full",
            "steps": [{"op": "concat", "args": {"parts": parts, "separator": " "}}]}
    assert both(df, plan) == ["Ada Lovelace", "Turing", None, "Zoë "]
    plan["steps"][0]["args"]["nulls"] = "propagate"
    assert both(df, plan) == ["Ada Lovelace", None, None, "Zoë "]
    lit = {"inputs": ["first"], "output": "o", "steps": [{"op": "concat", "args": {
        "parts": [{"lit": "<"}, {"ref": "$"}, {"lit": ">"}]}}]}
    assert both(df, lit) == ["<Ada>", None, None, "<Zoë>"]


def test_map_dict_default_keep_and_types():
    df = frame(x=["A", "b", None, "ç"])
    plan = plan1({"op": "map_dict", "args": {"mapping": {"A": "active", "ç": "cédille"}}})
    assert both(df, plan) == ["active", None, None, "cédille"]
    keep = plan1({"op": "map_dict", "args": {"mapping": {"A": "a"}, "keep_unmatched": True}})
    assert both(df, keep) == ["a", "b", None, "ç"]
    nums = plan1({"op": "map_dict", "args": {"mapping": {"A": 1, "b": 2.5}, "default": 0}})
    assert both(df, nums) == [1.0, 2.5, None, 0.0]
    flags = plan1({"op": "map_dict", "args": {"mapping": {"A": True}, "default": False}})
    assert both(df, flags) == [True, False, None, False]


def test_unit_convert_affine_overflow_and_nan():
    df = frame(x=[1999, None, 0, -5])
    assert both(df, plan1({"op": "unit_convert", "args": {"from": "minor", "to": "major"}},
                          type_="integer")) == [19.99, None, 0.0, -0.05]  # divides, not * 0.01
    temps = frame(x=[100.0, float("nan"), -40.0, 1e308, float("inf")])
    got = both(temps, plan1({"op": "unit_convert", "args": {"from": "c", "to": "f"}},
                            type_="float"))
    assert got[0] == pytest.approx(212.0) and got[2] == pytest.approx(-40.0)
    assert got[1] is None and got[3] is None and got[4] is None  # NaN, overflow, inf -> null
    lb = both(frame(x=[1.0]), plan1({"op": "unit_convert", "args": {"from": "lb", "to": "kg"}},
                                    type_="float"))
    assert lb == [0.45359237]


def test_date_parse_bad_dates_are_null():
    df = frame(x=["2024-02-29", "2023-02-29", "2023-13-01", "2023-1-05", " 2023-01-05", None,
                  "0999-01-01", "２０２３-01-01"])
    got = both(df, plan1({"op": "date_parse"}))
    assert got == [date(2024, 2, 29)] + [None] * 7
    ts = plan1({"op": "date_parse", "args": {"format": "%d/%m/%Y %H:%M", "to": "timestamp"}})
    assert both(frame(x=["05/01/2023 23:59", "05/01/2023 24:00"]), ts) == \
        [datetime(2023, 1, 5, 23, 59), None]
    as_date = plan1({"op": "date_parse", "args": {"format": "%Y%m%dT%H%M%S"}})
    assert both(frame(x=["20230105T101112"]), as_date) == [date(2023, 1, 5)]


def test_date_format_dates_and_timestamps():
    df = frame(x=[date(2023, 1, 5), None, date(2024, 12, 31)])
    fmt = plan1({"op": "date_format", "args": {"format": "%d.%m.%Y (%%)"}}, type_="date")
    assert both(df, fmt) == ["05.01.2023 (%)", None, "31.12.2024 (%)"]
    ts = frame(x=[datetime(2023, 1, 5, 7, 8, 9)])
    fmt = plan1({"op": "date_format", "args": {"format": "%Y-%m-%dT%H:%M:%S"}},
                type_="timestamp")
    assert both(ts, fmt) == ["2023-01-05T07:08:09"]
    old = frame(x=[date(999, 1, 1)])
    assert both(old, plan1({"op": "date_format"}, type_="date")) == [None]


@pytest.mark.parametrize(("src", "values", "to", "expected"), [
    ("string", ["12", "+7", "-0", " 1", "1.5", "99999999999999999999", None, "٣"], "integer",
     [12, 7, 0, None, None, None, None, None]),
    ("string", ["1.5", ".5", "1e3", "1e400", "nan", "inf", "1_0", None], "float",
     [1.5, 0.5, 1000.0, None, None, None, None, None]),
    ("string", ["true", "0", "TRUE", "yes", None], "boolean", [True, False, None, None, None]),
    ("string", ["2023-01-05", "2023-02-30", None], "date", [date(2023, 1, 5), None, None]),
    ("integer", [5, None, -9223372036854775808], "string", ["5", None, "-9223372036854775808"]),
    ("integer", [5, None, 0], "boolean", [True, None, False]),
    ("integer", [2**53 + 1, None], "float", [float(2**53), None]),
    ("float", [2.9, -2.9, float("nan"), 1e19, -9.223372036854775808e18, None], "integer",
     [2, -2, None, None, -9223372036854775808, None]),
    ("boolean", [True, False, None], "string", ["true", "false", None]),
    ("boolean", [True, False, None], "integer", [1, 0, None]),
    ("date", [date(2023, 1, 5), None], "string", ["2023-01-05", None]),
    ("timestamp", [datetime(2023, 1, 5, 1, 2, 3), None], "date", [date(2023, 1, 5), None]),
    ("timestamp", [datetime(2023, 1, 5, 1, 2, 3)], "string", ["2023-01-05 01:02:03"]),
])
def test_type_cast_matrix(src, values, to, expected):
    df = frame(x=values)
    assert both(df, plan1({"op": "type_cast", "args": {"to": to}}, type_=src)) == expected


def test_safe_math_division_by_zero_overflow_nan():
    df = pl.DataFrame({"a": [10.0, 1.0, None, 1e308, float("nan"), 0.0],
                       "b": [4, 0, 1, 10, 1, 0]})
    inputs = [{"name": "a", "type": "float"}, {"name": "b", "type": "integer"}]
    div = {"inputs": inputs, "output": "q", "steps": [{"op": "safe_math", "args": {
        "operator": "div", "right": {"ref": "b"}}}]}
    assert both(df, div) == [2.5, None, None, 1e307, None, None]
    mul = {"inputs": inputs, "output": "p", "steps": [{"op": "safe_math", "args": {
        "operator": "mul", "left": {"ref": "b"}, "right": {"lit": 1e308}}}]}
    assert both(df, mul) == [None, 0.0, 1e308, None, 1e308, 0.0]
    sub = {"inputs": inputs, "output": "d", "steps": [{"op": "safe_math", "args": {
        "operator": "sub", "right": {"lit": 0.5}}}, {"op": "safe_math", "args": {
            "operator": "add", "right": {"ref": "b"}}}]}
    assert both(df, sub) == [13.5, 0.5, None, 1e308, None, -0.5]


def test_composed_plan_and_sql_previews():
    plan = {"inputs": ["raw"], "output": "amount", "steps": [
        {"op": "regex_extract", "args": {"pattern": "([0-9]+(?:\\.[0-9]+)?) *lb"}},
        {"op": "type_cast", "args": {"to": "float"}},
        {"op": "unit_convert", "args": {"from": "lb", "to": "kg"}}]}
    df = frame(raw=["box 10 lb", "n/a", None, "2.5lb"])
    got = both(df, plan)
    assert got[1:3] == [None, None] and math.isclose(got[0], 4.5359237)
    for dialect in transform.DIALECTS[:2]:
        assert transform.to_sql(plan, dialect).endswith('AS "amount"')
