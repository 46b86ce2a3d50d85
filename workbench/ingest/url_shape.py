"""The shape key of a URL: the URL with its fragment cut and every query value emptied.

A URL and its shape have the same signature downstream (values never enter a signature), so a
pipeline normalizes each distinct shape once instead of each distinct URL. The parser writes
the shape key of every event next to its URL (``kind: tokens`` while scanning, in C; the other
kinds with ``shape_keys``), so grouping by shape never needs a map keyed by the raw URL, which
would have a row per event when URLs carry unique query values (cache busters, signed links).

>>> shape_key("https://h.example/p?a=1&b=x=y&c#frag")
'https://h.example/p?a=&b=&c'
"""
from __future__ import annotations

import re

import polars as pl

_VALUE = re.compile(r"=[^&]*")


def shape_key(url: str) -> str:
    """Return the shape key of one URL (the reference the vectorized forms are tested against)."""
    url = url.split("#", 1)[0]
    base, q, query = url.partition("?")
    return base + q + _VALUE.sub("=", query) if q else url


def shape_key_expr(url: pl.Expr) -> pl.Expr:
    """Return the Polars expression of the shape key of URL expression ``url``."""
    u = url.str.splitn("#", 2).struct.field("field_0")
    parts = u.str.splitn("?", 2)
    query = parts.struct.field("field_1")
    return pl.when(query.is_null()).then(u).otherwise(pl.concat_str(
        [parts.struct.field("field_0"), pl.lit("?"), query.str.replace_all("=[^&]*", "=")]))


def shape_keys(col: pl.Series) -> pl.Series:
    """Return the shape key of every URL of ``col`` (nulls stay null)."""
    # Only URLs with "?" or "#" change. Of those, a URL with no "#" and no "=" before its "?"
    # gets the same key from emptying every "=value" of the whole URL as from emptying the
    # query's; the general expression runs on the rest (rare), so most rows cost one regex.
    def part(s, mask):
        idx = mask.fill_null(False).arg_true()
        return idx, s.gather(idx)

    idx, sub = part(col, col.str.contains_any(["?", "#"]))
    if not len(idx):
        return col
    hard_idx, hard = part(sub, sub.str.contains(r"#|^[^?]*="))
    shaped = sub.str.replace_all("=[^&]*", "=")
    if len(hard_idx):
        shaped = shaped.scatter(hard_idx, pl.DataFrame({"u": hard}).select(
            shape_key_expr(pl.col("u"))).to_series())
    return col.scatter(idx, shaped)
