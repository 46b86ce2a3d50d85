"""AML scoring benchmark: batch throughput with features, peak memory, API p99 latency.

    .venv/bin/python benchmarks/aml_bench.py [--quick] [--alerts N]

Batch: 1,000,000 generated alerts (100,000 with --quick) scored end to end in a fresh process
(read Parquet, validate, build features, score, rank, explain the top 20, score clusters: the
path of ``workbench.pipelines.aml.score_alerts``); features are timed again alone afterwards
for the breakdown (score = total - read - features);
baseline: plain ``lightgbm.Booster.predict`` on the precomputed feature matrix, same process.
API: a uvicorn server on 127.0.0.1 started here; p99 of single-alert and 1,000-alert requests.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from workbench.pipelines.aml.batch import SCORING_TABLES, read_batch
from workbench.pipelines.aml.features import alert_matrix, coded_from_batch, compute
from workbench.pipelines.aml.models import load_bundle
from workbench.pipelines.aml.score import score_batch_arrays
bundle = load_bundle()
t1 = time.perf_counter()
batch = read_batch(sys.argv[1], SCORING_TABLES)
t2 = time.perf_counter()
scored = score_batch_arrays(batch, bundle, top_k=20, num_threads=2)
t3 = time.perf_counter()
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
n_alerts = scored.alerts.height
del scored
# breakdown and baseline, after the timed run: features alone, then plain Booster.predict
t4 = time.perf_counter()
cols, _, _ = compute(coded_from_batch(batch)[0])
t5 = time.perf_counter()
X = alert_matrix(cols, bundle.features("alert_scorer"))
del cols
booster = bundle.boosters["alert_scorer"]
t6 = time.perf_counter()
booster.predict(X, num_threads=2)
t7 = time.perf_counter()
print(json.dumps({"alerts": n_alerts, "flows": batch.money_flows.height,
                  "read_s": t2 - t1, "features_s": t5 - t4, "score_s": (t3 - t2) - (t5 - t4),
                  "total_s": t3 - t1, "peak_mb": peak_mb, "baseline_predict_s": t7 - t6}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _p(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q))


def bench_batch(n: int, tmp: Path) -> dict:
    """Return batch-scoring figures measured in a fresh process."""
    from workbench.pipelines.aml.samples import generate, write_batch

    batch = write_batch(generate(n, seed=99), tmp / "batch")
    out = subprocess.run([sys.executable, "-c", CHILD, str(batch)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_api(single_requests: int, batch_requests: int) -> dict:
    """Return API latency figures against a uvicorn server started on loopback."""
    import httpx

    from workbench.pipelines.aml.payload import payload_from_tables, single_alert_payloads
    from workbench.pipelines.aml.samples import generate

    port = _free_port()
    code = f"from workbench.pipelines.aml.api import serve; serve('127.0.0.1', {port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        body = payload_from_tables(generate(1000, seed=5))
        singles = single_alert_payloads(body, single_requests)
        with httpx.Client(base_url=url, timeout=60) as c:
            for s in singles[:10]:  # warm up
                c.post("/score/alerts", json=s)
            single, batch = [], []
            for s in singles:
                t = time.perf_counter()
                c.post("/score/alerts", json=s).raise_for_status()
                single.append((time.perf_counter() - t) * 1000)
            c.post("/score/alerts", json=body)
            for _ in range(batch_requests):
                t = time.perf_counter()
                c.post("/score/alerts", json=body).raise_for_status()
                batch.append((time.perf_counter() - t) * 1000)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"single_p50_ms": _p(single, 50), "single_p99_ms": _p(single, 99),
            "batch_1000_p50_ms": _p(batch, 50), "batch_1000_p99_ms": _p(batch, 99),
            "single_requests": len(single), "batch_requests": len(batch)}


def main() -> None:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 alerts, fewer API requests")
    ap.add_argument("--alerts", type=int, default=None)
    args = ap.parse_args()
    n = args.alerts or (100_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory(prefix="aml-bench-") as tmp:
        b = bench_batch(n, Path(tmp))
    api = bench_api(*((100, 10) if args.quick else (500, 50)))
    rate = b["alerts"] / b["total_s"]
    base_rate = b["alerts"] / b["baseline_predict_s"]
    print(f"aml batch: {b['alerts']:,} alerts, {b['flows']:,} money flows, "
          f"cpus={os.cpu_count()}")
    print(f"  read+validate {b['read_s']:.2f}s · features ≈{b['features_s']:.2f}s · "
          f"score+rank+explain+clusters ≈{b['score_s']:.2f}s · total {b['total_s']:.2f}s")
    print(f"  throughput (incl. features): {rate:,.0f} alerts/s ({1e3 / rate:.4f} ms/alert)")
    print(f"  peak memory (RSS): {b['peak_mb']:,.0f} MB")
    print(f"  baseline Booster.predict on precomputed features: {b['baseline_predict_s']:.3f}s "
          f"= {base_rate:,.0f} alerts/s")
    print(f"  ratio pipeline/baseline time: {b['total_s'] / b['baseline_predict_s']:.1f}x")
    print(f"aml API (uvicorn, 127.0.0.1): single p50 {api['single_p50_ms']:.1f} ms · "
          f"p99 {api['single_p99_ms']:.1f} ms ({api['single_requests']} requests)")
    print(f"  1,000-alert batch p50 {api['batch_1000_p50_ms']:.1f} ms · "
          f"p99 {api['batch_1000_p99_ms']:.1f} ms ({api['batch_requests']} requests)")
    print(json.dumps({"batch": b, "api": api, "alerts_per_s": rate,
                      "ratio_vs_predict": b["total_s"] / b["baseline_predict_s"]}))


if __name__ == "__main__":
    main()
