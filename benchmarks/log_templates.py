"""Benchmark: log template mining against Drain3, grouping accuracy and lines per second.

Usage: .venv/bin/python benchmarks/log_templates.py [--lines N] [--headers] [--quick]
       .venv/bin/python benchmarks/log_templates.py --input FILE --truth FILE

On generated logs (``workbench.pipelines.log_chat.loggen``, 16 system styles, N lines each,
default 20,000; ``--headers`` gives full raw lines, otherwise message content only) prints, per
system, the grouping accuracy (GA, as in the Loghub benchmark: a line is right when its predicted
group is exactly its true group) of ``mine_templates`` and of Drain3's ``TemplateMiner`` with its
default configuration, the mean, and lines/s of both on the same lines in this process, with the
ratio. With ``--input`` (one log line per line) and ``--truth`` (one template id per line, or a
Loghub ``*_structured.csv`` whose ``EventId`` column is used) it scores a user-supplied log.
"""
from __future__ import annotations

import argparse
import csv
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from workbench.pipelines.log_chat.loggen import grouping_accuracy


def run_ours(lines: list[str]) -> tuple[list[str], float]:
    """Return our templates and the seconds taken."""
    from workbench.pipelines.log_chat.templates import mine_templates

    t = time.perf_counter()
    out = mine_templates(lines)
    return out, time.perf_counter() - t


def run_drain3(lines: list[str]) -> tuple[list[int], float]:
    """Return Drain3's cluster ids (default config) and the seconds taken."""
    from drain3 import TemplateMiner

    logging.getLogger("drain3").setLevel(logging.ERROR)
    miner = TemplateMiner()
    t = time.perf_counter()
    out = [miner.add_log_message(line)["cluster_id"] for line in lines]
    return out, time.perf_counter() - t


def read_input(path: Path, truth_path: Path) -> tuple[list[str], list[str]]:
    """Return the lines of a log and their true template ids (ids file or structured CSV)."""
    lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    if truth_path.suffix == ".csv":
        with truth_path.open(newline="", encoding="utf-8") as f:
            truth = [row["EventId"] for row in csv.DictReader(f)]
    else:
        truth = truth_path.read_text(encoding="utf-8").splitlines()
    if len(truth) != len(lines):
        raise SystemExit(f"--truth has {len(truth)} ids for {len(lines)} lines in --input")
    return lines, truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=20_000, help="lines per system")
    ap.add_argument("--headers", action="store_true", help="full raw lines with headers")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="2,000 lines per system (make bench)")
    ap.add_argument("--input", type=Path, help="a log file, one line per line")
    ap.add_argument("--truth", type=Path, help="true template ids for --input")
    args = ap.parse_args()
    if args.quick:
        args.lines = min(args.lines, 2_000)
    if bool(args.input) != bool(args.truth):
        ap.error("--input and --truth go together")
    run_ours(["warm up 1"])
    run_drain3(["warm up 1"])
    if args.input:
        sets = [(args.input.name, *read_input(args.input, args.truth))]
    else:
        from workbench.pipelines.log_chat import loggen

        sets = []
        for system in loggen.SYSTEMS:
            data = loggen.generate(system, args.lines, args.seed, headers=args.headers)
            sets.append((system, [line for line, _ in data], [tid for _, tid in data]))
    print(f"{'system':<14} {'lines':>8} {'GA ours':>8} {'GA drain3':>9} {'ours l/s':>11} "
          f"{'drain3 l/s':>11} {'ratio':>6}")
    ga_o = ga_d = t_o = t_d = 0.0
    total = 0
    for name, lines, truth in sets:
        ours, to = run_ours(lines)
        drain, td = run_drain3(lines)
        a, b = grouping_accuracy(ours, truth), grouping_accuracy(drain, truth)
        ga_o, ga_d, t_o, t_d, total = ga_o + a, ga_d + b, t_o + to, t_d + td, total + len(lines)
        print(f"{name:<14} {len(lines):>8,} {a:>8.3f} {b:>9.3f} {len(lines) / to:>11,.0f} "
              f"{len(lines) / td:>11,.0f} {td / to:>5.1f}x")
    k = len(sets)
    print(f"{'mean/total':<14} {total:>8,} {ga_o / k:>8.3f} {ga_d / k:>9.3f} {total / t_o:>11,.0f} "
          f"{total / t_d:>11,.0f} {t_d / t_o:>5.1f}x")


if __name__ == "__main__":
    main()
