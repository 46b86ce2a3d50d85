"""Lake datasets of the pipeline and how stages read and replace them."""
from __future__ import annotations

import shutil
from pathlib import Path

RAW = "ai_usage_raw"          # staging: parsed events with source values (removed by report)
URLS = "ai_usage_urls"        # staging: one row per distinct URL shape
EVENTS = "ai_usage_events"    # canonical, masked events, Hive-partitioned by date
UNKNOWN = "ai_usage_unknown"  # selected signatures without an active cached classification
SPILL = "ai_usage_spill"      # DuckDB's temporary files when a stage's scan outgrows memory
STAGING = (RAW, URLS, SPILL)


def connect(ctx):
    """Return an in-memory DuckDB connection for a stage's scans, capped at ``duckdb_memory``.

    Joins and aggregates over a run's events grow with their distinct values (users, queries:
    logs with cache-buster query values have nearly one per event); over the cap DuckDB spills
    to the run's ``SPILL`` folder (inside the workspace: spilled rows hold source values)
    instead of growing.
    """
    import duckdb

    spill = ctx.run_lake_path(SPILL)
    spill.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(config={"memory_limit": ctx.settings.duckdb_memory,
                                  "temp_directory": str(spill)})


def glob(ctx, dataset: str) -> str:
    """Return the parquet glob of this run's partition of ``dataset`` (BadInput-free)."""
    return str(ctx.run_lake_path(dataset) / "**" / "*.parquet")


def exists(ctx, dataset: str) -> bool:
    """Return True when this run has written ``dataset``."""
    p = ctx.run_lake_path(dataset)
    return p.is_dir() and any(p.rglob("*.parquet"))


def scan_sql(ctx, dataset: str) -> str:
    """Return a DuckDB ``read_parquet`` call over this run's partition with Hive columns."""
    return f"read_parquet('{glob(ctx, dataset)}', hive_partitioning = true, union_by_name = true)"


class ReplaceDir:
    """Write into ``<target>.tmp`` and swap it in on success, so a re-run replaces, never appends."""

    def __init__(self, target: Path):
        self.target = Path(target)
        self.tmp = self.target.with_name(self.target.name + ".tmp")

    def __enter__(self) -> Path:
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        return self.tmp

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        shutil.rmtree(self.target, ignore_errors=True)
        self.tmp.rename(self.target)
