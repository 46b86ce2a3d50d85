"""The SQL emitted for PostgreSQL runs on a real server (``postgres_url``) and agrees with Polars.

Every op runs over frames loaded into a PostgreSQL table (nulls, NaN, infinities, Unicode, bad
dates, float overflow and underflow, int64 limits), compared value for value with
``transform.apply(frame, plan)``; a few ops also under hypothesis on one reused connection.
"""
from __future__ import annotations

import math
import random
from datetime import date, datetime
from decimal import Decimal, localcontext

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transform_helpers import same

from workbench import transform
from workbench.errors import DslReject

PG_TYPES = {"string": "TEXT", "integer": "BIGINT", "float": "DOUBLE PRECISION",
            "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"}
MAX = 1.7976931348623157e308
NAN, INF = float("nan"), float("inf")


class PgRunner:
    """One connection and one input table per column signature, truncated between runs."""

    def __init__(self, url: str):
        import psycopg

        self.con = psycopg.connect(url, autocommit=True)
        self.con.execute("SET TimeZone = 'UTC'")
        self.tables: dict[tuple, str] = {}

    def table(self, inputs: list[dict]) -> str:
        sig = tuple((x["name"], x["type"]) for x in inputs)
        if sig not in self.tables:
            name = f"wb_in_{len(self.tables)}"
            cols = ", ".join(f'"{n}" {PG_TYPES[t]}' for n, t in sig)
            self.con.execute(f"CREATE TEMP TABLE {name} (wb_row BIGINT, {cols})")
            self.tables[sig] = name
        return self.tables[sig]

    def run(self, df: pl.DataFrame, plan: dict) -> list:
        norm = transform.validate(plan)
        table = self.table(norm["inputs"])
        names = [x["name"] for x in norm["inputs"]]
        casts = "".join(f", %s::{PG_TYPES[x['type']]}" for x in norm["inputs"])
        self.con.execute(f"TRUNCATE {table}")
        with self.con.cursor() as cur:
            cur.executemany(f"INSERT INTO {table} VALUES (%s{casts})",
                            [(i, *row) for i, row in enumerate(df.select(names).rows())])
        sql = f"SELECT {transform.to_sql(norm, 'postgres')} FROM {table} ORDER BY wb_row"
        return [r[0] for r in self.con.execute(sql)]

    def close(self) -> None:
        self.con.close()


@pytest.fixture(scope="module")
def pg(postgres_url):
    runner = PgRunner(postgres_url)
    yield runner
    runner.close()


def typed(values, type_: str) -> pl.DataFrame:
    from workbench.transform._polars import DTYPES

    return pl.DataFrame({"x": values}, schema={"x": DTYPES[type_]}, strict=False)


def check(pg: PgRunner, df: pl.DataFrame, plan: dict) -> list:
    expected = transform.apply(df, plan).to_list()
    got = pg.run(df, plan)
    assert same(got, expected), f"postgres {got!r} != polars {expected!r}"
    return got


def one(*steps, type_: str = "string") -> dict:
    return {"inputs": [{"name": "x", "type": type_}], "output": "out", "steps": list(steps)}


TEXT = ["  a b \t\n", None, "\u00a0é\u00a0", "", "xxaxx", "Straße ǅ ﬁ 日本 😀", "\u3000a\u3000",
        "x\uffffy", "MiXeD 123", "a\nb"]
CASES = [
    ("trim", "string", [{"op": "trim"}], TEXT),
    ("trim_left_chars", "string", [{"op": "trim", "args": {"side": "left", "chars": "xé "}}],
     TEXT),
    ("trim_right_nbsp", "string", [{"op": "trim", "args": {"side": "right",
                                                           "chars": "\u00a0\u3000"}}], TEXT),
    ("upper", "string", [{"op": "case", "args": {"to": "upper"}}], TEXT),
    ("lower", "string", [{"op": "case", "args": {"to": "lower"}}], TEXT),
    ("collapse_whitespace", "string", [{"op": "collapse_whitespace"}], TEXT),
    ("regex_extract", "string", [{"op": "regex_extract", "args": {"pattern": "([0-9]+)"}}],
     ["order 1234 ok", "none", None, "ñandú 42", ""]),
    ("regex_extract_whole", "string",
     [{"op": "regex_extract", "args": {"pattern": "[^ ]+ú", "group": 0}}],
     ["ñandú 42", "ú", None, "x"]),
    ("regex_extract_empty_group", "string",
     [{"op": "regex_extract", "args": {"pattern": "a(x)?b", "group": 1}}], ["ab", "axb", None]),
    ("regex_dot_no_newline", "string",
     [{"op": "regex_extract", "args": {"pattern": "a.b", "group": 0}}],
     ["a\nb", "a\rb", "a😀b", None]),
    ("regex_alternatives", "string",
     [{"op": "regex_extract", "args": {"pattern": "(Mrs?|Ms|Dr)\\.? ([A-Z][a-z]*)",
                                       "group": 2}}],
     ["Mrs. Smith", "Mr Jones", "Ms Li", "Dr. No", "Mx Y", None]),
    ("regex_split_first", "string",
     [{"op": "regex_split", "args": {"pattern": ", *", "index": 0}}],
     ["a, b,,c", None, "solo", "x\uffffy", ",lead"]),
    ("regex_split_last", "string",
     [{"op": "regex_split", "args": {"pattern": ",", "index": -1}}],
     ["a, b,,c", None, "solo", "trail,", ",lead"]),
    ("regex_split_oob", "string",
     [{"op": "regex_split", "args": {"pattern": "[;|]", "index": -9}}], ["a;b|c", None]),
    ("map_dict", "string", [{"op": "map_dict", "args": {"mapping": {"A": "active",
                                                                     "ç": "cédille"}}}],
     ["A", "b", None, "ç", ""]),
    ("map_dict_keep", "string",
     [{"op": "map_dict", "args": {"mapping": {"A": "a"}, "keep_unmatched": True}}],
     ["A", "b", None]),
    ("map_dict_float", "string",
     [{"op": "map_dict", "args": {"mapping": {"A": 1, "b": 2.5}, "default": 0}}],
     ["A", "b", None, "z"]),
    ("map_dict_int", "string",
     [{"op": "map_dict", "args": {"mapping": {"A": 2**62, "b": -1}, "default": 0}}],
     ["A", "b", None, "z"]),
    ("map_dict_bool", "string",
     [{"op": "map_dict", "args": {"mapping": {"y": True}, "default": False}}], ["y", "n", None]),
    ("unit_cents", "integer", [{"op": "unit_convert", "args": {"from": "minor", "to": "major"}}],
     [1999, None, 0, -5, 2**63 - 1, -2**63]),
    ("unit_temperature", "float", [{"op": "unit_convert", "args": {"from": "c", "to": "f"}}],
     [100.0, NAN, -40.0, 1e308, INF, -INF, None, 5e-324]),
    ("unit_underflow", "float", [{"op": "unit_convert", "args": {"from": "mg", "to": "t"}}],
     [5e-324, -1e-310, 1e-300, 1.0, MAX, None]),
    ("unit_overflow", "float", [{"op": "unit_convert", "args": {"from": "t", "to": "mg"}}],
     [1e300, -1e300, MAX, 1.0, NAN]),
    ("date_parse_iso", "string", [{"op": "date_parse"}],
     ["2024-02-29", "2023-02-29", "2023-02-30", "2023-04-31", "2023-13-01", "2023-1-05",
      " 2023-01-05", None, "0999-01-01", "２０２３-01-01", "9999-12-31", "1900-02-29"]),
    ("date_parse_timestamp", "string",
     [{"op": "date_parse", "args": {"format": "%d/%m/%Y %H:%M", "to": "timestamp"}}],
     ["05/01/2023 23:59", "05/01/2023 24:00", "31/04/2023 10:00", "29/02/2024 00:00", None]),
    ("date_parse_compact", "string", [{"op": "date_parse", "args": {"format": "%Y%m%dT%H%M%S"}}],
     ["20230105T101112", "20230229T000000", "20230105T106000"]),
    ("date_parse_literals", "string",
     [{"op": "date_parse", "args": {"format": '"%Y"\\%m.%d* 日 %%', "to": "timestamp"}}],
     ['"2023"\\01.05* 日 %', '"2023"\\01x05* 日 %', None]),
    ("date_parse_no_year", "string", [{"op": "date_parse", "args": {"format": "%m/%d"}}],
     ["05/06", "02/29", "13/01"]),
    ("date_format", "date", [{"op": "date_format", "args": {"format": "%d.%m.%Y (%%)"}}],
     [date(2023, 1, 5), None, date(2024, 12, 31), date(999, 12, 31), date(1, 1, 1),
      date(9999, 12, 31)]),
    ("date_format_quotes", "timestamp",
     [{"op": "date_format", "args": {"format": 'FM "%Y" \\ DD th %H:%M:%S'}}],
     [datetime(2023, 1, 5, 7, 8, 9), datetime(999, 1, 1), None]),
    ("date_roundtrip", "string",
     [{"op": "date_parse", "args": {"format": "%d%m%Y"}},
      {"op": "date_format", "args": {"format": "%Y-%m-%d"}}], ["05012023", "30022023", None]),
    ("cast_str_int", "string", [{"op": "type_cast", "args": {"to": "integer"}}],
     ["12", "+7", "-0", " 1", "1.5", "99999999999999999999", None, "٣", "9223372036854775807",
      "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "0" * 300 + "42"]),
    ("cast_str_float", "string", [{"op": "type_cast", "args": {"to": "float"}}],
     ["1.5", ".5", "1.", "1e3", "1e400", "-1e400", "1e-400", "-1e-400", "nan", "inf", "1_0", None,
      "1.7976931348623157e308", "1.7976931348623159e308", "2.4703282292062327e-324",
      "2.4703282292062328e-324", "5e-324", "0e999999", "1e99999999999999999999",
      "0." + "0" * 400 + "1e401", "1" + "0" * 309, "-0"]),
    ("cast_str_bool", "string", [{"op": "type_cast", "args": {"to": "boolean"}}],
     ["true", "1", "false", "0", "TRUE", "yes", None]),
    ("cast_str_date", "string", [{"op": "type_cast", "args": {"to": "date"}}],
     ["2023-01-05", "2023-02-30", None]),
    ("cast_int_str", "integer", [{"op": "type_cast", "args": {"to": "string"}}],
     [5, None, -2**63, 2**63 - 1]),
    ("cast_int_bool", "integer", [{"op": "type_cast", "args": {"to": "boolean"}}], [5, None, 0]),
    ("cast_int_float", "integer", [{"op": "type_cast", "args": {"to": "float"}}],
     [2**53 + 1, None, -2**63]),
    ("cast_float_int", "float", [{"op": "type_cast", "args": {"to": "integer"}}],
     [2.9, -2.9, NAN, INF, 1e19, -9.223372036854775808e18, 9.223372036854775e18, None, -0.5]),
    ("cast_bool_str", "boolean", [{"op": "type_cast", "args": {"to": "string"}}],
     [True, False, None]),
    ("cast_bool_int", "boolean", [{"op": "type_cast", "args": {"to": "integer"}}],
     [True, False, None]),
    ("cast_date_str", "date", [{"op": "type_cast", "args": {"to": "string"}}],
     [date(2023, 1, 5), None, date(5, 5, 5)]),
    ("cast_ts_date", "timestamp", [{"op": "type_cast", "args": {"to": "date"}}],
     [datetime(2023, 1, 5, 23, 59, 59, 999999), None]),
    ("cast_ts_str", "timestamp", [{"op": "type_cast", "args": {"to": "string"}}],
     [datetime(2023, 1, 5, 1, 2, 3, 456789), None]),
    ("composed", "string",
     [{"op": "trim"}, {"op": "regex_extract", "args": {"pattern": "([0-9]+(?:\\.[0-9]+)?) *lb"}},
      {"op": "type_cast", "args": {"to": "float"}},
      {"op": "unit_convert", "args": {"from": "lb", "to": "kg"}},
      {"op": "safe_math", "args": {"operator": "mul", "right": {"ref": "$"}}}],
     [" box 10 lb ", "n/a", None, "2.5lb", "1" + "0" * 200 + " lb"]),
]


@pytest.mark.parametrize(("type_", "steps", "values"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_postgres_matches_polars(pg, type_, steps, values):
    check(pg, typed(values, type_), one(*steps, type_=type_))


def test_concat_skip_propagate_and_current_value(pg):
    df = pl.DataFrame({"first": ["Ada", None, None, "Zoë", ""],
                       "last": ["Lovelace", "Turing", None, "", None]})
    parts = [{"ref": "first"}, {"lit": "·"}, {"ref": "last"}, {"ref": "$"}]
    for nulls in ("skip", "propagate"):
        for sep in ("", " ", ", "):
            check(pg, df, {"inputs": ["first", "last"], "output": "full", "steps": [
                {"op": "trim"}, {"op": "concat", "args": {"parts": parts, "separator": sep,
                                                           "nulls": nulls}}]})
    check(pg, df, {"inputs": ["first"], "output": "o", "steps": [
        {"op": "concat", "args": {"parts": [{"lit": "<"}, {"ref": "$"}, {"lit": ">"}]}}]})


# float arithmetic at the edges: PostgreSQL raises on overflow and underflow, the DSL does not
EDGES = [0.0, 5e-324, 2.5e-323, 2.0 ** -1073, 2.2250738585072014e-308, 2.0 ** -537,
         2.0 ** -538, math.nextafter(2.0 ** -537, 0), 1e-300, 1e-160, 0.1, 0.5,
         math.nextafter(1.0, 0), 1.0, 1.5, 3.0, 1e154, 2.0 ** 512, 1e300, 3e300, 2.0 ** 1023,
         MAX / 8, MAX / 2, math.nextafter(MAX, 0), MAX, NAN, INF]


@pytest.mark.parametrize("operator", ["add", "sub", "mul", "div"])
def test_safe_math_edge_grid(pg, operator):
    rng = random.Random(operator)
    values = EDGES + [rng.uniform(0.5, 2) * 2.0 ** rng.randint(-1074, 1023) for _ in range(8)]
    values += [-v for v in values]
    pairs = [(a, b) for a in values for b in values]
    df = pl.DataFrame({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]})
    inputs = [{"name": "a", "type": "float"}, {"name": "b", "type": "float"}]
    check(pg, df, {"inputs": inputs, "output": "o", "steps": [
        {"op": "safe_math", "args": {"operator": operator, "right": {"ref": "b"}}}]})


def test_safe_math_near_the_limits(pg):
    """Products and quotients whose exact value sits at the rounding boundaries."""
    rng = random.Random(5)
    pairs = [(2.5e-323, 0.1), (5e-324, 0.5), (1e-323, 0.25), (2.0 ** -537, 2.0 ** -538),
             (2.0 ** 512, 2.0 ** 512), (MAX, 1.0 + 2.0 ** -52), (1.3407807929942596e154,) * 2]
    for _ in range(400):
        a = rng.uniform(0.5, 1) * 2.0 ** rng.randint(-1074, 0)
        pairs.append((a, 2.0 ** -1075 / a * (1 + rng.choice([0.0, 1e-16, -1e-16, 3e-16]))))
        a = rng.uniform(1, 2) * 2.0 ** rng.randint(1, 1023)
        pairs.append((a, MAX / a * (1 + rng.choice([0.0, 1.2e-16, -1.2e-16, 2.3e-16]))))
        pairs.append((rng.randint(1, 99) * 5e-324, rng.choice([0.1, 0.3, 0.7, 1 / 3, 2 / 3])))
    pairs = [p for p in pairs if p[1] != 0 and math.isfinite(p[1])]
    df = pl.DataFrame({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]})
    inputs = [{"name": "a", "type": "float"}, {"name": "b", "type": "float"}]
    for operator in ("mul", "div"):
        check(pg, df, {"inputs": inputs, "output": "o", "steps": [
            {"op": "safe_math", "args": {"operator": operator, "right": {"ref": "b"}}}]})


def test_text_to_float_at_the_rounding_thresholds(pg):
    with localcontext() as ctx:
        ctx.prec = 800
        tiny = Decimal(2) ** -1075
    huge = 2 ** 1024 - 2 ** 970
    values = [str(tiny), f"{tiny}1", f"{tiny:f}".rstrip("0") + "0" * 50 + "1", str(huge),
              str(huge - 1), f"{huge}.000001", f"0.{huge}e309", f"-{huge}"]
    check(pg, typed(values, "string"), one({"op": "type_cast", "args": {"to": "float"}}))


@pytest.mark.parametrize(("pattern", "why"), [
    ("a|ab", "overlapping alternatives"), ("(Mr|Mrs) ", "overlapping alternatives"),
    ("(?:x|)y", "overlapping alternatives"), ("[ab]c|a", "overlapping alternatives"),
    ("a+?", "lazy quantifiers"), ("(.*?)x", "lazy quantifiers"), ("a{2,300}", "above 255"),
])
def test_patterns_postgres_would_match_differently_are_refused(pattern, why):
    for op, args in (("regex_extract", {"pattern": pattern, "group": 0}),
                     ("regex_split", {"pattern": pattern})):
        plan = one({"op": op, "args": args})
        with pytest.raises(DslReject, match=why) as err:
            transform.to_sql(plan, "postgres")
        assert err.value.detail == {"dialect": "postgres", "op": op, "argument": "pattern"}
        assert transform.to_sql(plan, "duckdb")  # other dialects are unaffected


@pytest.mark.xfail(strict=True, reason="documented PostgreSQL difference: an optional part "
                   "competing with what follows it (POSIX longest match vs RE2 first match)")
def test_known_difference_competing_optional_parts(pg):
    check(pg, typed(["abc", "ab"], "string"),
          one({"op": "regex_extract", "args": {"pattern": "ab?(a|bc)?", "group": 0}}))


def test_deep_plans_bind_each_value_once():
    plan = one({"op": "trim"}, {"op": "type_cast", "args": {"to": "float"}},
               *[{"op": "safe_math", "args": {"operator": "mul", "right": {"ref": "$"}}}] * 4)
    sql = transform.to_sql(plan, "postgres")
    assert sql.count('BTRIM("x"') == 1 and len(sql) < 60_000


# hypothesis, on the one connection of the module ---------------------------------------------
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
ALPHABET = st.sampled_from(list("aZ09 ,;-._\t\n\r\f\v") + ["\u00a0", "é", "ß", "ǅ", "İ", "ﬁ",
                                                           "\u3000", "\uffff", "日", "😀"])
TEXTS = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=12)), min_size=1, max_size=8)
FLOATS = st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                            st.floats(-1e6, 1e6)), min_size=1, max_size=8)
NUMERIC_TEXT = st.lists(st.one_of(st.none(), st.from_regex(
    r"\A[+-]?[0-9]{0,22}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,3})?\Z"),
    st.text(ALPHABET, max_size=6)), min_size=1, max_size=8)
DATES = st.lists(st.one_of(st.none(), st.from_regex(
    r"\A[0-9]{4}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-6][0-9])?\Z"),
    st.text(ALPHABET, max_size=10)), min_size=1, max_size=8)
PATTERNS = st.sampled_from(["[,;]", " +", "[ \t\n]+", "-|_", "é+", "[^a-z]", "(?:a|Z)0", "\\.",
                            "a.", "(?:st|nd)"])


@SETTINGS
@given(values=TEXTS, side=st.sampled_from(["both", "left", "right"]),
       to=st.sampled_from(["upper", "lower"]), pattern=PATTERNS, index=st.integers(-3, 3))
def test_property_string_and_regex_ops(pg, values, side, to, pattern, index):
    df = typed(values, "string")
    check(pg, df, one({"op": "trim", "args": {"side": side, "chars": " é\u00a0,"}},
                      {"op": "case", "args": {"to": to}}, {"op": "collapse_whitespace"}))
    check(pg, df, one({"op": "regex_split", "args": {"pattern": pattern, "index": index}}))
    check(pg, df, one({"op": "regex_extract", "args": {"pattern": f"({pattern})([^,]*)",
                                                       "group": abs(index) % 3}}))


@SETTINGS
@given(floats=FLOATS, unit=st.sampled_from(list(transform.UNITS)),
       operator=st.sampled_from(["add", "sub", "mul", "div"]))
def test_property_unit_convert_and_safe_math(pg, floats, unit, operator):
    df = typed(floats, "float")
    dim = transform.UNITS[unit][0]
    other = min(u for u, v in transform.UNITS.items() if v[0] == dim and u != unit)
    check(pg, df, one({"op": "unit_convert", "args": {"from": unit, "to": other}},
                      type_="float"))
    check(pg, df, one({"op": "safe_math", "args": {"operator": operator, "right": {"ref": "$"}}},
                      {"op": "safe_math", "args": {"operator": operator,
                                                   "right": {"lit": 3e300}}}, type_="float"))


@SETTINGS
@given(texts=NUMERIC_TEXT, dates=DATES,
       fmt=st.sampled_from(["%Y-%m-%d", "%Y-%m-%d %H:%M", "%d%m%Y"]),
       to=st.sampled_from(["date", "timestamp"]))
def test_property_casts_and_dates(pg, texts, dates, fmt, to):
    df = typed(texts, "string")
    for target in ("integer", "float", "boolean", "date"):
        check(pg, df, one({"op": "type_cast", "args": {"to": target}}))
    check(pg, typed(dates, "string"), one({"op": "date_parse", "args": {"format": fmt, "to": to}},
                                          {"op": "date_format",
                                           "args": {"format": "%d/%m/%Y %%"}}))
