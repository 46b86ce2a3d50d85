"""Built-in pipelines. Each registers through ``register_pipelines`` like a third-party plugin."""
from __future__ import annotations

import importlib

# module path of each built-in pipeline's declaration; a module missing here is simply not offered
BUILTIN = ("ai_usage", "aml")


def register_pipelines(register) -> None:
    """Register every built-in pipeline whose package is present."""
    for name in BUILTIN:
        try:
            module = importlib.import_module(f"workbench.pipelines.{name}.pipeline")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(f"workbench.pipelines.{name}"):
                continue
            raise
        register(module.PIPELINE)
