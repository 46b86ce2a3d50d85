"""Built-in pipelines. Each registers through ``register_pipelines`` like a third-party plugin."""
from __future__ import annotations

import importlib
import sys

# module path of each built-in pipeline's declaration; a module missing here is simply not offered
BUILTIN = ("ai_usage", "aml", "log_chat", "migration", "trace_eval")


def register_pipelines(register) -> None:
    """Register every built-in pipeline whose package is present."""
    for name in BUILTIN:
        try:
            module = importlib.import_module(f"workbench.pipelines.{name}.pipeline")
        except Exception as exc:  # noqa: BLE001 - one broken pipeline must not hide the others
            print(f"warning: built-in pipeline {name!r} is unavailable: {type(exc).__name__}: "
                  f"{exc}", file=sys.stderr)
            continue
        register(module.PIPELINE)
