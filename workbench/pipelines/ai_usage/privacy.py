"""Stage 3, pii: mask users, client IPs, URL paths, queries and user agents with workbench.pii.

Masking runs over distinct values (a few thousand, not millions of lines); DuckDB then joins
the masked values back while it writes the canonical ``ai_usage_events`` dataset, streaming.
Userinfo (``user:pass@``) is only audited: normalization already removed it from every URL.
"""
from __future__ import annotations

import polars as pl

from ... import pii
from . import lake
from .normalize import QUERY_SQL, USERINFO_SQL

EVENT_COLUMNS = ("ts", "vendor", "user", "department", "client_ip", "method", "scheme", "host",
                 "port", "path", "query", "path_template", "query_keys", "url_signature", "status",
                 "bytes_out", "bytes_in", "action", "user_agent", "source_file", "line_number")


def _mask_map(values: pl.Series, column: str, mode: str, ctx, source: str,
              action: str | None = None) -> tuple[pl.DataFrame, list[dict]]:
    """Return (value -> masked value for the values that changed, audit rows)."""
    df = pl.DataFrame({column: values.drop_nulls().unique().sort()})
    masked, audit = pii.mask_frame(df, [column], mode, settings=ctx.settings, source=source)
    m = pl.DataFrame({"value": df[column], "masked": masked[column]}) \
        .filter(pl.col("value") != pl.col("masked"))
    if action:
        audit = [{**a, "action": action} for a in audit]
    return m, audit


def _identity_params(queries: pl.Series, mode: str, ctx) -> tuple[pl.DataFrame, list[dict]]:
    """Mask values of person/user-named query keys (``name=jane.doe``) as user names.

    A handle such as ``jane.doe`` is not name-shaped, so text detection alone can miss it; the
    key says what it is, and masking it under a ``user`` column context makes that explicit.
    Keys are read percent- and plus-decoded (``user%5Fname``, ``full+name``), as a server
    would read them, so an encoded key does not hide its meaning.
    """
    qs = queries.drop_nulls().unique()
    # judge each distinct key once: keys come from the queries' shapes (values emptied), which
    # are few even when every query is distinct (cache busters)
    keys = {k for shape in qs.str.replace_all("=[^&]*", "=").unique().to_list()
            for k, eq, _ in (p.partition("=") for p in shape.split("&")) if eq}
    identity = [k for k in keys if _is_identity_key(k)]
    if identity:  # only queries holding one of those keys go through the pair loop
        amp = pl.lit("&") + qs
        qs = qs.filter(pl.select(pl.any_horizontal(
            amp.str.contains(f"&{k}=", literal=True) for k in identity)).to_series())
    else:
        qs = qs.clear()
    originals, rebuilt, handles = [], [], set()
    for q in qs.sort().to_list():
        pairs = [p.partition("=") for p in q.split("&")]
        hits = [v for k, eq, v in pairs if eq and v and _is_identity_key(k)]
        if hits:
            originals.append(q)
            handles.update(hits)
            rebuilt.append(pairs)
    if not handles:
        return pl.DataFrame({"value": [], "masked": []}, schema={"value": pl.String,
                                                                  "masked": pl.String}), []
    m, audit = _mask_map(pl.Series(sorted(handles)), "user", mode, ctx, source="events.query")
    lookup = dict(zip(m["value"].to_list(), m["masked"].to_list(), strict=True))
    new = ["&".join(f"{k}{eq}{lookup.get(v, v) if _is_identity_key(k) else v}"
                    for k, eq, v in pairs) for pairs in rebuilt]
    return pl.DataFrame({"value": originals, "masked": new}), audit


def _is_identity_key(key: str) -> bool:
    from urllib.parse import unquote_plus

    from ...pii.keys import key_entity

    return key_entity(unquote_plus(key)) in ("PERSON", "USERNAME")


def run(ctx) -> dict:
    """Write this run's masked canonical events; record the PII audit; return counts."""
    mode = ctx.params.get("pii_mode", "pseudonymize")
    con = lake.connect(ctx)
    if lake.exists(ctx, lake.EVENTS) and not lake.exists(ctx, lake.RAW):
        from ...errors import BadInput

        raise BadInput(f"run {ctx.run_id}: the staging dataset {lake.RAW} was removed by the "
                       "report stage (keep_staging=false); re-run from ingest to mask again")
    if not all(lake.exists(ctx, d) for d in (lake.RAW, lake.URLS)):
        ctx.pii_audit([])
        ctx.finish(rows_in=0, rows_out=0)
        return {"events": 0, "audit": []}
    con.sql(f"CREATE VIEW raw AS SELECT *, {QUERY_SQL.format(col='url')} AS query, "
            f"{USERINFO_SQL.format(col='url')} AS userinfo FROM {lake.scan_sql(ctx, lake.RAW)}")
    con.sql(f"CREATE VIEW urls AS SELECT * FROM {lake.scan_sql(ctx, lake.URLS)} "
            "WHERE error IS NULL")

    def distinct(col: str, rel: str) -> pl.Series:
        return con.sql(f'SELECT DISTINCT "{col}" AS v FROM {rel}').pl()["v"]

    audit: list[dict] = []
    maps = {}
    plan = [("user", "raw", "pseudonymize", None), ("client_ip", "raw", "pseudonymize", None),
            ("query", "raw", mode, None), ("user_agent", "raw", mode, None),
            ("path", "urls", mode, None), ("path_template", "urls", mode, None),
            ("userinfo", "raw", "redact", "drop")]
    for col, rel, how, action in plan:
        values = distinct(col, rel)
        pre = None
        if col == "query":  # identity parameters first, then text detection on the result
            pre, a = _identity_params(values, how, ctx)
            audit += a
            values = values.replace_strict(pre["value"], pre["masked"], default=values)
        m, a = _mask_map(values, col, how, ctx, source=f"events.{col}", action=action)
        if pre is not None and pre.height:  # compose: original -> identity-masked -> masked
            m = pl.DataFrame({"value": distinct(col, rel)}).drop_nulls().join(
                pre, on="value", how="left").with_columns(
                pl.coalesce("masked", "value").alias("_step")).join(
                m.rename({"value": "_step", "masked": "_final"}), on="_step", how="left"
            ).select("value", pl.coalesce("_final", "_step").alias("masked")).filter(
                pl.col("value") != pl.col("masked"))
        audit += a
        maps[col] = m
        con.register(f"m_{col}", m.to_arrow())
    sel = {c: f"r.{c}" for c in EVENT_COLUMNS}
    for c in ("scheme", "host", "port", "path", "path_template", "query_keys", "url_signature"):
        sel[c] = f"d.{c}"
    for c in ("user", "client_ip", "query", "user_agent", "path", "path_template"):
        src = "d" if c in ("path", "path_template") else "r"
        sel[c] = f'coalesce(m_{c}.masked, {src}."{c}")'
    joins = "".join(
        f' LEFT JOIN m_{c} ON m_{c}.value = {"d" if c in ("path", "path_template") else "r"}."{c}"'
        for c in ("user", "client_ip", "query", "user_agent", "path", "path_template"))
    cols = ", ".join(f'{expr} AS "{c}"' for c, expr in sel.items())
    query = f"SELECT {cols}, r.date FROM raw r JOIN urls d ON d.shape_key = r.shape_key{joins}"
    with lake.ReplaceDir(ctx.run_lake_path(lake.EVENTS)) as out:
        con.sql(f"COPY ({query}) TO '{out}' (FORMAT parquet, PARTITION_BY (date), "
                "OVERWRITE_OR_IGNORE true)")
    n = con.sql(f"SELECT count(*) FROM {lake.scan_sql(ctx, lake.EVENTS)}").fetchone()[0]
    n_raw = con.sql("SELECT count(*) FROM raw").fetchone()[0]
    con.close()
    audit_df = pl.DataFrame(audit, schema={"source": pl.String, "entity_type": pl.String,
                                           "count": pl.Int64, "action": pl.String})
    ctx.pii_audit(audit_df)
    ctx.output("audit", audit_df)
    info = pii.engine_info()
    ctx.ledger("pii_mask", decision="accept", status="ok", pii_mask_applied=True,
               detail={"mode": mode, "masked_values": {k: v.height for k, v in maps.items()},
                       "engine": info})
    ctx.finish(rows_in=n_raw, rows_out=n, masked_values=int(audit_df["count"].sum() or 0),
               mode=mode, engine=info)
    return {"events": n, "audit": audit_df}
