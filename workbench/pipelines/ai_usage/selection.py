"""Stage 4, select: label signatures A (volume), B (burst, cumulative), C (long-tail sample).

B takes precedence over A: a person-level anomaly is the more specific finding.

Deterministic: the long-tail draw is a hash of (seed, signature), with the seed derived from
run_id and recorded. No host is ever dropped entirely: a host with no labelled signature gets its
lowest-draw signature as C ("host coverage"), so small volumes are never zero-excluded.
"""
from __future__ import annotations

import hashlib

import polars as pl

from . import lake

SIG_COLUMNS = ("url_signature", "host", "path_template", "query_keys", "events", "bytes_out",
               "bytes_in", "users")


def draw(seed: int, signature: str) -> float:
    """Return the deterministic uniform draw in [0, 1) of a signature under a seed."""
    h = hashlib.sha256(f"{seed}:{signature}".encode()).hexdigest()
    return int(h[:12], 16) / float(1 << 48)


def signature_stats(con, events_sql: str) -> pl.DataFrame:
    """Return per-signature volumes: events, bytes out/in, distinct users."""
    return con.sql(
        "SELECT url_signature, min(host) AS host, min(path_template) AS path_template, "
        "min(query_keys) AS query_keys, count(*) AS events, "
        "coalesce(sum(bytes_out), 0)::BIGINT AS bytes_out, "
        "coalesce(sum(bytes_in), 0)::BIGINT AS bytes_in, count(DISTINCT \"user\") AS users "
        f"FROM {events_sql} GROUP BY url_signature ORDER BY url_signature").pl()


def burst_and_cumulative(con, events_sql: str, p: dict) -> pl.DataFrame:
    """Return (url_signature, reason) for user-host bursts and cumulative totals (label B)."""
    minutes = int(p.get("window_minutes", 60))
    return con.sql(f"""
        WITH ev AS (SELECT "user", host, url_signature, coalesce(bytes_out, 0) AS b,
                           time_bucket(INTERVAL '{minutes} minutes', ts) AS win
                    FROM {events_sql} WHERE "user" IS NOT NULL),
        w AS (SELECT "user", host, win, sum(b) AS b FROM ev GROUP BY ALL),
        base AS (SELECT "user", host, median(b) AS med, sum(b) AS total, count(*) AS n
                 FROM w GROUP BY ALL),
        burst AS (SELECT w."user", w.host, w.win, w.b / greatest(base.med, 1) AS ratio
                  FROM w JOIN base USING ("user", host)
                  WHERE base.n >= 2 AND w.b >= {int(p.get('burst_min_bytes', 1_000_000))}
                    AND w.b >= {float(p.get('burst_factor', 10.0))} * base.med),
        b_sig AS (SELECT ev.url_signature, max(burst.ratio) AS ratio FROM ev
                  JOIN burst USING ("user", host, win) GROUP BY 1),
        c_sig AS (SELECT DISTINCT ev.url_signature, base.total FROM ev JOIN base USING ("user", host)
                  WHERE base.total >= {int(p.get('cumulative_bytes', 50_000_000))})
        SELECT url_signature,
               'B: burst ' || round(ratio, 1) || 'x the user-host baseline in a {minutes}-min window'
               AS reason FROM b_sig
        UNION ALL
        SELECT url_signature, 'B: cumulative ' || round(max(total) / 1e6, 1) ||
               ' MB out per user-host over the period' FROM c_sig
        WHERE url_signature NOT IN (SELECT url_signature FROM b_sig) GROUP BY url_signature
        ORDER BY url_signature""").pl()


def select(stats: pl.DataFrame, b_rows: pl.DataFrame, p: dict, seed: int) -> pl.DataFrame:
    """Return ``stats`` with ``selection`` (A/B/C/None), ``selection_reason`` and ``draw``."""
    top = int(p.get("a_top_n", 25))
    rate = float(p.get("sample_rate", 0.1))
    s = stats.with_columns(
        pl.Series("draw", [draw(seed, x) for x in stats["url_signature"]], dtype=pl.Float64))
    s = s.sort(["bytes_out", "url_signature"], descending=[True, False]) \
        .with_columns(pl.int_range(1, pl.len() + 1).alias("_rb")) \
        .sort(["events", "url_signature"], descending=[True, False]) \
        .with_columns(pl.int_range(1, pl.len() + 1).alias("_re")).sort("url_signature")
    b = b_rows.group_by("url_signature").agg(pl.col("reason").first().alias("_b"))
    s = s.join(b, on="url_signature", how="left")
    a_bytes = (pl.col("_rb") <= top) & (pl.col("bytes_out") > 0)
    a_events = pl.col("_re") <= top
    s = s.with_columns(
        pl.when(pl.col("_b").is_not_null()).then(pl.lit("B"))
        .when(a_bytes | a_events).then(pl.lit("A"))
        .when(pl.col("draw") < rate).then(pl.lit("C")).otherwise(None).alias("selection"),
        pl.when(pl.col("_b").is_not_null()).then(pl.col("_b"))
        .when(a_bytes).then(pl.format("A: top {} by bytes out (rank {})", pl.lit(top),
                                      pl.col("_rb")))
        .when(a_events).then(pl.format("A: top {} by events (rank {})", pl.lit(top),
                                       pl.col("_re")))
        .when(pl.col("draw") < rate).then(pl.format(
            "C: long-tail sample (draw {} < rate {}, seed {})", pl.col("draw").round(4),
            pl.lit(rate), pl.lit(seed)))
        .otherwise(None).alias("selection_reason"))
    # never zero-exclude a host: its lowest-draw signature covers it
    covered = s.filter(pl.col("selection").is_not_null())["host"].unique()
    cover = s.filter(~pl.col("host").is_in(covered.implode())).sort("draw") \
        .group_by("host", maintain_order=True).first()["url_signature"]
    s = s.with_columns(
        pl.when(pl.col("url_signature").is_in(cover.implode())).then(pl.lit("C"))
        .otherwise(pl.col("selection")).alias("selection"),
        pl.when(pl.col("url_signature").is_in(cover.implode()))
        .then(pl.lit("C: host coverage (the host had no other selected signature)"))
        .otherwise(pl.col("selection_reason")).alias("selection_reason"))
    return s.drop("_rb", "_re", "_b")


def run(ctx) -> dict:
    """Select this run's signatures; write them to ``ai_usage_signatures``; return counts."""
    p = ctx.params
    if not lake.exists(ctx, lake.EVENTS):
        ctx.replace_rows("ai_usage_signatures", None)
        ctx.finish(rows_in=0, rows_out=0, seed=ctx.seed, sample_rate=p.get("sample_rate"))
        return {"signatures": pl.DataFrame(), "counts": {}}
    con = lake.connect(ctx)
    ev = lake.scan_sql(ctx, lake.EVENTS)
    stats = signature_stats(con, ev)
    chosen = select(stats, burst_and_cumulative(con, ev, p), p, ctx.seed)
    con.close()
    rows = chosen.select(*SIG_COLUMNS, "selection", "selection_reason").with_columns(
        pl.lit(ctx.run_id).alias("run_id"))
    ctx.replace_rows("ai_usage_signatures", rows)
    counts = {k or "none": int(v) for k, v in
              chosen.group_by("selection").len().sort("selection").iter_rows()}
    audit = {"seed": ctx.seed, "sample_rate": float(p.get("sample_rate", 0.1)),
             "a_top_n": int(p.get("a_top_n", 25)), "counts": counts,
             "host_coverage": int(chosen["selection_reason"].str.starts_with("C: host").sum()),
             "hosts": chosen["host"].n_unique()}
    ctx.ledger("selection", decision="accept", status="ok", detail=audit)
    ctx.output("selection", chosen.select("url_signature", "selection"))
    ctx.finish(rows_in=stats.height, rows_out=int(chosen["selection"].is_not_null().sum()),
               **audit)
    return {"signatures": chosen, "counts": counts, **audit}
