"""The trace API: FastAPI app over the trace store (``workbench serve trace_eval``).

``POST /v1/traces`` (one trace in any of the three shapes) · ``POST /v1/traces/batch`` ·
``GET /v1/traces/{trace_id}`` · ``GET /v1/evaluations/{trace_id}`` · ``GET /v1/stats?since=`` ·
``GET /health`` · ``GET /metrics`` (Prometheus text).

Every ``/v1`` request carries ``X-API-Key``: missing, wrong or revoked → 401 with no detail.
An organization only sees its own traces: another's trace id is 404 exactly like a missing one.
Each organization has a token bucket (``limits``) → 429 with ``Retry-After``. Bad input → 422
naming the field; a body over the cap or a batch over the count → 413; any other failure → 500
without a stack trace. A 2xx on a POST means the traces are committed to disk.
"""
from __future__ import annotations

import time
from collections import Counter as CountOf
from contextlib import asynccontextmanager
from pathlib import Path

import orjson
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from ....errors import BadInput
from .limits import ServiceSettings, TokenBuckets

API_VERSION = "1.0.0"
KEY_HEADER = "X-API-Key"


class _Fail(Exception):
    """An answer other than 2xx, with its status, body and headers."""

    def __init__(self, status: int, body: dict, headers: dict | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _json(payload, status: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status, media_type="application/json")


def _invalid(field: str, message: str) -> _Fail:
    return _Fail(422, {"error": "invalid input", "fields": [field],
                       "detail": [{"field": field, "message": message}]})


def create_app(workspace: str | Path | None = None, *, limits: ServiceSettings | None = None
               ) -> FastAPI:
    """Return the trace API app over the workspace's trace store."""
    from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

    from .... import config
    from .coalesce import Coalescer
    from .ingestion import TraceService, batch_results
    from .store import KeyVerifier, parse_since, store_path

    settings = config.load(workspace)
    limits = limits or ServiceSettings.load(settings)
    service = TraceService(store_path(settings), settings, eval_threads=limits.eval_threads)
    keys = KeyVerifier(service.reader)
    buckets = TokenBuckets(limits.rate_per_s, limits.burst)

    registry = CollectorRegistry()
    requests = Counter("trace_api_requests", "Requests by endpoint and status",
                       ["endpoint", "status"], registry=registry)
    latency = Histogram("trace_api_request_seconds", "Request latency by endpoint", ["endpoint"],
                        registry=registry, buckets=(.001, .0025, .005, .01, .025, .05, .1, .25,
                                                    .5, 1, 2.5, 5, 10))
    traces_in = Counter("trace_api_traces", "Traces stored by organization", ["org"],
                        registry=registry)
    failures = Counter("trace_api_module_failures", "Tier-1 flags at ingestion by module",
                       ["module", "severity"], registry=registry)
    rejected = Counter("trace_api_rejected_items", "Items rejected by organization", ["org"],
                       registry=registry)
    rounds = Counter("trace_api_ingest_rounds", "Ingestion rounds (one evaluation, one commit)",
                     registry=registry)
    round_jobs = Counter("trace_api_ingest_round_requests", "Requests coalesced into rounds",
                         registry=registry)

    def observe_round(jobs: int, _traces: int) -> None:
        rounds.inc()
        round_jobs.inc(jobs)

    worker = Coalescer(service, wait_ms=limits.coalesce_wait_ms,
                       max_items=limits.coalesce_max_items, observe=observe_round)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        worker.close()
        service.close()

    app = FastAPI(title="workbench trace_eval API", version=API_VERSION, lifespan=lifespan)
    app.state.service, app.state.worker = service, worker

    async def ingest(org: str, objs: list):
        # parsing a big batch happens off the event loop; evaluation and the commit in the
        # ingestion worker, together with whatever other requests arrived meanwhile
        job = service.prepare(org, objs) if len(objs) <= 8 else \
            await run_in_threadpool(service.prepare, org, objs)
        return await worker.submit(job)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        endpoint = getattr(route, "path", None) or "other"
        latency.labels(endpoint).observe(time.perf_counter() - start)
        requests.labels(endpoint, str(response.status_code)).inc()
        return response

    @app.exception_handler(_Fail)
    async def fail(_request: Request, exc: _Fail):
        return JSONResponse(exc.body, exc.status, headers=exc.headers)

    @app.exception_handler(Exception)
    async def failed(_request: Request, _exc: Exception):
        return JSONResponse({"error": "internal error"}, 500)

    def authorize(request: Request) -> str:
        org = keys.org_of(request.headers.get(KEY_HEADER))
        if org is None:
            raise _Fail(401, {"error": "unauthorized"})
        wait = buckets.take(org)
        if wait:
            raise _Fail(429, {"error": "rate limited"},
                        {"Retry-After": TokenBuckets.retry_after(wait)})
        return org

    async def read_json(request: Request):
        cap = limits.max_body_bytes
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > cap:
            raise _Fail(413, {"error": "payload too large", "detail": f"body over {cap} bytes"})
        chunks, n = [], 0
        async for chunk in request.stream():
            n += len(chunk)
            if n > cap:
                raise _Fail(413, {"error": "payload too large",
                                  "detail": f"body over {cap} bytes"})
            chunks.append(chunk)
        try:
            return orjson.loads(b"".join(chunks))
        except orjson.JSONDecodeError:
            raise _invalid("body", "the body must be JSON") from None

    def count(org: str, items, results: dict) -> None:
        new = {t for i in items for t in i.trace_ids if t not in i.duplicates}
        if new:
            traces_in.labels(org).inc(len(new))
        flags = CountOf((r["module"], r["severity"] or "none") for t in new
                        for r in results.get(t, ()) if r["passed"] is False)
        for labels, n in flags.items():   # one update per label set, not per flagged row
            failures.labels(*labels).inc(n)
        bad = sum(i.status == "rejected" for i in items)
        if bad:
            rejected.labels(org).inc(bad)

    @app.post("/v1/traces")
    async def post_trace(request: Request) -> Response:
        org = authorize(request)
        obj = await read_json(request)
        if not isinstance(obj, dict):
            raise _invalid("body", "one trace must be a JSON object (lists go to "
                                   "/v1/traces/batch)")
        items, results = await ingest(org, [obj])
        item = items[0]
        count(org, items, results)
        if item.status == "rejected":
            raise _invalid(item.field or "body", item.reason or "invalid trace")
        return _json({"status": "accepted", "trace_id": item.trace_ids[0],
                      "trace_ids": item.trace_ids, "duplicates": item.duplicates,
                      "skipped_spans": item.skipped_spans, "rejected_spans": item.rejected_spans,
                      "results": {t: results.get(t, []) for t in item.trace_ids}})

    @app.post("/v1/traces/batch")
    async def post_batch(request: Request) -> Response:
        org = authorize(request)
        body = await read_json(request)
        traces = body.get("traces") if isinstance(body, dict) else body
        if not isinstance(traces, list):
            raise _invalid("traces", "a JSON array of traces, or {\"traces\": [...]}")
        if not traces:
            raise _invalid("traces", "the batch is empty")
        if len(traces) > limits.max_batch:
            raise _Fail(413, {"error": "payload too large",
                              "detail": f"batch has {len(traces)} traces; limit "
                                        f"{limits.max_batch}"})
        items, results = await ingest(org, traces)
        count(org, items, results)
        out = []
        for i in items:
            row = {"index": i.index, "status": i.status}
            if i.status == "rejected":
                row.update(reason=i.reason, field=i.field)
            else:
                row.update(trace_ids=i.trace_ids, duplicates=i.duplicates,
                           flagged={t: [r["module"] for r in results.get(t, [])
                                        if r["passed"] is False] for t in i.trace_ids})
                if i.rejected_spans:
                    row["rejected_spans"] = i.rejected_spans
            out.append(row)
        accepted = sum(i.status == "accepted" for i in items)
        return _json({"accepted": accepted, "rejected": len(items) - accepted, "items": out})

    @app.get("/v1/traces/{trace_id:path}")
    async def get_trace(trace_id: str, request: Request) -> Response:
        org = authorize(request)
        rec = service.get_trace(org, trace_id)
        if rec is None:
            raise _Fail(404, {"error": "not found"})
        return _json(rec)

    @app.get("/v1/evaluations/{trace_id:path}")
    async def get_evaluations(trace_id: str, request: Request) -> Response:
        org = authorize(request)
        if service.get_trace(org, trace_id) is None:
            raise _Fail(404, {"error": "not found"})
        rows = service.results(org, [trace_id], tiers=(1, 2, 3)).get(trace_id, [])
        rows += await run_in_threadpool(batch_results, settings, org, trace_id)
        return _json({"trace_id": trace_id,
                      "tiers": sorted({r["tier"] for r in rows}), "results": rows})

    @app.get("/v1/stats")
    async def get_stats(request: Request, since: str = "") -> Response:
        org = authorize(request)
        try:
            since_us = parse_since(since, default="24h")
        except BadInput as exc:
            raise _invalid("since", str(exc)) from None
        return _json(await run_in_threadpool(service.stats, org, since_us))

    @app.get("/health")
    def health() -> dict:
        service.reader().execute("SELECT 1").fetchone()
        return {"status": "ok", "store": "sqlite-wal"}

    @app.get("/metrics")
    def get_metrics() -> Response:
        return Response(generate_latest(registry),
                        media_type="text/plain; version=0.0.4; charset=utf-8")

    return app


def serve(host: str = "127.0.0.1", port: int = 8000, workspace: str | Path | None = None) -> None:
    """Run the trace API with uvicorn until interrupted."""
    import gc

    import uvicorn

    app = create_app(workspace)
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=int(port), log_level="warning", access_log=False,
                workers=1)
