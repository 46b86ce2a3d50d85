"""Which model files score a batch: a run's own, the workspace's latest, or the shipped default.

Models trained in a run are written to ``<data_dir>/models/aml/<run_id>/`` and
``<data_dir>/models/aml/latest.json`` names the newest; the default models trained on sample data
ship in this package (``models/``).
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from ...config import Settings
from .train import KINDS

DEFAULT_DIR = Path(__file__).resolve().parent / "models"
_CACHE: dict[tuple, ModelBundle] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ModelBundle:
    """The three boosters of one model directory and their metadata."""

    directory: Path
    source: str  # default | workspace | run
    boosters: dict
    metadata: dict

    def features(self, kind: str) -> list[str]:
        """Return the feature names the model of ``kind`` expects, in order."""
        return list(self.metadata[kind]["features"])

    def describe(self) -> dict:
        """Return version, source and per-model metadata summary (for /version and reports)."""
        return {"source": self.source, "directory": str(self.directory)
                if self.source != "default" else "package:workbench/pipelines/aml/models",
                "models": {k: {key: m.get(key) for key in (
                    "version", "kind", "objective", "model_sha256", "data_hash", "trained_at",
                    "training_rows", "metrics", "num_trees")} | {"features": len(m["features"])}
                    for k, m in self.metadata.items()}}


def models_root(settings: Settings) -> Path:
    """Return the workspace folder holding trained AML models."""
    return settings.data_dir / "models" / "aml"


def run_model_dir(settings: Settings, run_id: str) -> Path:
    """Return the folder the models trained in ``run_id`` go to."""
    return models_root(settings) / run_id


def mark_latest(settings: Settings, directory: Path) -> None:
    """Record ``directory`` as the workspace's latest trained models."""
    root = models_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / "latest.json.tmp"
    tmp.write_text(json.dumps({"directory": directory.name}))
    tmp.replace(root / "latest.json")


def resolve_dir(settings: Settings | None, run_id: str | None = None) -> tuple[Path, str]:
    """Return (model folder, source): the run's own, else the workspace latest, else default."""
    if settings is not None:
        if run_id and _complete(run_model_dir(settings, run_id)):
            return run_model_dir(settings, run_id), "run"
        latest = models_root(settings) / "latest.json"
        if latest.is_file():
            d = models_root(settings) / json.loads(latest.read_text())["directory"]
            if _complete(d):
                return d, "workspace"
    return DEFAULT_DIR, "default"


def _complete(d: Path) -> bool:
    return all((d / f"{k}.txt").is_file() and (d / f"{k}.json").is_file() for k in KINDS)


def load_bundle(directory: Path | None = None, source: str = "default") -> ModelBundle:
    """Return the models of ``directory`` (default: the shipped ones), cached per file content."""
    from ...scoring import lgbm

    d = Path(directory or DEFAULT_DIR)
    stamp = tuple((d / f"{k}.txt").stat().st_mtime_ns for k in KINDS)
    key = (str(d), source, stamp)
    with _LOCK:
        if key not in _CACHE:
            boosters, meta = {}, {}
            for k in KINDS:
                boosters[k], meta[k] = lgbm.load(d / f"{k}.txt")
            _CACHE[key] = ModelBundle(d, source, boosters, meta)
        return _CACHE[key]
