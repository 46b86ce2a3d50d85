"""The scoring API: FastAPI app over the same feature builder and models as the pipeline.

``POST /score/alerts``, ``POST /rank/alerts``, ``POST /score/clusters``, ``GET /health``,
``GET /version``, ``GET /metrics`` (Prometheus text). Invalid input → 422 naming the fields;
a batch over the limits → 413; any other failure → 500 without a stack trace.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from .api_models import BatchIn, ClusterScoreResponse, HealthResponse, RankResponse, ScoreResponse

API_VERSION = "1.0.0"
MAX_ALERTS = int(os.environ.get("WORKBENCH_AML_MAX_ALERTS", "10000"))
MAX_FLOWS = int(os.environ.get("WORKBENCH_AML_MAX_FLOWS", "500000"))
MAX_BODY_BYTES = int(os.environ.get("WORKBENCH_AML_MAX_BODY_BYTES", str(128 * 1024 * 1024)))
# requests up to these sizes are scored from the validated rows without DataFrames
FAST_MAX_ALERTS = int(os.environ.get("WORKBENCH_AML_FAST_MAX_ALERTS", "2000"))
FAST_MAX_FLOWS = int(os.environ.get("WORKBENCH_AML_FAST_MAX_FLOWS", "50000"))
INLINE_MAX_ALERTS = 64  # smaller requests are scored on the event loop (no thread hop)
BATCH_BODY = {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/BatchIn"}}}}


def _json(payload: dict) -> Response:
    """Return a JSON response encoded by msgspec (floats as shortest round-trip text)."""
    import msgspec

    return Response(msgspec.json.encode(payload), media_type="application/json")


async def _read_body(request: Request) -> BatchIn:
    """Return the validated request body; invalid JSON or fields raise the 422 handler."""
    from pydantic import ValidationError

    try:
        return BatchIn.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_input=False)) \
            from None


def _fast(body: BatchIn) -> bool:
    """Return True when the request can take the row path (same numbers, no DataFrames)."""
    if len(body.alerts) > FAST_MAX_ALERTS or len(body.money_flows) > FAST_MAX_FLOWS:
        return False
    if len({a.alert_id for a in body.alerts}) != len(body.alerts):
        return False  # the batch path reports duplicates as 422
    return body.features is None or len({f.account_id for f in body.features}) == len(
        body.features)  # duplicated account rows: the batch path keeps the first by content


def _field(loc) -> str:
    parts = [p for p in loc if p != "body"]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


def _to_batch(body: BatchIn):
    """Return the validated Batch of a request body (same validation as Parquet batches)."""
    import polars as pl

    from .batch import SCHEMAS, validate_tables

    def frame(name: str, rows: list) -> pl.DataFrame:
        cols = list(SCHEMAS[name])
        data = {c: [getattr(r, c) for r in rows] for c in cols}
        return pl.DataFrame(data, schema={c: SCHEMAS[name][c][0] for c in cols})

    raw = {"alerts": frame("alerts", body.alerts),
           "money_flows": frame("money_flows", body.money_flows),
           "clusters": frame("clusters", body.clusters)}
    if body.features is not None:
        raw["features"] = frame("features", body.features)
    return validate_tables(raw)


def create_app(model_dir: str | Path | None = None, workspace: str | Path | None = None,
               max_alerts: int = MAX_ALERTS, max_flows: int = MAX_FLOWS) -> FastAPI:
    """Return the scoring app; models are the given folder, else the workspace's, else default."""
    from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

    from ... import config
    from .features import build_features
    from .models import load_bundle, resolve_dir
    from .score import explain_top, score_alert_features, score_clusters, score_rows

    if model_dir is None:
        directory, source = resolve_dir(config.load(workspace))
    else:
        directory, source = Path(model_dir), "given"
    bundle = load_bundle(directory, source)
    scorer_meta = bundle.metadata["alert_scorer"]
    version, sha = str(scorer_meta.get("version", "?")), str(scorer_meta["model_sha256"])

    registry = CollectorRegistry()
    requests = Counter("aml_api_requests", "Requests by endpoint and status",
                       ["endpoint", "status"], registry=registry)
    latency = Histogram("aml_api_request_seconds", "Request latency by endpoint", ["endpoint"],
                        registry=registry, buckets=(.001, .0025, .005, .01, .025, .05, .1, .15,
                                                    .25, .5, 1, 2.5, 5, 10))
    alerts_scored = Counter("aml_api_alerts_scored", "Alerts scored", registry=registry)

    app = FastAPI(title="workbench AML scoring API", version=API_VERSION)
    app.state.bundle = bundle

    def openapi() -> dict:
        # bodies are validated from raw bytes, so the request schemas are added by hand
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            spec = get_openapi(title=app.title, version=app.version, routes=app.routes)
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            body = BatchIn.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(body.pop("$defs", {}))
            schemas["BatchIn"] = body
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi

    @app.middleware("http")
    async def observe(request: Request, call_next):
        path = request.url.path
        size = request.headers.get("content-length")
        start = time.perf_counter()
        if size and size.isdigit() and int(size) > MAX_BODY_BYTES:
            response = JSONResponse({"error": "payload too large",
                                     "detail": f"body over {MAX_BODY_BYTES} bytes"}, 413)
        else:
            response = await call_next(request)
        known = {r.path for r in app.routes}
        endpoint = path if path in known else "other"
        latency.labels(endpoint).observe(time.perf_counter() - start)
        requests.labels(endpoint, str(response.status_code)).inc()
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "invalid")}
                  for e in exc.errors()]
        fields = sorted({e["field"] for e in errors})
        return JSONResponse({"error": "invalid input", "fields": fields, "detail": errors[:50]},
                            422)

    @app.exception_handler(Exception)
    async def failed(_request: Request, _exc: Exception):
        return JSONResponse({"error": "internal error"}, 500)

    def prepare(body: BatchIn):
        batch = _to_batch(body)
        dup = batch.quarantine.filter(batch.quarantine["source"] == "alerts")
        if dup.height:
            detail = [{"field": "alerts", "message": f"{r['reason']} ({r['masked_preview']})"}
                      for r in dup.head(20).iter_rows(named=True)]
            raise InvalidRows(detail)
        return build_features(batch)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException):
        return JSONResponse({"error": "payload too large" if exc.status_code == 413
                             else "request failed", "detail": exc.detail}, exc.status_code)

    @app.exception_handler(InvalidRows)
    async def invalid_rows(_request: Request, exc: InvalidRows):
        return JSONResponse({"error": "invalid input", "fields": ["alerts"],
                             "detail": exc.detail}, 422)

    def limits(body: BatchIn) -> None:
        if len(body.alerts) > max_alerts:
            raise HTTPException(413, f"batch has {len(body.alerts)} alerts; limit {max_alerts}")
        if len(body.money_flows) > max_flows:
            raise HTTPException(413, f"batch has {len(body.money_flows)} money_flows; "
                                f"limit {max_flows}")

    def rows(body: BatchIn, top_k: int):
        return score_rows(body.alerts, body.money_flows, body.clusters, body.features, bundle,
                          top_k=top_k)

    async def run(fn, body: BatchIn, *args):
        limits(body)
        if len(body.alerts) <= INLINE_MAX_ALERTS:
            return fn(body, *args)
        return await run_in_threadpool(fn, body, *args)

    def score_payload(body: BatchIn, top_k: int) -> dict:
        k = max(0, min(top_k, len(body.alerts)))
        if _fast(body):
            r = rows(body, k)
            alerts = [{"alert_id": r.alert_ids[i], "score": float(r.score[i]),
                       "rank": int(r.rank[i]), "cluster_id": r.cluster_ids[i],
                       "reasons": r.reasons.get(int(i))} for i in np.argsort(r.rank)]
        else:
            feats, _ = prepare(body)
            scored = score_alert_features(feats, bundle)
            expl = explain_top(feats, scored, bundle, k)
            reasons: dict[str, list[str]] = {}
            for row in expl.sort(["rank", "position"]).iter_rows(named=True):
                reasons.setdefault(row["alert_id"], []).append(row["reason"])
            alerts = [{"alert_id": a, "score": s, "rank": r, "cluster_id": c,
                       "reasons": reasons.get(a)}
                      for a, s, r, c in scored.select("alert_id", "score", "rank", "cluster_id")
                      .iter_rows()]
        alerts_scored.inc(len(alerts))
        return {"model_version": version, "model_sha256": sha, "alerts": alerts}

    def rank_payload(body: BatchIn) -> dict:
        if _fast(body):
            r = rows(body, 0)
            alerts = [{"alert_id": r.alert_ids[i], "rank": int(r.ranker_rank[i]),
                       "rank_score": float(r.rank_score[i]), "score": float(r.score[i])}
                      for i in np.argsort(r.ranker_rank)]
        else:
            feats, _ = prepare(body)
            scored = score_alert_features(feats, bundle).sort("ranker_rank")
            alerts = [{"alert_id": a, "rank": r, "rank_score": rs, "score": s} for a, r, rs, s
                      in scored.select("alert_id", "ranker_rank", "rank_score", "score")
                      .iter_rows()]
        alerts_scored.inc(len(alerts))
        return {"model_version": version, "model_sha256": sha, "alerts": alerts}

    def cluster_payload(body: BatchIn) -> dict:
        feats, base = prepare(body)
        scored = score_alert_features(feats, bundle)
        clusters = score_clusters(feats, base, scored, bundle)
        return {"model_version": version, "model_sha256": sha, "clusters": clusters.select(
            "cluster_id", "score", "rank", "alerts").to_dicts()}

    @app.post("/score/alerts", response_model=ScoreResponse, openapi_extra={
        "requestBody": BATCH_BODY})
    async def score_alerts(request: Request, top_k: int = 20) -> Response:
        return _json(await run(score_payload, await _read_body(request), top_k))

    @app.post("/rank/alerts", response_model=RankResponse, openapi_extra={
        "requestBody": BATCH_BODY})
    async def rank_alerts(request: Request) -> Response:
        return _json(await run(rank_payload, await _read_body(request)))

    @app.post("/score/clusters", response_model=ClusterScoreResponse, openapi_extra={
        "requestBody": BATCH_BODY})
    async def cluster_scores(request: Request) -> Response:
        return _json(await run(cluster_payload, await _read_body(request)))

    @app.get("/health", response_model=HealthResponse)
    def health() -> dict:
        return {"status": "ok", "models_loaded": bool(bundle.boosters)}

    @app.get("/version")
    def get_version() -> dict:
        return {"api_version": API_VERSION, "pipeline": "aml",
                "limits": {"max_alerts": max_alerts, "max_money_flows": max_flows,
                           "max_body_bytes": MAX_BODY_BYTES}, **bundle.describe()}

    @app.get("/metrics")
    def get_metrics() -> Response:
        return Response(generate_latest(registry),
                        media_type="text/plain; version=0.0.4; charset=utf-8")

    return app


class InvalidRows(Exception):
    """Rows that pass field validation but break a batch rule (e.g. duplicate alert ids)."""

    def __init__(self, detail: list[dict]):
        super().__init__("invalid rows")
        self.detail = detail


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API with uvicorn until interrupted."""
    import gc

    import uvicorn

    app = create_app()
    # the models and libraries are loaded for good: keep the collector from rescanning them
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=int(port), log_level="warning", access_log=False,
                workers=1)
