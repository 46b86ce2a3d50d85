"""Property tests: DuckDB (running the emitted SQL) and Polars agree for every op (hypothesis)."""
from __future__ import annotations

from datetime import date, datetime

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transform_helpers import both

from workbench import transform

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# text with ASCII, whitespace of every kind, Unicode letters/spaces, and the split sentinel
ALPHABET = st.sampled_from(list("aZ09 ,;-._\t\n\r\f\v") + ["\u00a0", "é", "ß", "Ǆ", "İ", "ﬁ",
                                                           "\u3000", "\uffff", "日", "😀"])
TEXT = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=12)), min_size=1, max_size=8)
DATES = st.lists(st.one_of(st.none(), st.from_regex(
    r"\A[0-9]{4}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-6][0-9])?\Z"), st.text(ALPHABET,
                                                                            max_size=10)),
    min_size=1, max_size=8)
FLOATS = st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                            st.floats(-1e6, 1e6)), min_size=1, max_size=8)
INTS = st.lists(st.one_of(st.none(), st.integers(-2**63, 2**63 - 1)), min_size=1, max_size=8)
NUMERIC_TEXT = st.lists(st.one_of(st.none(), st.from_regex(
    r"\A[+-]?[0-9]{0,22}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,3})?\Z"), st.text(ALPHABET,
                                                                           max_size=6)),
    min_size=1, max_size=8)
PATTERNS = st.sampled_from(["[,;]", " +", "[ \t\n]+", "-|_", "é+", "[^a-z]", "(?:a|Z)0", "\\."])


def run(values, steps, type_="string"):
    df = pl.DataFrame({"x": values}, schema={"x": transform._polars.DTYPES[type_]}, strict=False)
    return both(df, {"inputs": [{"name": "x", "type": type_}], "output": "o", "steps": steps})


@SETTINGS
@given(TEXT, st.sampled_from(["both", "left", "right"]),
       st.sampled_from([" \t\n\r\f\v", "a ", "é\u00a0", ",;"]),
       st.sampled_from(["upper", "lower"]))
def test_string_ops(values, side, chars, to):
    run(values, [{"op": "trim", "args": {"side": side, "chars": chars}}])
    run(values, [{"op": "case", "args": {"to": to}}])
    run(values, [{"op": "collapse_whitespace"}])


@SETTINGS
@given(TEXT, PATTERNS, st.integers(-3, 3))
def test_regex_ops(values, pattern, index):
    run(values, [{"op": "regex_split", "args": {"pattern": pattern, "index": index}}])
    run(values, [{"op": "regex_extract", "args": {"pattern": f"({pattern})([^,]*)",
                                                  "group": abs(index) % 3}}])


@SETTINGS
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(ALPHABET, max_size=5)),
                          st.one_of(st.none(), st.text(ALPHABET, max_size=5))),
                min_size=1, max_size=8),
       st.sampled_from(["", " ", ", ", "\uffff"]), st.sampled_from(["skip", "propagate"]))
def test_concat(rows, sep, nulls):
    df = pl.DataFrame({"a": [r[0] for r in rows], "b": [r[1] for r in rows]},
                      schema={"a": pl.String, "b": pl.String})
    parts = [{"ref": "a"}, {"lit": "|"}, {"ref": "b"}, {"ref": "$"}]
    both(df, {"inputs": ["a", "b"], "output": "o",
              "steps": [{"op": "concat", "args": {"parts": parts, "separator": sep,
                                                  "nulls": nulls}}]})


@SETTINGS
@given(TEXT, st.dictionaries(st.text(ALPHABET, max_size=3), st.text(ALPHABET, max_size=3),
                             min_size=1, max_size=4), st.booleans())
def test_map_dict(values, mapping, keep):
    run(values, [{"op": "map_dict", "args": {"mapping": mapping, "keep_unmatched": keep}}])
    run(values, [{"op": "map_dict", "args": {"mapping": {k: float(i) for i, k in
                                                         enumerate(mapping)}, "default": 7}}])


@SETTINGS
@given(FLOATS, INTS, st.sampled_from(list(transform.UNITS)))
def test_unit_convert_and_safe_math(floats, ints, unit):
    dim = transform.UNITS[unit][0]
    other = max(u for u, v in transform.UNITS.items() if v[0] == dim)
    conv = [{"op": "unit_convert", "args": {"from": unit, "to": other}}]
    run(floats, conv, "float")
    run(ints, conv, "integer")
    for op in ("add", "sub", "mul", "div"):
        run(floats, [{"op": "safe_math", "args": {"operator": op, "right": {"ref": "$"}}},
                     {"op": "safe_math", "args": {"operator": op, "right": {"lit": 3e300}}}],
            "float")
        run(ints, [{"op": "safe_math", "args": {"operator": op, "left": {"lit": 0.5},
                                                "right": {"ref": "$"}}}], "integer")


@SETTINGS
@given(DATES, st.sampled_from(["%Y-%m-%d", "%Y-%m-%d %H:%M", "%d%m%Y"]),
       st.sampled_from(["date", "timestamp"]))
def test_date_parse_and_format(values, fmt, to):
    run(values, [{"op": "date_parse", "args": {"format": fmt, "to": to}},
                 {"op": "date_format", "args": {"format": "%d/%m/%Y %%"}}])
    run(values, [{"op": "date_parse", "args": {"format": fmt, "to": to}}])


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.dates(date(1, 1, 1), date(9999, 12, 31))),
                min_size=1, max_size=6),
       st.lists(st.one_of(st.none(), st.datetimes(datetime(900, 1, 1))), min_size=1,
                max_size=6))
def test_date_format_any_date(dates, stamps):
    run(dates, [{"op": "date_format", "args": {"format": "%Y.%m.%d"}}], "date")
    run(stamps, [{"op": "date_format", "args": {"format": "%Y %H:%M:%S"}}], "timestamp")
    run(stamps, [{"op": "type_cast", "args": {"to": "date"}}], "timestamp")


@SETTINGS
@given(NUMERIC_TEXT, FLOATS, INTS)
def test_type_cast(texts, floats, ints):
    for to in ("integer", "float", "boolean", "date"):
        run(texts, [{"op": "type_cast", "args": {"to": to}}])
    run(floats, [{"op": "type_cast", "args": {"to": "integer"}}], "float")
    for to in ("string", "float", "boolean"):
        run(ints, [{"op": "type_cast", "args": {"to": to}}], "integer")
