"""The one extension point of trace evaluation: ``register_trace_modules(register)``.

A package offers modules by naming a hook function in its ``pyproject.toml``::

    [project.entry-points."workbench.trace_modules"]
    my_checks = "my_package.checks:register_trace_modules"

and writing it::

    import polars as pl
    from workbench.pipelines.trace_eval.modules import TraceModule, hits_where, indexed
    from workbench.pipelines.trace_eval.modules import results_from_hits

    class Shouting(TraceModule):
        name, tier, version = "shouting", 1, "1"
        defaults = {"min_chars": 40}

        def evaluate(self, batch, prior=None):
            rows = indexed(batch, ["response"])
            loud = (pl.col("response").str.len_chars() >= self.config["min_chars"]) & (
                pl.col("response") == pl.col("response").str.to_uppercase())
            return results_from_hits(batch, [hits_where(rows, loud, "low", 0.3, "all caps")])

    def register_trace_modules(register):
        register(Shouting)

``register`` takes a ``TraceModule`` subclass (instantiated with its defaults) or an instance.
The built-in modules register the same way (``workbench.pipelines.trace_eval.rules``). During
development, ``WORKBENCH_TRACE_MODULES=pkg.mod:function[,...]`` adds hooks without installing.
The pipeline runs ``evaluate_tier`` once per tier, in order; a module with
``needs_prior = True`` (tier 2 ``risk_model``, tier 3 ``llm_judge``) receives the earlier tiers'
result rows as ``evaluate(batch, prior=...)``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import polars as pl

GROUP = "workbench.trace_modules"
ENV = "WORKBENCH_TRACE_MODULES"
HOOK = "register_trace_modules"


class TraceModuleLike(Protocol):
    """What the registry needs of a module: identity, config and a batch ``evaluate``."""

    name: str
    tier: int
    version: str
    config: dict[str, Any]

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one result row per trace of ``batch``."""


Register = Callable[[Any], None]
"""The callback a hook receives: ``register(ModuleClass)`` or ``register(instance)``."""


def register_trace_modules(register: Register) -> None:
    """Return nothing; the hook signature every plugin implements (this one registers none)."""
