"""Discovery of pipelines: the ``workbench.pipelines`` entry points plus ``WORKBENCH_PLUGINS``.

``WORKBENCH_PLUGINS`` is a comma-separated list of ``module:function`` registering extra pipelines
without installing a package (used by the tests' toy pipeline).
"""
from __future__ import annotations

import importlib
import os
import sys
from importlib.metadata import entry_points

from ..errors import BadInput
from ..pipeline import Pipeline

_PIPELINES: dict[str, Pipeline] | None = None
_SEEN_PLUGINS: str | None = None


def _load_callable(spec: str):
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "register_pipelines")


def all_pipelines() -> dict[str, Pipeline]:
    """Return every registered pipeline by name (built-ins first, then plugins)."""
    global _PIPELINES, _SEEN_PLUGINS
    plugins = os.environ.get("WORKBENCH_PLUGINS", "")
    if _PIPELINES is not None and plugins == _SEEN_PLUGINS:
        return _PIPELINES
    found: dict[str, Pipeline] = {}

    def register(pipeline: Pipeline) -> None:
        found[pipeline.name] = pipeline

    hooks = [ep.load() for ep in sorted(entry_points(group="workbench.pipelines"), key=lambda e: e.name)]
    if not hooks:  # running from a source tree that was not pip-installed
        from . import register_pipelines
        hooks = [register_pipelines]
    hooks += [_load_callable(s.strip()) for s in plugins.split(",") if s.strip()]
    for hook in hooks:
        try:
            hook(register)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not take the CLI down
            print(f"warning: pipeline plugin {getattr(hook, '__module__', hook)} failed to "
                  f"register: {type(exc).__name__}: {exc}", file=sys.stderr)
    _PIPELINES, _SEEN_PLUGINS = found, plugins
    return found


def get(name: str) -> Pipeline:
    """Return the pipeline ``name`` or raise BadInput listing the known ones."""
    pipelines = all_pipelines()
    if name not in pipelines:
        known = ", ".join(sorted(pipelines)) or "none"
        raise BadInput(f"unknown pipeline {name!r}; registered pipelines: {known}")
    return pipelines[name]
