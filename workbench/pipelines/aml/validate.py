"""End-to-end check of a running scoring API: endpoints, errors, determinism, latency.

``workbench aml validate --url URL --out DIR`` writes ``validation_report.json`` and ``.md``
into DIR and returns 0 only when every check passes.
"""
from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np

SINGLE_P99_MS = 50.0  # generous on a loaded laptop; the benchmark reports the real figure
BATCH_MS_PER_ALERT = 1.0  # the seed's target: under 1 ms per alert


def _shuffled(body: dict, seed: int) -> dict:
    rng = random.Random(seed)
    out = {}
    for k, rows in body.items():
        rows = list(rows or [])
        rng.shuffle(rows)
        out[k] = rows
    return out


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def validate(url: str, out_dir: Path, *, alerts: int = 300, latency_requests: int = 50) -> int:
    """Run every check against ``url``; write the report to ``out_dir``; return 0 if all pass."""
    import httpx

    from .payload import payload_from_tables, single_alert_payloads
    from .samples import generate

    url = url.rstrip("/")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    checks: list[dict] = []

    def check(name: str, ok: bool, detail: str = "") -> bool:
        checks.append({"check": name, "passed": bool(ok), "detail": detail})
        return ok

    body = payload_from_tables(generate(alerts, seed=11))
    with httpx.Client(base_url=url, timeout=60.0) as c:
        try:
            r = c.get("/health")
            check("GET /health", r.status_code == 200 and r.json().get("status") == "ok",
                  f"HTTP {r.status_code}")
        except httpx.HTTPError as exc:
            check("GET /health", False, f"server not reachable: {exc}")
            return _write(out_dir, url, checks, {})
        r = c.get("/version")
        ok = r.status_code == 200 and "alert_scorer" in r.json().get("models", {})
        check("GET /version", ok, f"HTTP {r.status_code}")
        limit = int(r.json().get("limits", {}).get("max_alerts", 10_000)) if ok else 10_000
        batch_size = min(1000, limit)
        big = payload_from_tables(generate(batch_size, seed=12))
        r = c.post("/score/alerts", json=body)
        first = r.json() if r.status_code == 200 else {}
        rows = first.get("alerts", [])
        ok = (r.status_code == 200 and len(rows) == len(body["alerts"])
              and [a["rank"] for a in rows] == list(range(1, len(rows) + 1))
              and all(0.0 <= a["score"] <= 1.0 for a in rows) and bool(rows[0].get("reasons")))
        check("POST /score/alerts", ok, f"HTTP {r.status_code}, {len(rows)} alerts")
        again = c.post("/score/alerts", json=body).json()
        check("determinism: same request twice", again == first, "responses byte-identical")
        perm = c.post("/score/alerts", json=_shuffled(body, 1)).json()
        check("determinism: rows shuffled", perm.get("alerts") == rows,
              "same scores, ranks and reasons in any row order")
        r = c.post("/rank/alerts", json=body)
        ranked = r.json().get("alerts", []) if r.status_code == 200 else []
        check("POST /rank/alerts", r.status_code == 200 and sorted(a["alert_id"] for a in ranked)
              == sorted(a["alert_id"] for a in body["alerts"]), f"HTTP {r.status_code}")
        r = c.post("/score/clusters", json=body)
        n_clusters = len({x["cluster_id"] for x in body["clusters"]})
        got = len(r.json().get("clusters", [])) if r.status_code == 200 else -1
        check("POST /score/clusters", r.status_code == 200 and got == n_clusters,
              f"HTTP {r.status_code}, {got} clusters of {n_clusters}")
        bad = json.loads(json.dumps(body))
        bad["alerts"][0]["amount"] = -5
        r = c.post("/score/alerts", json=bad)
        check("invalid input → 422 naming the field",
              r.status_code == 422 and "alerts[0].amount" in r.json().get("fields", []),
              f"HTTP {r.status_code} {r.json().get('fields') if r.status_code == 422 else ''}")
        oversized = {"alerts": [dict(body["alerts"][0], alert_id=f"X{i}") for i in range(limit + 1)]}
        r = c.post("/score/alerts", json=oversized)
        check("oversized batch → 413", r.status_code == 413, f"HTTP {r.status_code}")
        singles = single_alert_payloads(body, latency_requests)
        single_ms, batch_ms = [], []
        for s in singles:
            t = time.perf_counter()
            c.post("/score/alerts", json=s).raise_for_status()
            single_ms.append((time.perf_counter() - t) * 1000)
        for _ in range(max(5, latency_requests // 10)):
            t = time.perf_counter()
            c.post("/score/alerts", json=big).raise_for_status()
            batch_ms.append((time.perf_counter() - t) * 1000)
        latency = {"single_p50_ms": _p(single_ms, 50), "single_p99_ms": _p(single_ms, 99),
                   "batch_size": batch_size, "batch_p50_ms": _p(batch_ms, 50),
                   "batch_p99_ms": _p(batch_ms, 99)}
        check("latency: single alert p99", latency["single_p99_ms"] < SINGLE_P99_MS,
              f"{latency['single_p99_ms']:.1f} ms (limit {SINGLE_P99_MS} ms)")
        check("latency: batch p99 per alert",
              latency["batch_p99_ms"] / batch_size < BATCH_MS_PER_ALERT,
              f"{latency['batch_p99_ms']:.1f} ms per {batch_size:,} alerts")
        r = c.get("/metrics")
        check("GET /metrics (Prometheus text)",
              r.status_code == 200 and "aml_api_requests_total" in r.text, f"HTTP {r.status_code}")
    return _write(out_dir, url, checks, latency)


def _write(out_dir: Path, url: str, checks: list[dict], latency: dict) -> int:
    passed = all(c["passed"] for c in checks)
    report = {"url": url, "passed": passed, "checks": checks, "latency": latency}
    (out_dir / "validation_report.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [f"# AML API validation: {'PASSED' if passed else 'FAILED'}", "", f"Server: {url}", "",
             "| check | result | detail |", "|---|---|---|"]
    lines += [f"| {c['check']} | {'pass' if c['passed'] else 'FAIL'} | {c['detail']} |"
              for c in checks]
    (out_dir / "validation_report.md").write_text("\n".join(lines) + "\n")
    return 0 if passed else 1


def main() -> int:  # pragma: no cover - convenience for `python -m`
    """Validate the server given as the first argument (default 127.0.0.1:8000)."""
    import sys

    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    return validate(url, Path(tempfile.mkdtemp(prefix="aml-validate-")))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
