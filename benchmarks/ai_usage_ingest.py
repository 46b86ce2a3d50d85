"""Benchmark: ai_usage ingest -> canonical events -> signatures, against DuckDB's plain read_csv.

Usage: .venv/bin/python benchmarks/ai_usage_ingest.py [--lines N] [--repeat R] [--cache-busters]
       (default 5,000,000 lines, 1 repeat)

Generates a Squid access.log of N lines (and one of N/5 lines), then, each in a fresh process:
  baseline  DuckDB `CREATE TABLE AS SELECT * FROM read_csv(file)` (plain, auto-detected)
  pipeline  the ingest stage's streaming parse + Parquet write (one file per block, each event
            with its URL shape key) -> the normalize stage's distinct shapes and URL dictionary
            -> per-signature aggregates (events, bytes, users)
With --repeat R, baseline and pipeline alternate R times and the best of each is compared (the
machine may be shared). With --cache-busters every URL carries a query value of its own, so
nearly every event has a distinct URL (but the same shapes). Prints lines/s, the ratio pipeline / baseline, the pipeline's phases,
and the peak RSS at both sizes (it should not grow with the number of lines).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def baseline(path: Path) -> dict:
    """Return seconds of DuckDB's plain read_csv of the file, materialized."""
    import duckdb

    con = duckdb.connect()
    t = time.perf_counter()
    con.sql(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
    n = con.sql("SELECT count(*) FROM t").fetchone()[0]
    return {"seconds": time.perf_counter() - t, "rows": n}


def pipeline(path: Path, work: Path) -> dict:
    """Return seconds (total and per phase), events and signatures of ingest -> signatures."""
    import duckdb

    from workbench.config import Settings
    from workbench.pipelines.ai_usage.ingest import write_events
    from workbench.pipelines.ai_usage.signatures import shapes, url_dictionary

    phases = {}
    t = t0 = time.perf_counter()
    out = work / "raw"
    out.mkdir(parents=True)
    counts = write_events(path, "squid", out, "000")
    phases["parse_write"], t = time.perf_counter() - t, time.perf_counter()
    # as the stages connect (lake.connect): capped at the default duckdb_memory, spilling
    con = duckdb.connect(config={"memory_limit": Settings.duckdb_memory,
                                 "temp_directory": str(work / "spill")})
    raw = f"read_parquet('{out}/**/*.parquet', hive_partitioning = true)"
    shape_counts = shapes(raw, con)
    phases["shapes"], t = time.perf_counter() - t, time.perf_counter()
    urls = url_dictionary(shape_counts)
    phases["dictionary"], t = time.perf_counter() - t, time.perf_counter()
    con.register("urls", urls.to_arrow())
    # per (shape, user) first: the join then touches a few hundred thousand rows, not every event
    sigs = con.sql(f"SELECT d.url_signature, sum(n) AS events, sum(b) AS bytes_in, "
                   f"count(DISTINCT r.\"user\") AS users FROM (SELECT shape_key, \"user\", "
                   f"count(*) AS n, sum(bytes_in) AS b FROM {raw} GROUP BY ALL) r "
                   f"JOIN urls d USING (shape_key) GROUP BY 1").pl()
    phases["aggregate"] = time.perf_counter() - t
    return {"seconds": time.perf_counter() - t0, "phases": phases, "events": counts["events"],
            "quarantined": counts["quarantine"].height, "shapes": urls.height,
            "signatures": sigs.height, "bytes_in": int(sigs["bytes_in"].sum())}


def child(kind: str, path: str) -> None:
    """Run one measurement in this process and print it with the peak RSS as JSON."""
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        r = baseline(Path(path)) if kind == "baseline" else pipeline(Path(path), Path(tmp))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    r["peak_rss_mb"] = usage.ru_maxrss / 1024
    r["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # includes imports; robust to sharing
    print(json.dumps(r))


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cache-busters", action="store_true",
                    help="a query value of its own on every URL (distinct URL per event)")
    ap.add_argument("--quick", action="store_true", help="500,000 lines (make bench BENCH_ARGS=--quick)")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    if args.quick:
        args.lines = min(args.lines, 500_000)
    from workbench.pipelines.ai_usage.samples import write_squid_log

    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        big, small = Path(tmp) / "big.log", Path(tmp) / "small.log"
        t = time.perf_counter()
        write_squid_log(big, args.lines, cache_busters=args.cache_busters)
        write_squid_log(small, max(1, args.lines // 5), cache_busters=args.cache_busters)
        print(f"generated {args.lines:,} + {args.lines // 5:,} Squid lines"
              f"{' with cache busters' if args.cache_busters else ''} "
              f"({big.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t:.1f}s")
        small_run = measure("pipeline", small)
        bases, runs = [], []
        for _ in range(max(1, args.repeat)):  # alternate, so both see the same machine load
            bases.append(measure("baseline", big))
            runs.append(measure("pipeline", big))
    base = min(bases, key=lambda r: r["seconds"])
    big_run = min(runs, key=lambda r: r["seconds"])
    ratio = big_run["seconds"] / base["seconds"]
    if args.repeat > 1:
        pairs = ", ".join(f"{r['seconds'] / b['seconds']:.2f}x" for b, r in zip(bases, runs))
        print(f"ratios per pair          : {pairs}")
    print(f"baseline  DuckDB read_csv : {base['seconds']:.2f}s  "
          f"{args.lines / base['seconds']:,.0f} lines/s  cpu {base['cpu_seconds']:.1f}s  "
          f"peak {base['peak_rss_mb']:,.0f} MB")
    print(f"pipeline  ingest->sigs    : {big_run['seconds']:.2f}s  "
          f"{args.lines / big_run['seconds']:,.0f} lines/s  events {big_run['events']:,}  "
          f"shapes {big_run['shapes']:,}  signatures {big_run['signatures']:,}  "
          f"cpu {big_run['cpu_seconds']:.1f}s")
    print("  phases                  : " + "  ".join(
        f"{k} {v:.2f}s" for k, v in big_run["phases"].items()))
    print(f"ratio pipeline/baseline   : {ratio:.2f}x  (target <= 3x)")
    print(f"peak RSS pipeline         : {small_run['peak_rss_mb']:,.0f} MB at "
          f"{args.lines // 5:,} lines, {big_run['peak_rss_mb']:,.0f} MB at {args.lines:,} lines "
          f"(target < 2048 MB, flat)")


if __name__ == "__main__":
    main()
