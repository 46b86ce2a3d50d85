"""trace_eval service benchmark: single-trace latency and batch throughput over loopback.

    .venv/bin/python benchmarks/trace_eval_service.py [--quick]

Two servers are started in their own processes on 127.0.0.1: ``workbench serve trace_eval``
(parse + tier 1 + masking + SQLite commit with fsync per request) and a baseline FastAPI app
whose endpoints only parse the same body (orjson) and answer. This process is the client
(httpx, keep-alive). Single: p50/p95/p99 of ``POST /v1/traces``, each a new trace, one request
at a time. Concurrent: the same with 8 clients (threads, one connection each) sending at once,
and the requests/s they get through. Batch: traces/s through ``POST /v1/traces/batch`` in
batches of 500, one request at a time. Bounded: each phase stops at its count or its time
budget, whichever comes first (≤ 30 s in all; about 20 s with ``--quick``).
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
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


def single(client: httpx.Client, n: int, budget_s: float, offset: int,
           errors: list[str] | None = None) -> list[float]:
    out: list[float] = []
    end = time.monotonic() + budget_s
    for i in range(n):
        body = TEMPLATES[i % 3](offset + i)
        t0 = time.perf_counter()
        r = client.post("/v1/traces", json=body)
        out.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            message = f"single trace: HTTP {r.status_code} {r.text[:200]}"
            if errors is None:
                raise SystemExit(message)
            errors.append(message)
            break
        if time.monotonic() > end:
            break
    return out


def concurrent(url: str, key: str, clients: int, n: int, budget_s: float, offset: int
               ) -> tuple[list[float], float]:
    """Return the latencies of ``n`` requests from ``clients`` threads at once, and the wall time."""
    out: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(clients)
    errors: list[str] = []

    def run(c: int) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as client:
            client.get("/health")
            start.wait()
            mine = single(client, n // clients, budget_s, offset + c * 1_000_000, errors)
            with lock:
                out.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(errors[0])
    return out, time.perf_counter() - t0


def rounds(client: httpx.Client) -> tuple[float, float]:
    """Return the service's (ingestion rounds, requests in them) so far, from /metrics."""
    text = client.get("/metrics").text if client.get("/health").status_code == 200 else ""
    found = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("trace_api_ingest_rounds_total", "trace_api_ingest_round_requests_total"):
            found[name] = float(value)
    return (found.get("trace_api_ingest_rounds_total", 0.0),
            found.get("trace_api_ingest_round_requests_total", 0.0))


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
    ap.add_argument("--quick", action="store_true", help="small counts (about 15 s)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    ap.add_argument("--coalesce-wait-ms", type=float, default=None,
                    help="the server's coalesce_wait_ms (default: the service's default)")
    args = ap.parse_args()
    n_single, n_batches, size = (150, 6, 500) if args.quick else (600, 20, 500)
    n_conc = 400 if args.quick else 1600
    budget = 3.0 if args.quick else 5.0     # per phase and server: 6 phases ≤ 30 s in all

    ws = Path(tempfile.mkdtemp(prefix="trace-bench-"))
    exe = str(Path(sys.executable).with_name("workbench"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(WORKBENCH_TRACE_API_RATE_PER_S="1000000", WORKBENCH_TRACE_API_BURST="1000000",
               WORKBENCH_TRACE_API_MAX_BODY_BYTES=str(64 << 20))
    if args.coalesce_wait_ms is not None:
        env["WORKBENCH_TRACE_API_COALESCE_WAIT_MS"] = str(args.coalesce_wait_ms)
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
                r0, j0 = rounds(c) if name == "service" else (0.0, 0.0)
                conc, conc_s = concurrent(url, key, args.clients, n_conc, budget, 20_000_000)
                r1, j1 = rounds(c) if name == "service" else (0.0, 0.0)
                sent, secs = batch(c, n_batches, size, budget, 1_000_000)
            results[name] = {"single_requests": len(lat), "p50_ms": round(pct(lat, 50), 2),
                             "p95_ms": round(pct(lat, 95), 2), "p99_ms": round(pct(lat, 99), 2),
                             "concurrent_clients": args.clients,
                             "concurrent_requests": len(conc),
                             "concurrent_p50_ms": round(pct(conc, 50), 2),
                             "concurrent_p95_ms": round(pct(conc, 95), 2),
                             "concurrent_p99_ms": round(pct(conc, 99), 2),
                             "concurrent_requests_per_s": round(len(conc) / conc_s),
                             "concurrent_requests_per_round": round((j1 - j0) / (r1 - r0), 1)
                             if r1 > r0 else None,
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
    print(f"{s['concurrent_clients']} clients     p50 {s['concurrent_p50_ms']} ms  p95 "
          f"{s['concurrent_p95_ms']} ms  p99 {s['concurrent_p99_ms']} ms  "
          f"{s['concurrent_requests_per_s']:,} requests/s, "
          f"{s['concurrent_requests_per_round']} requests per commit   (parse-only p95 "
          f"{b['concurrent_p95_ms']} ms, {b['concurrent_requests_per_s']:,} requests/s)")
    print(f"batch         {s['batch_traces_per_s']:,} traces/s   (parse-only "
          f"{b['batch_traces_per_s']:,} traces/s; ratio "
          f"{b['batch_traces_per_s'] / s['batch_traces_per_s']:.1f}x slower; "
          "seed: 1,000 traces/hour)")


if __name__ == "__main__":
    main()
