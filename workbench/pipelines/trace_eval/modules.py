"""What a trace-evaluation module is: the ``TraceModule`` base and the result frame it returns.

A module reads a batch of traces (one Polars DataFrame, the unified trace schema) and returns
exactly one row per trace: ``trace_id, passed, severity, score, reason``. ``passed`` False means
flagged, null means not evaluated; ``score`` is in [0, 1], higher is worse; ``reason`` is empty
when passed and never holds a raw PII value (entity types and counts only).

Modules usually collect *hits* (row index, severity, score, reason), cheaply selected with
vectorized Polars expressions, and let ``results_from_hits`` fold them into one row per trace.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import polars as pl

from ...errors import BadInput

SEVERITIES = ("none", "low", "medium", "high", "critical")
RANK = {s: i for i, s in enumerate(SEVERITIES)}
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "trace_id": pl.Utf8(), "passed": pl.Boolean(), "severity": pl.Utf8(), "score": pl.Float64(),
    "reason": pl.Utf8(),
}
HIT_SCHEMA: dict[str, pl.DataType] = {
    "_row": pl.UInt32(), "severity": pl.Utf8(), "score": pl.Float64(), "reason": pl.Utf8(),
}
ROW = "_row"
BATCH_SCHEMA: dict[str, pl.DataType] = {
    "trace_id": pl.Utf8(), "source_format": pl.Utf8(), "provider": pl.Utf8(), "model": pl.Utf8(),
    "system": pl.Utf8(), "prompt": pl.Utf8(), "messages": pl.Utf8(), "response": pl.Utf8(),
    "finish_reason": pl.Utf8(), "expected_format": pl.Utf8(), "response_schema": pl.Utf8(),
    "max_tokens": pl.Int64(), "tokens_in": pl.Int64(), "tokens_out": pl.Int64(),
    "latency_ms": pl.Float64(), "cost_usd": pl.Float64(),
    "started_at": pl.Datetime("us", "UTC"), "metadata": pl.Utf8(), "source_file": pl.Utf8(),
    "line_no": pl.Int64(),
}


class TraceModule:
    """Base of every trace-evaluation module (built-in or plugin).

    Subclasses set ``name``, ``tier``, ``version``, ``defaults`` (the config keys they accept)
    and implement ``evaluate``. A module that needs earlier tiers' results sets
    ``needs_prior = True`` and receives them as ``prior`` (the concatenated result rows).
    """

    name: ClassVar[str] = ""
    tier: ClassVar[int] = 1
    version: ClassVar[str] = "0"
    description: ClassVar[str] = ""
    defaults: ClassVar[Mapping[str, Any]] = {}
    needs_prior: ClassVar[bool] = False
    # True when the module must see the raw text (the pipeline runs it at ingest, in memory,
    # before the text is masked and stored)
    needs_raw: ClassVar[bool] = False

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config: dict[str, Any] = merge_config(self.name, self.defaults, config or {})

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one result row per trace of ``batch`` (see ``RESULT_SCHEMA``)."""
        raise NotImplementedError

    def configured(self, overrides: Mapping[str, Any]) -> TraceModule:
        """Return a new module of the same class with ``overrides`` applied to this config."""
        return type(self)({**self.config, **overrides})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} tier={self.tier} v{self.version}>"


def merge_config(name: str, defaults: Mapping[str, Any],
                 overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``defaults`` updated by ``overrides``; raise BadInput on unknown keys or types.

    >>> merge_config("m", {"min_chars": 200}, {"min_chars": 50})
    {'min_chars': 50, 'enabled': True}
    """
    known = {**defaults, "enabled": defaults.get("enabled", True)}
    out = dict(known)
    for key, value in overrides.items():
        if key not in known:
            raise BadInput(f"trace module {name!r}: unknown config key {key!r}; "
                           f"expected one of {', '.join(sorted(known))}")
        default = known[key]
        numeric = isinstance(default, float) and isinstance(value, int | float)
        if (default is not None and value is not None and not numeric
                and not isinstance(value, type(default))):
            raise BadInput(f"trace module {name!r}: config {key!r} must be "
                           f"{type(default).__name__}, got {type(value).__name__}")
        out[key] = float(value) if numeric else value
    return out


def batch_frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Return a batch in ``BATCH_SCHEMA`` from dicts (absent keys null; text format by default).

    >>> batch_frame([{"trace_id": "t1", "prompt": "Hi?", "response": "Hello."}]).shape
    (1, 20)
    """
    defaults = {"expected_format": "text", "finish_reason": "stop", "messages": "[]",
                "metadata": "{}"}
    full = [{**defaults, **{k: None for k in BATCH_SCHEMA if k not in defaults}, **r}
            for r in rows]
    return pl.DataFrame(full, schema=BATCH_SCHEMA)


def indexed(batch: pl.DataFrame, columns: Sequence[str] | None = None,
            extra: Sequence[pl.Expr] = ()) -> pl.DataFrame:
    """Return ``columns`` of ``batch`` after a ``_row`` index (0-based), plus ``extra`` columns.

    >>> indexed(pl.DataFrame({"trace_id": ["a"], "x": [1]}), ["trace_id"]).columns
    ['_row', 'trace_id']
    """
    lf = batch.lazy()
    if columns is not None:
        lf = lf.select(columns)
    lf = lf.with_row_index(ROW)
    return (lf.with_columns(extra) if extra else lf).collect()


def candidates(frame: pl.DataFrame, condition: pl.Expr, columns: Sequence[str]) -> pl.DataFrame:
    """Return ``_row`` and ``columns`` of the rows where ``condition`` holds (one collect).

    ``frame`` is a batch (indexed on the way) or an already indexed frame.

    >>> candidates(pl.DataFrame({"r": ["a", "bb"]}), pl.col("r") == "bb", ["r"]).rows()
    [(1, 'bb')]
    """
    lf = frame.lazy() if ROW in frame.columns else frame.lazy().with_row_index(ROW)
    return lf.filter(condition.fill_null(False)).select(ROW, *columns).collect()


def hits_where(frame: pl.DataFrame | pl.LazyFrame, condition: pl.Expr, severity: str,
               score: float, reason: str | pl.Expr) -> pl.LazyFrame:
    """Return the hits (``HIT_SCHEMA``, lazy) of an indexed frame's rows where ``condition``."""
    why = pl.lit(reason) if isinstance(reason, str) else reason
    return (frame.lazy().filter(condition.fill_null(False))
            .select(pl.col(ROW), pl.lit(severity).alias("severity"),
                    pl.lit(float(score)).alias("score"), why.cast(pl.Utf8).alias("reason")))


Check = tuple[pl.Expr, str, float, "str | pl.Expr"]


def hits_of_checks(frame: pl.DataFrame | pl.LazyFrame, checks: Sequence[Check]) -> pl.LazyFrame:
    """Return the hits (lazy) of several ``(condition, severity, score, reason)`` checks at once.

    One plan instead of one ``hits_where`` per check: cheaper on small batches.

    >>> rows = indexed(pl.DataFrame({"n": [1, 5]}))
    >>> checks = [(pl.col("n") > 2, "low", 0.2, "big"), (pl.col("n") > 4, "high", 0.9, "huge")]
    >>> hits_of_checks(rows, checks).collect().sort("score").rows()
    [(1, 'low', 0.2, 'big'), (1, 'high', 0.9, 'huge')]
    """
    cols = []
    for i, (condition, severity, score, reason) in enumerate(checks):
        why = pl.lit(reason) if isinstance(reason, str) else reason.cast(pl.Utf8)
        hit = pl.struct(pl.lit(severity).alias("severity"), pl.lit(float(score)).alias("score"),
                        why.alias("reason"))
        cols.append(pl.when(condition.fill_null(False)).then(hit).alias(f"_check{i}"))
    return (frame.lazy().select(ROW, *cols)
            .unpivot(index=ROW, variable_name="_check", value_name="_hit")
            .drop_nulls("_hit").unnest("_hit").drop("_check"))


def hits_from_rows(rows: Iterable[tuple[int, str, float, str]]) -> pl.LazyFrame:
    """Return hits (lazy) from ``(row, severity, score, reason)`` tuples computed in Python.

    >>> hits_from_rows([(2, "high", 0.8, "invalid JSON")]).collect().row(0)
    (2, 'high', 0.8, 'invalid JSON')
    """
    return pl.DataFrame(list(rows), schema=HIT_SCHEMA, orient="row").lazy()


def results_from_hits(batch: pl.DataFrame, hits: Sequence[pl.DataFrame | pl.LazyFrame],
                      skipped: pl.Expr | None = None, skipped_reason: str = "") -> pl.DataFrame:
    """Return one result row per trace: the worst hit's severity and score, all hit reasons.

    Rows without hits pass (severity none, score 0, empty reason); rows where ``skipped`` holds
    are not evaluated (``passed`` null) and carry ``skipped_reason``. One Polars collect.

    >>> b = pl.DataFrame({"trace_id": ["a", "b"]})
    >>> results_from_hits(b, [hits_from_rows([(1, "low", 0.3, "x"), (1, "high", 0.9, "y")])]
    ...                   ).rows()
    [('a', True, 'none', 0.0, ''), ('b', False, 'high', 0.9, 'y; x')]
    """
    skip = pl.repeat(False, pl.len()) if skipped is None else skipped.fill_null(False)
    base = batch.lazy().select(pl.col("trace_id"), skip.alias("_skip")).with_row_index(ROW)
    frames = [h.lazy() for h in hits] or [pl.LazyFrame(schema=HIT_SCHEMA)]
    rank = pl.col("severity").replace_strict(RANK, return_dtype=pl.Int8)
    agg = (pl.concat(frames, how="vertical").with_columns(rank.alias("_rank"))
           .sort([ROW, "_rank", "score", "reason"], descending=[False, True, True, False])
           .group_by(ROW, maintain_order=True)
           .agg(pl.col("severity").first(), pl.col("score").max(),
                pl.col("reason").unique(maintain_order=True).str.join("; ")))
    flagged = pl.col("severity").is_not_null()
    skip_row = pl.col("_skip") & ~flagged
    return base.join(agg, on=ROW, how="left").sort(ROW).select(
        "trace_id",
        pl.when(skip_row).then(None).otherwise(~flagged).alias("passed"),
        pl.when(skip_row).then(None).otherwise(pl.col("severity").fill_null("none"))
        .alias("severity"),
        pl.when(skip_row).then(None).otherwise(pl.col("score").fill_null(0.0).clip(0.0, 1.0))
        .alias("score"),
        pl.when(skip_row).then(pl.lit(skipped_reason)).otherwise(pl.col("reason").fill_null(""))
        .alias("reason"),
    ).collect()


def check_results(batch: pl.DataFrame, results: pl.DataFrame, name: str) -> pl.DataFrame:
    """Return ``results`` cast to ``RESULT_SCHEMA`` and aligned to ``batch``; raise ValueError."""
    missing = [c for c in RESULT_SCHEMA if c not in results.columns]
    if missing:
        raise ValueError(f"{name} returned no column(s) {', '.join(missing)}")
    out = results.select([pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items()])
    if out.height != batch.height:
        raise ValueError(f"{name} returned {out.height} rows for {batch.height} traces")
    ids = batch.get_column("trace_id")
    if not out.get_column("trace_id").equals(ids):
        if ids.n_unique() != ids.len() or set(out["trace_id"]) != set(ids):
            raise ValueError(f"{name} returned rows for other traces than the batch's")
        out = (indexed(batch, ["trace_id"]).join(out, on="trace_id", how="left")
               .sort(ROW).drop(ROW))
    bad = out.filter(~pl.col("severity").is_in(SEVERITIES) | (pl.col("score") < 0)
                     | (pl.col("score") > 1))
    if bad.height:
        raise ValueError(f"{name} returned a severity outside {'/'.join(SEVERITIES)} "
                         f"or a score outside [0, 1]")
    return out
