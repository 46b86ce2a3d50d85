"""The migration engine (issue 16): checkpointed, idempotent, kill-safe, with quarantine.

Public entry points:

- :func:`migrate` — pre-flight, strategy, chunks with checkpoints, validations, quarantine and
  one atomic promotion into a DuckDB, SQLite or PostgreSQL target (a dry run in metadata_only);
- :func:`quarantine_rows` — the run's quarantined rows, masked (optionally exported);
- :func:`release` — re-run released rows after a fix (RBAC ``release_quarantine``);
- :func:`rollback` — restore the tables' previous version (RBAC ``rollback``);
- :func:`format_progress` — one line of a progress report (chunk n/N, rows/s, ETA).
"""
from __future__ import annotations

from .chunkrun import format_progress
from .engine import migrate
from .inputs import Source
from .quarantine import quarantine_rows
from .release import release, rollback

__all__ = ["Source", "format_progress", "migrate", "quarantine_rows", "release", "rollback"]
