"""A third-party trace-module package, written the way a plugin author would write one."""
from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from workbench.pipelines.trace_eval.modules import (
    TraceModule,
    hits_where,
    indexed,
    results_from_hits,
)


class Shouting(TraceModule):
    """Flags answers written in capitals (a team's own house-style check)."""

    name = "shouting"
    tier = 1
    version = "0.3"
    defaults: ClassVar[dict[str, Any]] = {"min_chars": 12, "severity": "low"}

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged when the answer is all capitals."""
        out = pl.col("response")
        loud = (out.str.len_chars() >= self.config["min_chars"]) & (out == out.str.to_uppercase())
        rows = indexed(batch, ["response"])
        return results_from_hits(batch, [hits_where(rows, loud, self.config["severity"], 0.3,
                                                    "answer in capitals")])


class Exploding(TraceModule):
    """A buggy module: it raises with the trace's text in the message."""

    name = "exploding"
    tier = 1
    version = "0.0.1"

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return nothing: raise, quoting the first answer."""
        raise RuntimeError(f"cannot handle {batch['response'][0]!r}")


class RowDropper(TraceModule):
    """A buggy module: it returns fewer rows than traces."""

    name = "row_dropper"
    tier = 1
    version = "1"

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return the results of the first trace only."""
        return Shouting().evaluate(batch).head(1)


class FlagCounter:
    """A tier-2 module that is no TraceModule subclass and reads the tier-1 results."""

    name = "flag_counter"
    tier = 2
    version = "2.0"
    needs_prior = True

    def __init__(self) -> None:
        self.config = {"threshold": 2}

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged when tier 1 flagged it ``threshold`` times or more."""
        flags = (~pl.col("passed")).fill_null(False).sum().alias("n")
        counts = prior.group_by("trace_id").agg(flags)
        out = batch.select("trace_id").join(counts, on="trace_id", how="left").with_columns(
            pl.col("n").fill_null(0))
        bad = pl.col("n") >= self.config["threshold"]
        return out.select(
            "trace_id", (~bad).alias("passed"),
            pl.when(bad).then(pl.lit("medium")).otherwise(pl.lit("none")).alias("severity"),
            (pl.col("n") / 6).clip(0, 1).cast(pl.Float64).alias("score"),
            pl.when(bad).then(pl.format("{} tier-1 flags", "n")).otherwise(pl.lit(""))
            .alias("reason"))


def register_trace_modules(register) -> None:
    """Register this package's working module (the entry-point hook)."""
    register(Shouting)


def register_broken(register) -> None:
    """Register the buggy modules (a second hook of the same package)."""
    register(Exploding)
    register(RowDropper)


def register_tier2(register) -> None:
    """Register the tier-2 module, as an instance."""
    register(FlagCounter())


def register_invalid(register) -> None:
    """Register things that are not modules, then fail."""
    register(object())
    raise ValueError("this hook is broken")
