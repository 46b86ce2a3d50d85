"""Settings: WORKBENCH_* environment variables over an optional ``workbench.toml``.

Precedence: explicit argument > environment > ``<workspace>/workbench.toml`` > default.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

POLICY_VERSION = "pii-1"  # bump when masking rules change: it is part of every contract and cache key


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one workspace."""

    workspace: Path
    model: str = "offline"
    spacy_model: str | None = None
    llm_timeout_s: float = 60.0
    llm_max_retries: int = 3
    llm_concurrency: int = 4
    cache_max_bytes: int = 256 * 1024 * 1024
    duckdb_memory: str = "1GB"  # per analytical DuckDB connection; beyond it DuckDB spills to disk
    extra: dict = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.workspace / "data"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "workbench.duckdb"

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def reports_dir(self) -> Path:
        return self.workspace / "reports"

    def run_dir(self, pipeline: str, run_id: str) -> Path:
        return self.reports_dir / pipeline / run_id


def workspace_path(workspace: str | os.PathLike | None = None) -> Path:
    """Return the workspace directory: argument, else WORKBENCH_HOME, else the current directory."""
    if workspace:
        return Path(workspace).expanduser().resolve()
    home = os.environ.get("WORKBENCH_HOME")
    return Path(home).expanduser().resolve() if home else Path.cwd().resolve()


def load(workspace: str | os.PathLike | None = None) -> Settings:
    """Return the settings of a workspace (see module docstring for precedence)."""
    ws = workspace_path(workspace)
    file_cfg: dict = {}
    toml_path = ws / "workbench.toml"
    if toml_path.is_file():
        file_cfg = tomllib.loads(toml_path.read_text()).get("workbench", {})
    env = os.environ

    def pick(key: str, default, cast=str):
        env_key = f"WORKBENCH_{key.upper()}"
        if env.get(env_key) not in (None, ""):
            return cast(env[env_key])
        if key in file_cfg:
            return cast(file_cfg[key])
        return default

    return Settings(
        workspace=ws,
        model=pick("model", "offline"),
        spacy_model=pick("spacy_model", None),
        llm_timeout_s=pick("llm_timeout_s", 60.0, float),
        llm_max_retries=pick("llm_max_retries", 3, int),
        llm_concurrency=pick("llm_concurrency", 4, int),
        cache_max_bytes=pick("cache_max_bytes", 256 * 1024 * 1024, int),
        duckdb_memory=pick("duckdb_memory", "1GB"),
        extra={k: v for k, v in file_cfg.items()},
    )
