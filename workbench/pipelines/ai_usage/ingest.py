"""Stage 1, ingest: vendor logs -> parsed events (staging) + quarantine."""
from __future__ import annotations

import functools
from pathlib import Path

import polars as pl

from ...errors import BadInput
from ...ingest.vendor_detect import detect_vendor
from ...ingest.vendor_mapping import available_vendors
from ...ingest.vendor_parse import QUARANTINE_SCHEMA, Batch, parse_file
from . import lake


def input_files(paths: list[Path]) -> list[Path]:
    """Return the files under the given paths (folders walked, hidden files skipped), sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file()
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        elif p.is_file():
            out.append(p)
        else:
            raise BadInput(f"input path not found: {p}")
    return out


def write_events(path: Path, vendor: str, out_dir: Path, tag: str, *,
                 timezone: str | None = None, **parse_options) -> dict:
    """Parse ``path`` and write its events to ``out_dir`` (one Parquet file per block).

    Each block is written by the worker that parsed it, every event with its URL shape key
    (``workbench.ingest.url_shape``), by which normalize groups and pii joins.
    """
    lines = events = skipped = 0
    quarantine = []
    write = functools.partial(_write_batch, out_dir=Path(out_dir), tag=tag)
    for n_lines, n_skipped, n_events, q in parse_file(path, vendor, timezone=timezone,
                                                      map_batch=write, **parse_options):
        lines, skipped, events = lines + n_lines, skipped + n_skipped, events + n_events
        if q.height:
            quarantine.append(q)
    q = pl.concat(quarantine) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return {"lines": lines, "events": events, "skipped": skipped, "quarantine": q}


def _write_batch(b: Batch, out_dir: Path, tag: str) -> tuple[int, int, int, pl.DataFrame]:
    """Write one batch's events; return (lines, skipped, events, quarantine): small to send."""
    counts = (b.lines, b.skipped, b.events.height, b.quarantine)
    if not b.events.height:
        return counts
    # one file per block with the date as a column: staging is read whole, never by day, and
    # one file costs less to write than one per day (the events dataset is Hive by date)
    # per-file constants as one-value enums: written as a dictionary with no per-row hashing
    consts = [pl.lit(b.events[c][0], pl.Enum([b.events[c][0]])).alias(c)
              for c in ("vendor", "source_file")]
    df = b.events.with_columns(pl.col("ts").dt.date().alias("date"), *consts)
    # uncompressed: staging is read once or twice and then deleted; compressing cost ~20 % of
    # the write. One row group per file.
    df.write_parquet(out_dir / f"part-{tag}-{b.block:05d}.parquet", compression="uncompressed",
                     statistics=False, row_group_size=1 << 22)
    return counts


def run(ctx) -> dict:
    """Parse every input file with its vendor mapping; return per-file counts."""
    vendor = ctx.params.get("vendor", "auto")
    if vendor != "auto" and vendor not in available_vendors():
        raise BadInput(f"parameter 'vendor': {vendor!r} is not auto or one of "
                       f"{', '.join(available_vendors())}")
    tz = ctx.params.get("timezone") or None
    files = input_files(ctx.inputs)
    per_file, quarantine = [], []
    with lake.ReplaceDir(ctx.run_lake_path(lake.RAW)) as out:
        for n, f in enumerate(files):
            v = detect_vendor(f) if vendor == "auto" else vendor
            if v is None:
                quarantine.append(pl.DataFrame([{"source": f.name, "locator": "file",
                                                 "reason": "unrecognized log format (no vendor "
                                                           "mapping matches its first lines)",
                                                 "masked_preview": None}],
                                               schema=QUARANTINE_SCHEMA))
                per_file.append({"file": f.name, "vendor": None, "lines": 0, "events": 0,
                                 "quarantined": 1, "skipped": 0})
                continue
            c = write_events(f, v, out, f"{n:03d}", timezone=tz)
            quarantine.append(c["quarantine"])
            per_file.append({"file": f.name, "vendor": v, "lines": c["lines"],
                             "events": c["events"], "quarantined": c["quarantine"].height,
                             "skipped": c["skipped"]})
            ctx.ledger("ingest_file", decision="accept", status="ok",
                       detail={k: per_file[-1][k] for k in per_file[-1]})
    q = pl.concat(quarantine) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    ctx.quarantine(q)
    stats = pl.DataFrame(per_file, schema={"file": pl.String, "vendor": pl.String,
                                           "lines": pl.Int64, "events": pl.Int64,
                                           "quarantined": pl.Int64, "skipped": pl.Int64})
    ctx.output("files", stats)
    lines, events = int(stats["lines"].sum() or 0), int(stats["events"].sum() or 0)
    ctx.finish(rows_in=lines, rows_out=events, files=per_file, quarantined=q.height)
    return {"files": stats, "quarantine": q, "lines": lines, "events": events}
