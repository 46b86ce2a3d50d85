"""DuckDB store: brief connections and ordered SQL migrations with the schema version recorded.

DuckDB lets one process hold the file at a time, so every use opens, works and closes
(``with store.connect(settings) as con: …``) and a busy file is retried for a while instead of
failing. Migrations are ``NNN_name.sql`` files; the core's live in ``workbench/sql`` and each
pipeline may bring its own directory. Applied ones are recorded in ``schema_migrations``.
"""
from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from .config import Settings, load

_MIGRATED: set[str] = set()
BUSY_WAIT_S = 30.0


def _sql_files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.sql") if p.name[:3].isdigit())


def migration_sources() -> list[tuple[str, Path]]:
    """Return (component, directory) pairs: the core first, then each registered pipeline."""
    sources = [("core", Path(str(resources.files("workbench") / "sql")))]
    from .pipelines.registry import all_pipelines  # lazy: registry imports plugins

    for p in all_pipelines().values():
        if p.migrations:
            sources.append((p.name, Path(p.migrations)))
    return sources


def migrate(con, sources: list[tuple[str, Path]] | None = None) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (component VARCHAR, version INTEGER, "
        "name VARCHAR, checksum VARCHAR, applied_at TIMESTAMP DEFAULT now(), "
        "PRIMARY KEY (component, version))"
    )
    done = {(c, v) for c, v in con.execute("SELECT component, version FROM schema_migrations").fetchall()}
    applied = []
    for component, directory in sources or migration_sources():
        for f in _sql_files(directory):
            version = int(f.name[:3])
            if (component, version) in done:
                continue
            sql = f.read_text()
            con.execute("BEGIN")
            try:
                con.execute(sql)
                con.execute(
                    "INSERT INTO schema_migrations (component, version, name, checksum) VALUES (?,?,?,?)",
                    [component, version, f.name, hashlib.sha256(sql.encode()).hexdigest()],
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            applied.append(f"{component}/{f.name}")
    return applied


def schema_version(con) -> dict[str, int]:
    """Return the highest applied migration per component."""
    rows = con.execute(
        "SELECT component, max(version) FROM schema_migrations GROUP BY component ORDER BY 1"
    ).fetchall()
    return {c: v for c, v in rows}


def open_waiting(path: Path, read_only: bool = False, config: dict | None = None,
                 wait_s: float = BUSY_WAIT_S):
    """Return a DuckDB connection to ``path``, waiting up to ``wait_s`` while another process
    holds the file (a killed run's kernel lets go of it within a second or so)."""
    import duckdb

    deadline = time.monotonic() + wait_s
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:  # another process holds the file: wait briefly
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextlib.contextmanager
def connect(settings: Settings | None = None, *, read_only: bool = False) -> Iterator:
    """Yield a short-lived DuckDB connection to the workspace database, migrated to the latest schema."""
    settings = settings or load()
    path = settings.db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path)
    if read_only and not path.exists():
        read_only = False
    read_only = read_only and key in _MIGRATED  # the first open in a process migrates
    con = open_waiting(path, read_only=read_only)
    try:
        if key not in _MIGRATED:
            migrate(con)
            _MIGRATED.add(key)
        yield con
    finally:
        con.close()
