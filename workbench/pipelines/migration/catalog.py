"""The Standard Schema Catalog (§9) and the standardization shim recorded as DSL plans.

Headers are canonicalized (trimmed, case-folded, camelCase and punctuation to ``snake_case``);
values of text columns have their whitespace collapsed, and a text column whose every value is a
clean integer or decimal is cast: both as one Transform DSL plan per column, so the shim is a
plan a reviewer can read, not code. Types are inferred from the values (legacy CSV is all text);
date columns record which formats their values are in.

Examples
--------
>>> standard_name("  Cust ID "), standard_name("OrderNo"), standard_name("Balance (cents)")
('cust_id', 'order_no', 'balance_cents')
>>> import polars as pl
>>> infer_type(pl.Series(["2023-01-05", "05/01/2023", None]))["dtype"]
'date'
"""
from __future__ import annotations

import re
import unicodedata

import polars as pl

from ... import transform

INT_RE = r"^[+-]?[0-9]+$"
FLOAT_RE = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d",
                "%d-%m-%Y", "%m-%d-%Y")
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                     "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M")
MONTH_NAME_RE = (r"(?i)^([0-9]{1,2}[ -])?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                 r"[a-z]*\.?[ -]?([0-9]{1,2},?[ -])?[0-9]{2,4}$")
DTYPE_OF_POLARS = {pl.Utf8: "string", pl.Boolean: "boolean", pl.Date: "date",
                   pl.Datetime: "timestamp"}


def standard_name(raw: str) -> str:
    """Return the canonical header: trimmed, ASCII-folded, snake_case."""
    text = unicodedata.normalize("NFKD", str(raw)).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text.strip())
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return text or "column"


def standard_names(raw: list[str]) -> list[str]:
    """Return unique canonical headers for a table (``_2``, ``_3`` on collisions)."""
    out: list[str] = []
    for i, r in enumerate(raw):
        name = standard_name(r) if str(r).strip() else f"column_{i + 1}"
        base, n = name, 2
        while name in out:
            name, n = f"{base}_{n}", n + 1
        out.append(name)
    return out


def polars_dtype(dtype) -> str:
    """Return the catalog type of a Polars dtype."""
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "float"
    for k, v in DTYPE_OF_POLARS.items():
        if dtype == k or isinstance(dtype, type(k)) and dtype.base_type() == k:
            return v
    return "string"


def date_formats(values: pl.Series) -> dict[str, int]:
    """Return how many non-null text values parse with each DSL date/timestamp format."""
    s = values.drop_nulls()
    if s.len() == 0 or s.dtype != pl.Utf8:
        return {}
    frame = pl.DataFrame({"v": s.str.strip_chars()})
    out = {}
    for fmt in (*DATE_FORMATS, *TIMESTAMP_FORMATS):
        to = "timestamp" if "%H" in fmt else "date"
        plan = {"inputs": ["v"], "output": "d",
                "steps": [{"op": "date_parse", "args": {"format": fmt, "to": to}}]}
        n = transform.apply(frame, plan).drop_nulls().len()
        if n:
            out[fmt] = n
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def infer_type(values: pl.Series) -> dict:
    """Return the inferred type of a column's values, with hints (formats, text shapes)."""
    if values.dtype != pl.Utf8:
        return {"dtype": polars_dtype(values.dtype), "hints": []}
    s = values.drop_nulls().str.strip_chars()
    s = s.filter(s != "")
    n = s.len()
    hints: list[str] = []
    if n == 0:
        return {"dtype": "string", "hints": ["empty"]}
    if (values.drop_nulls() != values.drop_nulls().str.strip_chars()).any() or \
            s.str.contains("  ").any():
        hints.append("whitespace")
    ints = s.str.contains(INT_RE)
    if ints.all():
        if ((s.str.len_chars() > 1) & s.str.starts_with("0")).any():
            return {"dtype": "string", "hints": [*hints, "leading_zeros"]}
        return {"dtype": "integer", "hints": hints}
    if s.str.contains(FLOAT_RE).all():
        return {"dtype": "float", "hints": hints}
    if s.str.to_lowercase().is_in(list(BOOL_WORDS)).all():
        return {"dtype": "boolean", "hints": hints}
    if s.str.contains(r"^[-+]?[$€£¥]?\s*[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?$").mean() >= 0.9:
        hints.append("money_text")
    formats = date_formats(s)
    best = max(formats.values(), default=0)
    named = int(s.str.contains(MONTH_NAME_RE).sum())
    if best and (sum(formats.values()) >= 0.8 * n or best + named >= 0.8 * n):
        is_ts = "%H" in next(iter(formats))
        covered = _covered(s, formats)
        hints.append("formats:" + ",".join(formats))
        if covered < n:
            hints.append(f"unparsed:{n - covered}")
        if named:
            hints.append(f"month_names:{named}")
        return {"dtype": "timestamp" if is_ts else "date", "hints": hints,
                "formats": formats, "unparsed": n - covered}
    return {"dtype": "string", "hints": hints}


def _covered(s: pl.Series, formats: dict[str, int]) -> int:
    """Count values that at least one of the formats parses."""
    frame = pl.DataFrame({"v": s})
    ok = pl.Series([False] * s.len())
    for fmt in formats:
        to = "timestamp" if "%H" in fmt else "date"
        plan = {"inputs": ["v"], "output": "d",
                "steps": [{"op": "date_parse", "args": {"format": fmt, "to": to}}]}
        ok = ok | transform.apply(frame, plan).is_not_null()
    return int(ok.sum())


def shim_plan(raw: str, std: str, inferred: dict, source_dtype) -> dict:
    """Return the standardization DSL plan of one column (whitespace, lossless casts)."""
    if source_dtype != pl.Utf8:
        return {"inputs": [{"name": raw, "type": polars_dtype(source_dtype)}], "output": std,
                "steps": []}
    steps: list[dict] = [{"op": "collapse_whitespace"}]
    if inferred["dtype"] in ("integer", "float", "boolean"):
        steps.append({"op": "type_cast", "args": {"to": inferred["dtype"]}})
    return {"inputs": [raw], "output": std, "steps": steps}


def standardize(df: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """Return the table with the shim applied, and per column {raw, name, plan, inferred}."""
    names = standard_names(df.columns)
    exprs, columns = [], []
    for raw, std in zip(df.columns, names, strict=True):
        inferred = infer_type(df.get_column(raw))
        plan = shim_plan(raw, std, inferred, df.schema[raw])
        plan = transform.validate(plan)
        exprs.append(transform.to_polars(plan).alias(std) if plan["steps"]
                     else pl.col(raw).alias(std))
        columns.append({"raw": raw, "name": std, "plan": plan, "inferred": inferred})
    return (df.select(exprs) if exprs else df), columns


def column_stats(std: pl.DataFrame, name: str) -> dict:
    """Return null count, distinct estimate and key-likeness of a standardized column."""
    s = std.get_column(name)
    nulls = s.null_count() + (int((s == "").sum()) if s.dtype == pl.Utf8 else 0)
    distinct = s.drop_nulls().n_unique()
    n = std.height
    key_name = bool(re.search(r"(^|_)(id|key|no|nr|num|number|code)$", name))
    return {"null_count": nulls, "row_count": n, "distinct_estimate": distinct,
            "unique": n > 0 and nulls == 0 and distinct == n, "key_name": key_name}


def choose_key(columns: list[dict], primary_key: list[str]) -> list[str]:
    """Return the natural key of a table: the declared primary key, else the best unique id."""
    if primary_key:
        return primary_key
    def mostly_unique(c: dict) -> bool:
        st = c["stats"]
        filled = st["row_count"] - st["null_count"]
        return filled > 0 and st["null_count"] <= 0.05 * st["row_count"] \
            and st["distinct_estimate"] >= 0.9 * filled

    named = [c for c in columns if c["stats"]["key_name"] and mostly_unique(c)]
    unique = [c for c in columns if c["stats"]["unique"] and c["dtype"] == "integer"]
    pick = (named or unique)[:1]
    return [pick[0]["name"]] if pick else []
