"""Stage 2, normalize: one normalization per distinct URL shape -> URL dictionary + signatures."""
from __future__ import annotations

import duckdb
import polars as pl

from ...ingest.vendor_parse import preview_expr
from . import lake
from .normalize import rules, url_table

URL_SCHEMA = {"shape_key": pl.String, "scheme": pl.String, "host": pl.String, "port": pl.Int32,
              "path": pl.String, "path_template": pl.String, "query_keys": pl.String,
              "url_signature": pl.String, "has_userinfo": pl.Boolean, "error": pl.String,
              "events": pl.Int64}


def shapes(raw_sql: str, con=None) -> pl.DataFrame:
    """Return each distinct URL shape of a raw-events scan with its event count.

    The parser wrote every event's shape key (``workbench.ingest.url_shape``), so this is one
    grouping over a column, whatever the number of distinct raw URLs.
    """
    con = con or duckdb.connect()
    return con.sql(f"SELECT shape_key, count(*) AS events FROM {raw_sql} "
                   "WHERE shape_key IS NOT NULL GROUP BY ALL").pl()


def url_dictionary(shape_counts: pl.DataFrame) -> pl.DataFrame:
    """Return the URL dictionary: normalized parts and signature of every shape."""
    d = url_table(shape_counts["shape_key"])
    return shape_counts.select("shape_key", "events").hstack(d) \
        .select(list(URL_SCHEMA)).sort("shape_key")


def run(ctx) -> dict:
    """Normalize this run's URLs; write the dictionary; quarantine URLs that do not parse."""
    if not lake.exists(ctx, lake.RAW):
        urls = pl.DataFrame(schema=URL_SCHEMA)
    else:
        counts = shapes(lake.scan_sql(ctx, lake.RAW), lake.connect(ctx))
        urls = url_dictionary(counts)
    ctx.write_lake(lake.URLS, urls)
    bad = urls.filter(pl.col("error").is_not_null())
    ctx.quarantine(bad.select(
        pl.lit(lake.URLS).alias("source"),
        pl.format("url shape {}", pl.col("shape_key").hash(0).cast(pl.String).str.slice(0, 10))
        .alias("locator"),
        pl.format("invalid URL ({} events)", pl.col("events")).alias("reason"),
        preview_expr("shape_key").alias("masked_preview")))
    n_sig = urls["url_signature"].n_unique() - (1 if bad.height else 0)
    ctx.output("urls", urls.select("shape_key", "url_signature"))
    ctx.ledger("normalize", decision="accept", status="ok",
               detail={"rules_version": rules().version, "shapes": urls.height,
                       "signatures": n_sig, "invalid": bad.height})
    ctx.finish(rows_in=urls.height, rows_out=n_sig, rules_version=rules().version,
               invalid_urls=bad.height, userinfo_urls=int(urls["has_userinfo"].sum() or 0))
    return {"urls": urls, "signatures": n_sig, "invalid": bad.height}
