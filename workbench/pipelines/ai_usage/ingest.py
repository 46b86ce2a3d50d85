"""Stage 1, ingest: vendor logs -> parsed events (staging, Hive by date) + quarantine."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ...errors import BadInput
from ...ingest.vendor_detect import detect_vendor
from ...ingest.vendor_mapping import available_vendors
from ...ingest.vendor_parse import QUARANTINE_SCHEMA, parse_file
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


def write_events(batches, out_dir: Path, tag: str) -> dict:
    """Write each batch's events to ``out_dir/date=YYYY-MM-DD/``; return counts and quarantine."""
    lines = events = skipped = 0
    quarantine = []
    for i, b in enumerate(batches):
        lines, skipped = lines + b.lines, skipped + b.skipped
        if b.quarantine.height:
            quarantine.append(b.quarantine)
        if not b.events.height:
            continue
        events += b.events.height
        df = b.events.with_columns(pl.col("ts").dt.date().alias("date"))
        for (day,), part in df.partition_by("date", as_dict=True, include_key=False).items():
            d = out_dir / f"date={day}"
            d.mkdir(exist_ok=True)
            part.write_parquet(d / f"part-{tag}-{i:05d}.parquet", compression="lz4",
                              statistics=False)
    q = pl.concat(quarantine) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return {"lines": lines, "events": events, "skipped": skipped, "quarantine": q}


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
            c = write_events(parse_file(f, v, timezone=tz), out, f"{n:03d}")
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
