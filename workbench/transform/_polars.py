"""Compile a validated plan to a Polars expression."""
from __future__ import annotations

import polars as pl

from workbench.transform import _common as c
from workbench.transform import _dates
from workbench.transform._plan import CURRENT, step_types

DTYPES = {"string": pl.String, "integer": pl.Int64, "float": pl.Float64, "boolean": pl.Boolean,
          "date": pl.Date, "timestamp": pl.Datetime("us")}


def _finite(e: pl.Expr) -> pl.Expr:
    return pl.when(e.is_finite()).then(e)


def _empty_null(e: pl.Expr) -> pl.Expr:
    return pl.when(e != "").then(e)


def _parse(e: pl.Expr, fmt: str, to: str) -> pl.Expr:
    found, _ = _dates.parse_format(fmt)
    has_time = bool(set(found) & _dates.TIME_DIRECTIVES)
    if has_time:
        parsed = e.str.strptime(pl.Datetime("us"), fmt, strict=False, exact=True)
        parsed = parsed.dt.date() if to == "date" else parsed
    else:
        parsed = e.str.strptime(pl.Date, fmt, strict=False, exact=True)
        parsed = parsed.cast(pl.Datetime("us")) if to == "timestamp" else parsed
    return pl.when(e.str.contains(_dates.guard_regex(fmt))).then(parsed)


def _format(e: pl.Expr, fmt: str) -> pl.Expr:
    return pl.when(e.dt.year().is_between(1000, 9999)).then(e.dt.to_string(fmt))


def _cast(e: pl.Expr, src: str, dst: str) -> pl.Expr:
    if src == dst:
        return e
    if (src, dst) == ("string", "integer"):
        return pl.when(e.str.contains(c.INT_RE)).then(e.cast(pl.Int64, strict=False))
    if (src, dst) == ("string", "float"):
        return _finite(pl.when(e.str.contains(c.FLOAT_RE)).then(e.cast(pl.Float64, strict=False)))
    if (src, dst) == ("string", "boolean"):
        return e.replace_strict(c.BOOL_WORDS, default=None, return_dtype=pl.Boolean)
    if (src, dst) == ("string", "date"):
        return _parse(e, c.ISO_DATE, "date")
    if dst == "string" and src in ("date", "timestamp"):
        return _format(e, c.ISO_DATE if src == "date" else c.ISO_TIMESTAMP)
    if (src, dst) == ("integer", "boolean"):
        return e != 0
    if (src, dst) == ("float", "integer"):
        ok = e.is_finite() & (e >= c.I64_MIN) & (e < c.I64_LIM)
        return pl.when(ok).then(e.cast(pl.Int64, strict=False))
    return e.cast(DTYPES[dst])


def _operand(o: dict, cur: pl.Expr, as_float: bool = False) -> pl.Expr:
    if "lit" in o:
        return pl.lit(float(o["lit"]) if as_float else o["lit"],
                      dtype=pl.Float64 if as_float else pl.String)
    e = cur if o["ref"] == CURRENT else pl.col(o["ref"])
    return e.cast(pl.Float64) if as_float else e


def _step(op: str, a: dict, e: pl.Expr, src: str) -> pl.Expr:
    if op == "trim":
        fn = {"both": e.str.strip_chars, "left": e.str.strip_chars_start,
              "right": e.str.strip_chars_end}[a["side"]]
        return fn(a["chars"])
    if op == "case":
        pair = (list(c.LOWER), list(c.UPPER)) if a["to"] == "upper" else (list(c.UPPER),
                                                                           list(c.LOWER))
        return e.str.replace_many(*pair)
    if op == "collapse_whitespace":
        return e.str.replace_all(c.WS_RUN, " ").str.strip_chars(" ")
    if op == "regex_extract":
        return _empty_null(e.str.extract(a["pattern"], a["group"]))
    if op == "regex_split":
        parts = e.str.replace_all(a["pattern"], c.SPLIT_SENTINEL).str.split(c.SPLIT_SENTINEL)
        piece = _empty_null(parts.list.get(a["index"], null_on_oob=True))
        return pl.when(~e.str.contains(c.SPLIT_SENTINEL, literal=True)).then(piece)
    if op == "concat":
        parts = [_operand(o, e) for o in a["parts"]]
        joined = pl.concat_str(parts, separator=a["separator"],
                               ignore_nulls=a["nulls"] == "skip")
        refs = [p for p, o in zip(parts, a["parts"], strict=True) if "ref" in o]
        if a["nulls"] == "skip" and refs:
            return pl.when(pl.all_horizontal([r.is_null() for r in refs])).then(None) \
                .otherwise(joined)
        return joined
    if op == "map_dict":
        keys, vals = list(a["mapping"]), list(a["mapping"].values())
        if a["keep_unmatched"]:
            return e.replace(keys, vals)
        kinds = {type(v) for v in [*vals, a["default"]] if v is not None}
        dtype = (pl.Boolean if kinds == {bool} else pl.String if kinds <= {str}
                 else pl.Float64 if float in kinds else pl.Int64)
        if dtype == pl.Float64:
            vals = [float(v) for v in vals]
        default = a["default"] if a["default"] is None or dtype != pl.Float64 \
            else float(a["default"])
        out = e.replace_strict(keys, pl.Series(vals, dtype=dtype),
                               default=pl.lit(default, dtype=dtype),
                               return_dtype=dtype)
        return pl.when(e.is_not_null()).then(out)
    if op == "unit_convert":
        km, kd, kb = c.affine(a["from"], a["to"])
        v = e.cast(pl.Float64)
        v = v * km if km != 1.0 else v
        # a float column divided by a constant is multiplied by its reciprocal in Polars (1999 /
        # 100 would give 19.990000000000002); against a column the kernel divides, as SQL does.
        # ``v * 0.0 + kd`` is kd wherever v is finite (and can't be folded: inf * 0 is NaN)
        v = v / (v * 0.0 + kd) if kd != 1.0 else v
        v = v + kb if kb != 0.0 else v
        return _finite(v)
    if op == "date_parse":
        return _parse(e, a["format"], a["to"])
    if op == "date_format":
        return _format(e, a["format"])
    if op == "type_cast":
        return _cast(e, src, a["to"])
    if op == "safe_math":
        left, right = _operand(a["left"], e, True), _operand(a["right"], e, True)
        if a["operator"] == "div":
            return _finite(pl.when(right != 0).then(left / right))
        return _finite({"add": left + right, "sub": left - right,
                        "mul": left * right}[a["operator"]])
    raise AssertionError(op)  # pragma: no cover - validate() rejects unknown ops


def to_polars(plan: dict) -> pl.Expr:
    """Compile a plan to a Polars expression over its input columns, aliased to ``output``.

    Examples
    --------
    >>> import polars as pl
    >>> plan = {"inputs": ["first", "last"], "output": "full",
    ...         "steps": [{"op": "concat", "args": {"parts": [{"ref": "first"}, {"ref": "last"}],
    ...                                              "separator": " "}},
    ...                   {"op": "case", "args": {"to": "upper"}}]}
    >>> df = pl.DataFrame({"first": ["Ada", None], "last": ["Lovelace", None]})
    >>> df.select(to_polars(plan))["full"].to_list()
    ['ADA LOVELACE', None]
    """
    norm, types = step_types(plan)
    e = pl.col(norm["inputs"][0]["name"])
    for step, src in zip(norm["steps"], types, strict=False):
        e = _step(step["op"], step["args"], e, src)
    return e.cast(DTYPES[types[-1]]).alias(norm["output"])
