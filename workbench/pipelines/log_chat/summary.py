"""Template summaries and counts over time: what ``summarize_logs`` and ``count_logs`` compute.

Templates are mined once per *shape* of message: lines that differ only in tokens holding a digit
(times, ids, sizes) share one representative, which ``templates.mine_templates`` reads. A million
lines therefore cost one vectorized Polars pass plus mining of the distinct shapes.

What changed is measured against the previous window of equal length: a template is *new* when it
occurs now and not then (and the previous window had events), a *spike* when its count is at least
``SPIKE_RATIO`` times what it was (counting an absent template as 1) and ``SPIKE_MIN`` more.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import datetime

import polars as pl

from ...errors import BadInput
from .evidence import mask_texts

SPIKE_RATIO = 3.0
SPIKE_MIN = 10
SHAPE = r"\S*\d\S*"          # tokens with a digit fold into one shape
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")

TEMPLATE_SCHEMA = {"log_group": pl.Utf8, "template_id": pl.Utf8, "template": pl.Utf8,
                   "count": pl.Int64, "first_seen": pl.Datetime("ms", "UTC"),
                   "last_seen": pl.Datetime("ms", "UTC"), "example": pl.Utf8}


def template_ids(templates: pl.Series) -> pl.Series:
    """Return a stable 12-hex id per template text (SHA-1 of the text)."""
    uniq = templates.unique()
    ids = [hashlib.sha1(t.encode()).hexdigest()[:12] for t in uniq.to_list()]
    return templates.replace_strict(uniq, pl.Series(ids, dtype=pl.Utf8), return_dtype=pl.Utf8)


def with_templates(frame: pl.DataFrame, column: str = "message", *, settings=None,
                   mask: bool = True) -> pl.DataFrame:
    """Return ``frame`` with a ``template`` column (one template per row, mined per shape).

    With ``mask`` the representatives are redacted first (``<EMAIL_ADDRESS>``), so a template
    never carries a value, even one that occurs in a single line.
    """
    from ... import pii
    from .templates import mine_templates

    if frame.is_empty():
        return frame.with_columns(pl.lit(None, pl.Utf8).alias("template"))
    shapes = frame.select(pl.col(column).fill_null("").str.replace_all(SHAPE, "#").alias("_shape"),
                          pl.col(column).fill_null("").alias("_msg"))
    reps = shapes.unique("_shape", keep="first", maintain_order=True)
    if mask:
        reps = pii.mask_frame(reps, ["_msg"], "redact", settings=settings)[0]
    mined = mine_templates(reps["_msg"].to_list())
    lookup = pl.DataFrame({"_shape": reps["_shape"], "template": pl.Series(mined, dtype=pl.Utf8)})
    return frame.with_columns(shapes["_shape"]).join(lookup, on="_shape", how="left",
                                                     maintain_order="left").drop("_shape")


def template_table(frame: pl.DataFrame, *, settings=None, mask: bool = True) -> pl.DataFrame:
    """Return one row per (log_group, template): count, first/last seen, first message (raw)."""
    if frame.is_empty():
        return pl.DataFrame(schema=TEMPLATE_SCHEMA)
    t = with_templates(frame, settings=settings, mask=mask)
    out = (t.group_by("log_group", "template", maintain_order=True)
           .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("ts").min().alias("first_seen"),
                pl.col("ts").max().alias("last_seen"), pl.col("message").first().alias("example"))
           .sort(["log_group", "count", "template"], descending=[False, True, False]))
    return out.with_columns(template_ids(out["template"]).alias("template_id")).select(
        list(TEMPLATE_SCHEMA))


def compare(current: pl.DataFrame, previous: pl.DataFrame | None, *, settings=None,
            mask: bool = True) -> pl.DataFrame:
    """Return the template table of ``current`` with previous counts and new / spike flags."""
    cur = template_table(current, settings=settings, mask=mask)
    if previous is None or previous.is_empty():
        return cur.with_columns(pl.lit(0, pl.Int64).alias("previous"),
                                pl.lit(False).alias("new"), pl.lit(False).alias("spike"))
    # mine once over both windows so a template has the same text in each
    t = with_templates(pl.concat([previous, current]), settings=settings, mask=mask)
    n_prev = previous.height
    t = t.with_columns((pl.int_range(pl.len()) < n_prev).alias("_prev"))
    prev_counts = t.filter(pl.col("_prev")).group_by("template").agg(
        pl.len().cast(pl.Int64).alias("previous"))
    cur = (t.filter(~pl.col("_prev")).group_by("log_group", "template", maintain_order=True)
           .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("ts").min().alias("first_seen"),
                pl.col("ts").max().alias("last_seen"), pl.col("message").first().alias("example")))
    cur = cur.join(prev_counts, on="template", how="left").with_columns(
        pl.col("previous").fill_null(0))
    cur = cur.with_columns(
        template_ids(cur["template"]).alias("template_id"),
        (pl.col("previous") == 0).alias("new"),
        ((pl.col("count") >= SPIKE_RATIO * pl.max_horizontal(pl.col("previous"), pl.lit(1)))
         & (pl.col("count") - pl.col("previous") >= SPIKE_MIN) & (pl.col("previous") > 0)
         ).alias("spike"))
    return cur.sort(["new", "spike", "count", "template"], descending=[True, True, True, False])


def summarize(source, group: str, start: datetime | None, end: datetime, filter_pattern: str,
              *, settings, mask: bool = True, max_templates: int = 40, max_chars: int = 6000,
              max_events: int = 2_000_000) -> dict:
    """Return the summarize_logs result: templates with counts, changes, masked examples."""
    cur = source.fetch(group, start, end, filter_pattern, max_events)
    prev = None
    if start is not None:
        prev = source.fetch(group, start - (end - start), start, filter_pattern, max_events).frame
    table = compare(cur.frame, prev, settings=settings, mask=mask)
    shown = table.head(max_templates)
    texts, counts = mask_texts(shown["template"].to_list() + shown["example"].to_list(), settings,
                               enabled=mask)
    k = shown.height
    rows = [{"template_id": r["template_id"], "template": texts[i], "count": r["count"],
             "previous": r["previous"], "new": r["new"], "spike": r["spike"],
             "first_seen": r["first_seen"].isoformat(timespec="seconds"),
             "last_seen": r["last_seen"].isoformat(timespec="seconds"),
             "example": texts[k + i][:300]} for i, r in enumerate(shown.iter_rows(named=True))]
    notes = [cur.note] if cur.note else []
    if cur.truncated:
        notes.append(f"summarized the first {max_events:,} events only")
    if table.height > k:
        notes.append(f"showing {k} of {table.height} templates (new and spiking first)")
    out = {"log_group": group, "start": start.isoformat() if start else None,
           "end": end.isoformat(), "events": cur.frame.height,
           "previous_events": None if prev is None else prev.height,
           "templates_total": table.height,
           "new_templates": int(table["new"].sum()) if prev is not None and prev.height else 0,
           "spikes": int(table["spike"].sum()), "templates": rows, "masked": dict(counts)}
    if prev is None or prev.is_empty():
        for r in rows:
            r["new"] = False
    out["rows"] = len(rows)
    return _fit(out, "templates", notes, max_chars)


def _fit(out: dict, key: str, notes: list[str], max_chars: int) -> dict:
    import json

    items, dropped = out[key], 0
    while items and len(json.dumps(out, default=str)) > max_chars:
        items.pop()
        dropped += 1
    if dropped:
        notes.append(f"{dropped} more {key} cut to stay under {max_chars:,} characters")
    out["rows"] = len(items)
    if notes:
        out["note"] = " ".join(notes)
    return out


def parse_interval(text: str) -> str:
    """Return a Polars duration ('5m', '1h', '1d') for an interval; BadInput otherwise."""
    m = _INTERVAL.match(str(text))
    if not m or int(m.group(1)) == 0:
        raise BadInput(f"interval {text!r} is not a count and a unit such as 30s, 5m, 1h or 1d")
    return f"{int(m.group(1))}{m.group(2)}"


def counts_per_interval(source, group: str, filter_pattern: str, start: datetime | None,
                        end: datetime, interval: str, *, settings, mask: bool = True,
                        max_events: int = 2_000_000, max_buckets: int = 200) -> dict:
    """Return the count_logs result: matching events per interval (a prefix: all its groups)."""
    every = parse_interval(interval)
    if group.endswith(("/", "*")):
        ev = source.search(filter_pattern, start, end, [group.rstrip("*")], max_events)
    else:
        ev = source.fetch(group, start, end, filter_pattern, max_events)
    frame = ev.frame.select("ts").sort("ts")
    buckets = (frame.group_by_dynamic("ts", every=every).agg(pl.len().alias("count"))
               if frame.height else pl.DataFrame(schema={"ts": pl.Datetime("ms", "UTC"),
                                                          "count": pl.UInt32}))
    rows = [{"start": ts.isoformat(timespec="seconds"), "count": int(n)}
            for ts, n in buckets.iter_rows()]
    notes = [ev.note] if ev.note else []
    if len(rows) > max_buckets:
        notes.append(f"showing the last {max_buckets} of {len(rows)} intervals")
        rows = rows[-max_buckets:]
    peak = max(rows, key=lambda r: r["count"]) if rows else None
    out = {"log_group": group, "filter_pattern": filter_pattern, "interval": every,
           "start": start.isoformat() if start else None, "end": end.isoformat(),
           "total": frame.height, "truncated": ev.truncated, "peak": peak, "buckets": rows,
           "rows": len(rows), "masked": dict(Counter())}
    if notes:
        out["note"] = " ".join(notes)
    return out
