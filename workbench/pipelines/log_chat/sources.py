"""Which log source a question runs on: local files (``--input``) or CloudWatch Logs.

>>> pick_source("", ["logs/"])
'local'
>>> pick_source("", [])
'cloudwatch'
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from ...config import Settings
from ...errors import BadInput
from ...ingest.log_source import LogSource

KINDS = ("local", "cloudwatch")


def pick_source(source: str, inputs: Sequence[str | Path]) -> str:
    """Return the source kind: the one asked for, else local with inputs, else cloudwatch."""
    if source and source not in KINDS:
        raise BadInput(f"source {source!r} is not one of {', '.join(KINDS)}")
    return source or ("local" if inputs else "cloudwatch")


def open_source(kind: str, inputs: Sequence[str | Path], settings: Settings, *,
                region: str | None = None, profile: str | None = None) -> LogSource:
    """Return the log source of ``kind`` (local files get a Parquet cache in the lake)."""
    if kind == "local":
        if not inputs:
            raise BadInput("source=local needs --input PATH (a log file or folder)")
        from ...ingest.log_local import LocalLogSource

        missing = [str(p) for p in inputs if not Path(p).expanduser().exists()]
        if missing:
            raise BadInput(f"input path not found: {missing[0]} (give an existing log file or "
                           "folder with --input)")
        return LocalLogSource([Path(p).expanduser() for p in inputs],
                              cache_dir=settings.lake_dir / "log_chat_parsed")
    if kind == "cloudwatch":
        from ...ingest.cloudwatch import CloudWatchLogSource

        return CloudWatchLogSource(region=region or None, profile=profile or None)
    raise BadInput(f"source {kind!r} is not one of {', '.join(KINDS)}")


def data_end(source: LogSource) -> datetime | None:
    """Return the instant relative times are read against: just after the last local event.

    CloudWatch (and any live source) returns None: the clock. Local logs are usually an export,
    so "the last hour" means the last hour of the data.
    """
    describe = getattr(source, "describe", None)
    if describe is None:
        return None
    ends = [g.last_ts for g in (describe(g.name) for g in source.list_groups()) if g.last_ts]
    return max(ends) + timedelta(seconds=1) if ends else None
