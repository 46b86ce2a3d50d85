"""How a pipeline is declared: its stages (notebook + package function), parameters and samples.

A pipeline is registered through the ``workbench.pipelines`` entry-point group: the entry point
names a function ``register_pipelines(register)`` that calls ``register(Pipeline(...))`` once per
pipeline, the way ``llm`` plugins register models. Built-in pipelines register exactly the same way.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"


class Params(BaseModel):
    """Base class of a pipeline's parameters: unknown keys are refused, values must be JSON types."""

    model_config = ConfigDict(extra="forbid", strict=False)


@dataclass(frozen=True)
class Stage:
    """One stage: the notebook papermill executes, and the package function that does its work.

    ``run(ctx)`` is what the notebook calls; a standalone notebook run (no ``run_id``) also calls
    the ``run`` of every earlier stage in-process so it has its inputs.
    """

    name: str
    notebook: Path
    run: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Pipeline:
    """A pipeline's declaration."""

    name: str
    version: str
    description: str
    stages: tuple[Stage, ...]
    params: type[Params] = Params
    # samples(out_dir, **options) -> list of input paths it wrote (deterministic)
    samples: Callable[..., list[Path]] | None = None
    migrations: Path | None = None
    # files in the run directory the report index links to, besides the stage pages
    artifacts: tuple[str, ...] = field(default_factory=tuple)
    # param_files(params, settings) -> files named by parameters (a target schema, a decisions
    # file) whose fingerprints belong in the run contract: edit one and the next run is new
    param_files: Callable[[dict, Any], list[Path]] | None = None

    def stage(self, name: str) -> Stage:
        """Return the stage called ``name``."""
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(name)

    def param_help(self) -> list[dict]:
        """Return name, type, default and description of each parameter."""
        out = []
        for name, f in self.params.model_fields.items():
            ann = getattr(f.annotation, "__name__", str(f.annotation))
            default = None if f.is_required() else f.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):  # a nested model's defaults, as JSON
                default = default.model_dump(mode="json")
            out.append({"name": name, "type": ann, "default": default,
                        "description": f.description or ""})
        return out
