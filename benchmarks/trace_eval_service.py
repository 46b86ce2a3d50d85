"""trace_eval service benchmark: single-trace latency and batch throughput over loopback.

    .venv/bin/python benchmarks/trace_eval_service.py [--quick]

Two servers are started in their own processes on 127.0.0.1: ``workbench serve trace_eval``
(parse + tier 1 + masking + SQLite commit with fsync per request) and a baseline FastAPI app
whose endpoints only parse the same body (orjson) and answer. This process is the client
(httpx, one request at a time, keep-alive). Single: p50/p95/p99 of ``POST /v1/traces``, each a
new trace. Batch: traces/s through ``POST /v1/traces/batch`` in batches of 500. Bounded: each
phase stops at its count or its time budget, whichever comes first (≤ 30 s in all).
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

import httpx

BASELINE = r"""
import sys, orjson, uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response
app = FastAPI()
async def parse(request: Request):
    body = orjson.loads(await request.body())
    n = len(body) if isinstance(body, list) else 1
    return Response(orjson.dumps({"parsed": n}), media_type="application/json")
app.add_api_route("/v1/traces", parse, methods=["POST"])
app.add_api_route("/v1/traces/batch", parse, methods=["POST"])
app.add_api_route("/health", lambda: {"status": "ok"}, methods=["GET"])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""
TEMPLATES = [
    lambda i: {"trace_id": f"p-{i}", "prompt": f"Summarize ticket {i} for the customer.",
               "response": "The customer reported a login failure after the update; the fix "
                           "was to clear the cache. Status: resolved.", "model": "gpt-4o-mini",
               "latency_ms": 812.0, "metadata": {"team": "support"}},
    lambda i: {"id": f"c-{i}", "model": "gpt-4o", "messages": [
        {"role": "system", "content": "Answer in JSON."},
        {"role": "user", "content": f"Give the order {i} status as JSON with a status field."}],
        "response_format": {"type": "json_object"},
        "choices": [{"message": {"role": "assistant", "content": '{"status": "shipped"}'},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 31, "completion_tokens": 7}},
    lambda i: {"trace_id": f"x-{i}", "prompt": f"Who should I contact about invoice {i}?",
               "response": "Please write to maria.lopez@example-corp.com or call "
                           "+1 415 555 0100.", "model": "claude-3-5-haiku"},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def single(client: httpx.Client, n: int, budget_s: float, offset: int) -> list[float]:
    out: list[float] = []
    end = time.monotonic() + budget_s
    for i in range(n):
        body = TEMPLATES[i % 3](offset + i)
        t0 = time.perf_counter()
        r = client.post("/v1/traces", json=body)
        out.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"single trace: HTTP {r.status_code} {r.text[:200]}")
        if time.monotonic() > end:
            break
    return out


def batch(client: httpx.Client, batches: int, size: int, budget_s: float, offset: int
          ) -> tuple[int, float]:
    sent, t0 = 0, time.perf_counter()
    end = time.monotonic() + budget_s
    for b in range(batches):
        body = [TEMPLATES[i % 3](offset + b * size + i) for i in range(size)]
        r = client.post("/v1/traces/batch", json=body)
        if r.status_code != 200:
            raise SystemExit(f"batch: HTTP {r.status_code} {r.text[:200]}")
        sent += size
        if time.monotonic() > end:
            break
    return sent, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small counts (about 10 s)")
    args = ap.parse_args()
    n_single, n_batches, size = (150, 6, 500) if args.quick else (600, 20, 500)
    budget = 3.0 if args.quick else 8.0     # per phase and server: 4 phases ≤ 30 s in all

    ws = Path(tempfile.mkdtemp(prefix="trace-bench-"))
    exe = str(Path(sys.executable).with_name("workbench"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(WORKBENCH_TRACE_API_RATE_PER_S="1000000", WORKBENCH_TRACE_API_BURST="1000000",
               WORKBENCH_TRACE_API_MAX_BODY_BYTES=str(64 << 20))
    key = subprocess.run([exe, "orgs", "create", "bench", "--workspace", str(ws)], env=env,
                         capture_output=True, text=True, check=True).stdout.strip().split()[-1]
    sp, bp = free_port(), free_port()
    service = subprocess.Popen([exe, "serve", "trace_eval", "--port", str(sp), "--workspace",
                                str(ws)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = subprocess.Popen([sys.executable, "-c", BASELINE, str(bp)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: dict = {}
    try:
        for name, port, proc in (("service", sp, service), ("parse_only", bp, base)):
            url = f"http://127.0.0.1:{port}"
            wait_up(url, proc)
            with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as c:
                single(c, 20, 5, 10_000_000)                       # warm-up
                lat = single(c, n_single, budget, 0)
                sent, secs = batch(c, n_batches, size, budget, 1_000_000)
            results[name] = {"single_requests": len(lat), "p50_ms": round(pct(lat, 50), 2),
                             "p95_ms": round(pct(lat, 95), 2), "p99_ms": round(pct(lat, 99), 2),
                             "batch_traces": sent, "batch_traces_per_s": round(sent / secs)}
    finally:
        for p in (service, base):
            p.terminate()
            p.wait(10)
    s, b = results["service"], results["parse_only"]
    print(json.dumps(results, indent=2))
    print(f"single trace  p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms   "
          f"(parse-only p95 {b['p95_ms']} ms; ratio {s['p95_ms'] / b['p95_ms']:.1f}x; "
          "seed: p95 < 100 ms)")
    print(f"batch         {s['batch_traces_per_s']:,} traces/s   (parse-only "
          f"{b['batch_traces_per_s']:,} traces/s; ratio "
          f"{b['batch_traces_per_s'] / s['batch_traces_per_s']:.1f}x slower; "
          "seed: 1,000 traces/hour)")


if __name__ == "__main__":
    main()
