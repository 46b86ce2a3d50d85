"""Discovery and running of trace modules: ``workbench.trace_modules`` entry points + env var.

Every hook (an entry point of the group, then each ``module:function`` of
``WORKBENCH_TRACE_MODULES``) is called with ``register``; the built-in modules come from
``workbench.pipelines.trace_eval.rules:register_trace_modules`` like any plugin's (and from the
source tree when the package metadata predates the entry point).

>>> sorted(all_modules(tier=1))[:3]
['consistency', 'format_validity', 'length_language']
"""
from __future__ import annotations

import copy
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Collection, Mapping
from importlib.metadata import entry_points
from typing import Any

import polars as pl

from ...errors import BadInput
from .hookspecs import ENV, GROUP, HOOK
from .modules import RESULT_SCHEMA, check_results

TIER_COLUMNS = ("trace_id", "module", "tier", "module_version", "passed", "severity", "score",
                "reason")
_CACHE: dict[tuple, dict[str, Any]] = {}
TIER_SCHEMA = {"trace_id": pl.Utf8, "module": pl.Utf8, "tier": pl.Int64, "module_version": pl.Utf8,
               **{k: v for k, v in RESULT_SCHEMA.items() if k != "trace_id"}}


def _load_hook(spec: str) -> Callable:
    module, _, attr = spec.strip().partition(":")
    return getattr(importlib.import_module(module), attr or HOOK)


# the built-in hooks, as pyproject.toml names them in the entry-point group
BUILTIN_HOOKS = ("workbench.pipelines.trace_eval.rules:register_trace_modules",
                 "workbench.pipelines.trace_eval.risk_model:register_trace_modules",
                 "workbench.pipelines.trace_eval.judge:register_trace_modules")


def _hooks() -> list[Callable]:
    hooks: list[Callable] = []
    found = sorted(entry_points(group=GROUP), key=lambda e: e.name)
    # a source tree whose installed metadata lacks the group still gets the built-ins, first
    missing = [spec for spec in BUILTIN_HOOKS if spec not in {ep.value for ep in found}]
    for spec in missing:
        try:
            hooks.append(_load_hook(spec))
        except Exception as exc:  # noqa: BLE001 - one broken built-in must not hide the others
            warnings.warn(f"built-in trace modules {spec!r} failed to load: "
                          f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=3)
    for ep in found:
        try:
            hooks.append(ep.load())
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not hide the others
            warnings.warn(f"trace module plugin {ep.name!r} ({ep.value}) failed to load: "
                          f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=3)
    for spec in os.environ.get(ENV, "").split(","):
        if spec.strip():
            try:
                hooks.append(_load_hook(spec))
            except Exception as exc:  # noqa: BLE001
                warnings.warn(f"{ENV} entry {spec.strip()!r} failed to load: "
                              f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=3)
    return list(dict.fromkeys(hooks))


def _instance(obj: Any) -> Any:
    module = obj() if isinstance(obj, type) else obj
    for attr, kind in (("name", str), ("tier", int), ("version", str)):
        if not isinstance(getattr(module, attr, None), kind) or getattr(module, attr) == "":
            raise TypeError(f"a trace module needs a {kind.__name__} {attr!r}")
    if not callable(getattr(module, "evaluate", None)):
        raise TypeError(f"trace module {module.name!r} has no evaluate(batch)")
    if not isinstance(getattr(module, "config", None), dict):
        module.config = {}
    return module


def _discover() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for hook in _hooks():
        def register(obj: Any, _hook: Callable = hook) -> None:
            try:
                module = _instance(obj)
            except Exception as exc:  # noqa: BLE001 - skip it, keep the others
                warnings.warn(f"{getattr(_hook, '__module__', _hook)} registered an invalid "
                              f"trace module {obj!r}: {exc}", RuntimeWarning, stacklevel=2)
                return
            if module.name in found:
                warnings.warn(f"trace module {module.name!r} registered again by "
                              f"{_hook.__module__}; the later one replaces it", RuntimeWarning,
                              stacklevel=2)
            found[module.name] = module

        try:
            hook(register)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not take the run down
            warnings.warn(f"trace module hook {getattr(hook, '__module__', hook)} failed: "
                          f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
    return dict(sorted(found.items(), key=lambda kv: (kv[1].tier, kv[0])))


def all_modules(tier: int | None = None) -> dict[str, Any]:
    """Return the registered modules by name (ordered by tier, then name), of one tier if given."""
    key = (os.environ.get(ENV, ""), tuple(sys.path))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _discover()
    return {n: m for n, m in _CACHE[key].items() if tier is None or m.tier == tier}


def get_module(name: str, config: Mapping[str, Any] | None = None) -> Any:
    """Return the module ``name`` (with ``config`` overrides applied) or raise BadInput.

    >>> get_module("truncation", {"min_chars": 120}).config["min_chars"]
    120
    """
    modules = all_modules()
    if name not in modules:
        raise BadInput(f"unknown trace module {name!r}; registered: "
                       f"{', '.join(modules) or 'none'}")
    module = modules[name]
    if not config:
        return module
    if hasattr(module, "configured"):
        return module.configured(config)
    clone = copy.copy(module)
    clone.config = {**module.config, **config}
    return clone


def _error_reason(exc: Exception) -> str:
    from ...pii import mask

    message = mask(str(exc)[:5000]).text[:300] if str(exc) else ""    # mask, then shorten
    return f"module error: {type(exc).__name__}" + (f": {message}" if message else "")


def _tier_rows(results: pl.DataFrame, module: Any) -> pl.DataFrame:
    return results.select(
        "trace_id", pl.lit(module.name).alias("module"),
        pl.lit(module.tier, pl.Int64).alias("tier"),
        pl.lit(module.version).alias("module_version"), "passed", "severity", "score", "reason")


def _unevaluated(batch: pl.DataFrame, reason: str) -> pl.DataFrame:
    return batch.select(
        pl.col("trace_id").cast(pl.Utf8), pl.lit(None, pl.Boolean).alias("passed"),
        pl.lit(None, pl.Utf8).alias("severity"), pl.lit(None, pl.Float64).alias("score"),
        pl.lit(reason).alias("reason"))


def evaluate_module(module: Any, batch: pl.DataFrame, prior: pl.DataFrame | None = None,
                    context: Any = None) -> pl.DataFrame:
    """Return the module's rows (``TIER_COLUMNS``); a failure gives rows with ``passed`` null.

    ``context`` (the stage's context) reaches a module that has ``bind(context)``: one that
    calls a model or writes to the ledger needs the run, the stage and the settings.
    """
    if context is not None and hasattr(module, "bind"):
        module = module.bind(context)
    try:
        if getattr(module, "needs_prior", False):
            if prior is None:
                raise ValueError("needs the results of earlier tiers (prior=)")
            results = module.evaluate(batch, prior=prior)
        else:
            results = module.evaluate(batch)
        results = check_results(batch, results, module.name)
    except Exception as exc:  # noqa: BLE001 - one failing module must not stop the others
        results = _unevaluated(batch, _error_reason(exc))
    return _tier_rows(results, module)


def evaluate_tier(batch: pl.DataFrame, tier: int = 1,
                  config: Mapping[str, Mapping[str, Any]] | None = None,
                  prior: pl.DataFrame | None = None, *, only: Collection[str] | None = None,
                  skip: Collection[str] = (), context: Any = None) -> pl.DataFrame:
    """Return the rows of every enabled module of ``tier`` over ``batch``, concatenated.

    ``config`` maps a module name to overrides of its defaults (``{"enabled": False}`` skips
    it); a name no module registered is a BadInput, raised before any module runs. ``only`` and
    ``skip`` narrow the modules by name; ``context`` is handed to modules that bind one.
    """
    config = dict(config or {})
    unknown = sorted(set(config) - set(all_modules()))
    if unknown:
        raise BadInput(f"config names unknown trace module(s) {', '.join(unknown)}; "
                       f"registered: {', '.join(all_modules())}")
    names = [n for n in all_modules(tier) if (only is None or n in only) and n not in skip]
    modules = [get_module(name, config.get(name)) for name in names]
    frames = [evaluate_module(m, batch, prior, context) for m in modules
              if m.config.get("enabled", True)]
    if not frames:
        return pl.DataFrame(schema=TIER_SCHEMA)
    return pl.concat(frames, how="vertical")
