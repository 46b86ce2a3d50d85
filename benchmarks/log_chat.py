"""Benchmark: log_chat fetch + mask + summarize of local logs, against DuckDB's plain read.

Usage: .venv/bin/python benchmarks/log_chat.py [--lines N] [--repeat R] [--quick]
       (default 1,000,000 lines; --quick: 100,000)

Writes an application log of N lines (and one of N/5) in the styles of four systems, with ISO
timestamps, then, each in a fresh process:
  baseline  DuckDB reading the file into an Arrow table (one VARCHAR column per line);
  pipeline  the log tools on the file: fetch_logs with a filter (first 50 matches) and
            summarize_logs over the whole window (templates, counts, masked examples, the
            comparison with the window before), with the tool cache off. "cold" includes the
            first parse of the file (timestamps per line) into the workspace's Parquet cache,
            "warm" reads that cache.
Then the latency of a cached answer: the same question asked again in a new chat session.
Prints seconds, lines/s, the ratio pipeline / baseline and the peak RSS at both sizes (it should
not grow with the number of lines).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
START = datetime(2026, 1, 14, tzinfo=UTC)
NOW = START + timedelta(days=1)  # the log covers the day before NOW


def write_log(path: Path, lines: int) -> None:
    """Write ``lines`` log lines (four systems' styles, one ISO timestamp each)."""
    from workbench.pipelines.log_chat.loggen import generate

    step = timedelta(seconds=86400 / max(lines, 1))
    with path.open("w") as fh:
        i = 0
        for system in ("hdfs", "openssh", "apache", "spark"):
            for line, _ in generate(system, lines // 4, seed=3):
                ts = START + step * i
                fh.write(ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z " + line + "\n")
                i += 1


def baseline(path: Path) -> dict:
    """Return seconds of DuckDB's plain read of the file, materialized as Arrow."""
    import duckdb

    t = time.perf_counter()
    table = duckdb.sql(f"SELECT * FROM read_csv('{path}', columns={{'line': 'VARCHAR'}}, "
                       "delim=chr(1), header=false, quote='', escape='')").fetch_arrow_table()
    return {"seconds": time.perf_counter() - t, "rows": table.num_rows}


def pipeline(path: Path, work: Path) -> dict:
    """Return seconds of fetch + summarize, cold (first parse) and warm (Parquet cache)."""
    from workbench import config
    from workbench.ingest.log_local import LocalLogSource
    from workbench.pipelines.log_chat.tools import LogTools

    settings = config.load(work)
    from workbench import pii

    # the detector's one-off start-up (the name model loads on first prose) is not the point
    from workbench.pii import ner

    pii.mask("Please ask John Smith at alice@example.com about the order he placed.")
    ner.model()
    out = {}
    for run in ("cold", "warm"):
        src = LocalLogSource([path], cache_dir=work / "parsed")
        tools = LogTools(src, settings, now=NOW, use_cache=False)
        t = time.perf_counter()
        fetched = tools.fetch_logs(path.name, since="24h", filter_pattern="?ERROR ?WARN ?failed",
                                   limit=50)
        summary = tools.summarize_logs(path.name, since="12h")  # and the 12 h before
        out[run] = time.perf_counter() - t
    out.update(rows=summary["events"], templates=summary["templates_total"],
               matched=fetched["matched"])
    return out


def cached_answer(path: Path, work: Path) -> dict:
    """Return ms of a question answered first, then again from the cache in a new session."""
    from workbench import config
    from workbench.ingest.log_local import LocalLogSource
    from workbench.pipelines.log_chat.session import ChatSession

    settings = config.load(work)
    q = f"summarize {path.stem} in the last 6 hours"
    out = {}
    for run in ("first", "cached"):
        session = ChatSession(LocalLogSource([path], cache_dir=work / "parsed"), settings,
                              now=NOW)
        t = time.perf_counter()
        answer = session.ask(q)
        out[run + "_ms"] = (time.perf_counter() - t) * 1000
        out[run + "_from_cache"] = [c["cached"] for c in answer.tool_calls]
    return out


def child(kind: str, path: str, work: str) -> None:
    """Run one measurement in this (fresh) process and print it as JSON with the peak RSS."""
    fn = {"baseline": lambda: baseline(Path(path)),
          "pipeline": lambda: pipeline(Path(path), Path(work)),
          "cached": lambda: cached_answer(Path(path), Path(work))}[kind]
    result = fn()
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run(kind: str, path: Path, work: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path), str(work)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the figures and ratios (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="100,000 lines (make bench)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    n = 100_000 if args.quick else args.lines
    with tempfile.TemporaryDirectory(prefix="log_chat_bench_") as tmp:
        tmp = Path(tmp)
        peaks = {}
        for size in (n // 5, n):
            path = tmp / f"app_{size}.log"
            write_log(path, size)
            best_b, best_p = None, None
            for r in range(max(1, args.repeat)):
                b = _run("baseline", path, tmp / f"ws_{size}_{r}")
                p = _run("pipeline", path, tmp / f"ws_{size}_{r}")
                best_b = b if best_b is None or b["seconds"] < best_b["seconds"] else best_b
                best_p = p if best_p is None or p["warm"] < best_p["warm"] else best_p
            peaks[size] = best_p["peak_mb"]
            print(f"{size:>9,} lines ({path.stat().st_size / 1e6:.0f} MB): DuckDB read "
                  f"{best_b['seconds']:.2f}s ({size / best_b['seconds']:,.0f} lines/s)")
            for run in ("cold", "warm"):
                print(f"  fetch+mask+summarize {run:<4} {best_p[run]:.2f}s "
                      f"({size / best_p[run]:,.0f} lines/s)  ratio {best_p[run] / best_b['seconds']:.2f}x")
            print(f"  {best_p['templates']} templates, {best_p['matched']} matches of the filter; peak RSS "
                  f"{best_p['peak_mb']:.0f} MB (DuckDB {best_b['peak_mb']:.0f} MB)")
        small, big = sorted(peaks)
        print(f"peak RSS {peaks[small]:.0f} MB at {small:,} lines, {peaks[big]:.0f} MB at "
              f"{big:,} lines (x{peaks[big] / peaks[small]:.2f} for x{big / small:.0f} lines)")
        c = _run("cached", tmp / f"app_{n}.log", tmp / f"ws_{n}_0")
        print(f"answer latency: {c['first_ms']:.0f} ms, asked again {c['cached_ms']:.0f} ms "
              f"(tool results from cache: {c['cached_from_cache']})")


if __name__ == "__main__":
    main()
