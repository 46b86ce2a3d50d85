"""Stage 5, cache: join the selected signatures with ``analysis_cache``; the rest is unknown."""
from __future__ import annotations

import polars as pl

from . import lake
from .catalog import load_catalog

ACTIVE_SQL = ("c.status = 'active' AND (c.expires_at IS NULL OR c.expires_at > now()) "
              "AND (c.source <> 'catalog' OR c.catalog_version = ?)")


def lookup(con, run_id: str, catalog_version: str) -> pl.DataFrame:
    """Return this run's selected signatures with ``cached`` (an active classification exists)."""
    return con.execute(
        "SELECT s.url_signature, s.host, s.path_template, s.query_keys, s.selection, "
        f"c.url_signature IS NOT NULL AS cached FROM ai_usage_signatures s "
        f"LEFT JOIN analysis_cache c ON c.url_signature = s.url_signature AND {ACTIVE_SQL} "
        "WHERE s.run_id = ? AND s.selection IS NOT NULL ORDER BY s.url_signature",
        [catalog_version, run_id]).pl()


def run(ctx) -> dict:
    """Write the unknown set (lake ``ai_usage_unknown``); record the cache hit ratio."""
    version = load_catalog().version
    with ctx.connect() as con:
        sel = lookup(con, ctx.run_id, version)
    unknown = sel.filter(~pl.col("cached")).select("url_signature", "host", "path_template",
                                                    "query_keys", "selection")
    ctx.write_lake(lake.UNKNOWN, unknown)
    hits = sel.height - unknown.height
    ratio = round(hits / sel.height, 4) if sel.height else 0.0
    ctx.ledger("cache_lookup", decision="accept", status="ok",
               detail={"selected": sel.height, "hits": hits, "unknown": unknown.height,
                       "hit_ratio": ratio})
    ctx.output("unknown", unknown)
    ctx.finish(rows_in=sel.height, rows_out=unknown.height, cache_hits=hits, hit_ratio=ratio)
    return {"selected": sel.height, "hits": hits, "unknown": unknown, "hit_ratio": ratio}
