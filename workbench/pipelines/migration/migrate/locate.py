"""Where a migration's arguments come from: explicit ones first, else a stage context.

The engine takes explicit arguments (settings, run_id, params, mapping rows, sources, target
schema) so it runs without a notebook; given a stage context (anything with ``settings``,
``run_id``, ``params`` and ``inputs``), what is missing is read the way the other stages read
it: the run's ``migration_mappings`` rows, the standardized source frames and the target schema.

Examples
--------
>>> from pathlib import Path
>>> from workbench.config import Settings
>>> default_url(Settings(workspace=Path("/w")))
'duckdb:////w/data/migration/target.duckdb'
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ....errors import BadInput
from ..target import TargetSchema, load_target, parse_target


@dataclass
class Arguments:
    """The resolved arguments of one engine call."""

    settings: object
    run_id: str
    params: dict
    mappings: list[dict]
    sources: dict
    target: TargetSchema


def default_url(settings) -> str:
    """Return the embedded default target: a DuckDB file in the workspace."""
    return f"duckdb:///{Path(settings.data_dir) / 'migration' / 'target.duckdb'}"


def target_url(settings, params: dict) -> str:
    """Return the run's target URL; refuse the workspace database itself."""
    url = params.get("target_url") or default_url(settings)
    if url.startswith("duckdb:///"):
        path = Path(url[len("duckdb:///"):]).expanduser().resolve()
        if path == Path(settings.db_path).resolve():
            raise BadInput("target_url is the workspace database; migrate into another file "
                           "(the default is data/migration/target.duckdb)")
    return url


def mapping_rows(settings, run_id: str) -> list[dict]:
    """Return the run's mapping plan rows from the workspace."""
    from .... import store

    with store.connect(settings, read_only=True) as con:
        cur = con.execute("SELECT * FROM migration_mappings WHERE run_id = ? ORDER BY "
                          "target_table, target_column", [run_id])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def domains(settings, run_id: str) -> dict:
    """Return the run's domains as ``{(side, table, column): domain}`` (empty when none)."""
    from .... import store

    with store.connect(settings, read_only=True) as con:
        rows = con.execute("SELECT side, source_table, source_column, domain FROM "
                           "migration_domains WHERE run_id = ? AND domain IS NOT NULL",
                           [run_id]).fetchall()
    return {(side, t, c): d for side, t, c, d in rows}


def as_target(target) -> TargetSchema:
    """Return a target schema from a schema, a parsed YAML mapping or a YAML path."""
    if isinstance(target, TargetSchema):
        return target
    if isinstance(target, dict):
        return parse_target(target)
    return load_target(target)


def arguments(ctx=None, *, settings=None, run_id=None, params=None, mappings=None,
              sources=None, target=None) -> Arguments:
    """Return the engine's arguments, filling the missing ones from ``ctx``."""
    settings = settings if settings is not None else getattr(ctx, "settings", None)
    run_id = run_id or getattr(ctx, "run_id", None)
    params = dict(params if params is not None else getattr(ctx, "params", None) or {})
    missing = [n for n, v in (("settings", settings), ("run_id", run_id)) if not v]
    if missing:
        raise BadInput(f"migrate needs {' and '.join(missing)} (or a stage context)")
    if mappings is None:
        mappings = mapping_rows(settings, run_id)
    if sources is None:
        if ctx is None:
            raise BadInput("migrate needs sources: {source table: frame or path}")
        from ..frames import sources_of

        sources = {std.table.name: std.frame for std in sources_of(ctx)}
    if target is None:
        if ctx is None:
            raise BadInput("migrate needs the target schema (a TargetSchema, dict or YAML path)")
        from ..target import find_target

        target = find_target(list(ctx.inputs), params.get("target", ""),
                             params.get("target_url", ""))
    return Arguments(settings, run_id, params, [_row(m) for m in mappings], dict(sources),
                     as_target(target))


def _row(m: dict) -> dict:
    out = dict(m)
    for k in ("source_columns", "dsl"):
        if isinstance(out.get(k), str) and out[k]:
            out[k] = json.loads(out[k])
    return out


def resolve_url(settings, run_id: str, given: str | None = None) -> str:
    """Return the target URL of an earlier run: given, from its contract, or the default."""
    if given:
        return given
    from .... import store

    with store.connect(settings, read_only=True) as con:
        row = con.execute("SELECT contract FROM runs WHERE run_id = ?", [run_id]).fetchone()
        seen = con.execute("SELECT DISTINCT target_url FROM migration_chunks WHERE run_id = ?",
                           [run_id]).fetchall()
    if row:
        url = (json.loads(row[0]).get("params") or {}).get("target_url")
        if url:
            return url
    urls = [u for (u,) in seen if u]
    if urls and "***" in urls[0]:
        raise BadInput(f"run {run_id} migrated into {urls[0]}; give target_url (with its "
                       f"password) to reach it again")
    return urls[0] if urls else default_url(settings)
