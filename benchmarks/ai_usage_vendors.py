"""Benchmark: the ingest parse of each vendor format, against DuckDB reading the same file.

Usage: .venv/bin/python benchmarks/ai_usage_vendors.py [--lines N] [--quick]
       (default 1,000,000 lines in all: N/5 per vendor)

Writes the sample logs of the five vendors, then times for each, in this process:
  parse     the ingest stage's streaming parse + Parquet write (``write_events``)
  baseline  DuckDB reading the file into a table: ``read_json`` (newline-delimited) for the
            JSON vendors, ``read_csv`` (auto-detected) for the others, bad lines ignored
Prints lines/s, CPU seconds per million lines and the ratio parse / baseline per vendor. Squid's
3x target and flat-memory check are in ``ai_usage_ingest.py``; this one shows where the other
formats stand.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn, *args) -> tuple[float, float, object]:
    t, c = time.perf_counter(), _cpu()
    out = fn(*args)
    return time.perf_counter() - t, _cpu() - c, out


def _baseline(path: Path, vendor: str) -> float:
    import duckdb

    con = duckdb.connect()
    reader = (f"read_json('{path}', format = 'newline_delimited', ignore_errors = true)"
              if path.suffix == ".jsonl" else f"read_csv('{path}', ignore_errors = true)")
    t = time.perf_counter()
    con.sql(f"CREATE TABLE t AS SELECT * FROM {reader}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 lines (make bench)")
    args = ap.parse_args()
    if args.quick:
        args.lines = min(args.lines, 100_000)
    from workbench.ingest.vendor_detect import detect_vendor
    from workbench.pipelines.ai_usage.ingest import write_events
    from workbench.pipelines.ai_usage.samples import write_samples

    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        files = write_samples(Path(tmp) / "logs", lines=args.lines, seed=3)
        (Path(tmp) / "warm").mkdir()
        write_events(files[0], detect_vendor(files[0]), Path(tmp) / "warm", "w")  # imports
        print(f"{'vendor':<10} {'lines':>9} {'parse':>7} {'lines/s':>10} {'CPU-s/M':>8} "
              f"{'baseline':>9} {'ratio':>6}")
        for n, path in enumerate(files):
            vendor = detect_vendor(path)
            out = Path(tmp) / f"out{n}"
            out.mkdir()
            wall, cpu, counts = _timed(write_events, path, vendor, out, f"{n:03d}")
            base = _baseline(path, vendor)
            lines = counts["lines"]
            print(f"{vendor:<10} {lines:>9,} {wall:>6.2f}s {lines / wall:>10,.0f} "
                  f"{cpu / lines * 1e6:>8.2f} {base:>8.2f}s {wall / base:>5.1f}x")


if __name__ == "__main__":
    main()
