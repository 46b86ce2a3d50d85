"""Benchmark of the LLM gateway against a bare `llm` call, on the tests' scripted model.

Prints, in one run:
  * a bare ``model.prompt(...).text()`` call (the baseline),
  * a gateway call that reaches the model (mask, guard, validation, ledger and cache writes),
  * a cached answer through ``run_task`` and per item in a ``run_tasks`` batch,
  * batch throughput against concurrency with a model that sleeps 50 ms per call.

Usage: .venv/bin/python benchmarks/llm_gateway.py [--calls 200] [--items 48]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

SCHEMA = {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]}


def _per_call_us(fn, n: int) -> float:
    fn(0)  # warm up (imports, first DuckDB open, model lookup)
    t0 = time.perf_counter()
    for i in range(1, n + 1):
        fn(i)
    return (time.perf_counter() - t0) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--items", type=int, default=48)
    ap.add_argument("--quick", action="store_true", help="fewer calls and items")
    args = ap.parse_args()
    if args.quick:
        args.calls, args.items = min(args.calls, 40), min(args.items, 16)

    tmp = Path(tempfile.mkdtemp(prefix="wb-bench-llm-"))
    os.environ["LLM_USER_PATH"] = str(tmp / "llm")
    import llm
    import scripted_model

    from workbench import config, store
    from workbench.llm import Task, run_task, run_tasks

    scripted_model.install()
    settings = dataclasses.replace(config.load(tmp / "ws"), llm_concurrency=8)
    task = Task(name="bench", version="1", prompt="Classify host {host} for the benchmark.",
                schema=SCHEMA, offline=lambda i: {"kind": "other"})
    answer = '{"kind": "ai"}'
    model = scripted_model.script("scripted", default=answer)
    bare_model = llm.get_model("scripted")

    bare = _per_call_us(lambda i: bare_model.prompt(f"Classify host h{i}.", stream=False).text(),
                        args.calls)
    called = _per_call_us(lambda i: run_task(task, {"host": f"h{i}.example.org"},
                                             model="scripted", settings=settings, fresh=True),
                          args.calls)
    assert model.calls >= args.calls
    cached = _per_call_us(lambda i: run_task(task, {"host": f"h{i}.example.org"},
                                             model="scripted", settings=settings), args.calls)
    def connect_once(i):
        with store.connect(settings) as con:
            con.execute("SELECT 1")

    connect = _per_call_us(connect_once, max(20, args.calls // 5))
    batch = [{"host": f"h{i}.example.org"} for i in range(1, args.calls + 1)]
    t0 = time.perf_counter()
    rs = run_tasks(task, batch, model="scripted", settings=settings)
    batch_cached = (time.perf_counter() - t0) / len(batch) * 1e6
    assert {r.status for r in rs} == {"cached"}

    print(f"bare llm call (scripted, no delay)       {bare:10.1f} us/call   (baseline 1.0x)")
    print(f"gateway call reaching the model           {called:10.1f} us/call   "
          f"({called / bare:.1f}x bare)")
    print(f"gateway cached answer, run_task           {cached:10.1f} us/call   "
          f"({cached / bare:.1f}x bare)")
    print(f"gateway cached answer, run_tasks batch    {batch_cached:10.1f} us/item   "
          f"({batch_cached / bare:.1f}x bare)")

    scripted_model.script("scripted", default=answer, delay=0.05)
    print(f"  of which one store.connect open+close  {connect:10.1f} us/call   "
          f"(a cached run_task opens 1, a called one 2)")

    print(f"\nbatch of {args.items} items, scripted model sleeping 50 ms per call "
          f"(configured concurrency {settings.llm_concurrency}):")
    base_rate = None
    for conc in (1, 2, 4, 8):
        items = [{"host": f"c{conc}-{i}.example.org"} for i in range(args.items)]
        t0 = time.perf_counter()
        rs = run_tasks(task, items, model="scripted", settings=settings, concurrency=conc)
        secs = time.perf_counter() - t0
        assert {r.status for r in rs} == {"ok"}
        rate = len(items) / secs
        base_rate = base_rate or rate
        print(f"  concurrency {conc}: {secs:6.2f} s  {rate:6.1f} items/s  speedup "
              f"{rate / base_rate:4.2f}x (ideal {conc}x, {rate / base_rate / conc:4.0%} of linear)")


if __name__ == "__main__":
    main()
