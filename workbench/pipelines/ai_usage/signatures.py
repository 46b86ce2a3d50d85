"""Stage 2, normalize: one normalization per distinct URL shape -> URL dictionary + signatures."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from ...ingest.vendor_parse import preview_expr
from . import lake
from .normalize import rules, shape_key_sql, url_table

URL_SCHEMA = {"shape_key": pl.String, "scheme": pl.String, "host": pl.String, "port": pl.Int32,
              "path": pl.String, "path_template": pl.String, "query_keys": pl.String,
              "url_signature": pl.String, "has_userinfo": pl.Boolean, "error": pl.String,
              "events": pl.Int64}


def shapes(raw_sql: str, url_map: Path, con=None) -> pl.DataFrame:
    """Return each distinct URL shape of a raw-events scan with its event count.

    The shape key is computed once per distinct URL (not per event) and the map
    url -> shape_key (with the URL's event count) is written to the Parquet file ``url_map``:
    the join path from events to the URL dictionary. DuckDB streams both passes.
    """
    con = con or duckdb.connect()
    con.sql(f"COPY (SELECT url, {shape_key_sql('url')} AS shape_key, events FROM "
            f"(SELECT url, count(*) AS events FROM {raw_sql} GROUP BY url)) TO '{url_map}' "
            "(FORMAT parquet, COMPRESSION zstd)")
    return con.sql(f"SELECT shape_key, sum(events)::BIGINT AS events FROM read_parquet("
                   f"'{url_map}') GROUP BY ALL").pl()


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
        with lake.ReplaceDir(ctx.run_lake_path(lake.URL_SHAPES)) as out:
            counts = shapes(lake.scan_sql(ctx, lake.RAW), out / "part-0.parquet",
                                lake.connect(ctx))
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
