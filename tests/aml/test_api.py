"""The scoring API against a real uvicorn server on 127.0.0.1."""
from __future__ import annotations

import json

import httpx
import pytest

from workbench.pipelines.aml.payload import payload_from_tables


@pytest.fixture(scope="module")
def body(small_tables):
    return payload_from_tables(small_tables)


def test_health_and_version(server):
    assert httpx.get(server + "/health").json() == {"status": "ok", "models_loaded": True}
    v = httpx.get(server + "/version").json()
    assert v["source"] == "default"
    assert set(v["models"]) == {"alert_scorer", "alert_ranker", "cluster_scorer"}
    assert len(v["models"]["alert_scorer"]["model_sha256"]) == 64


def test_score_rank_and_clusters(server, body, small_batch):
    from workbench.pipelines.aml import score_alerts

    r = httpx.post(server + "/score/alerts", json=body, timeout=60)
    assert r.status_code == 200
    alerts = r.json()["alerts"]
    assert [a["rank"] for a in alerts] == list(range(1, len(body["alerts"]) + 1))
    assert alerts[0]["reasons"] and alerts[-1]["reasons"] is None  # reasons for the top 20
    local = score_alerts(small_batch)  # same models, same features: the same numbers
    assert [(a["alert_id"], a["score"]) for a in alerts] == list(
        local.select("alert_id", "score").iter_rows())
    shuffled = {k: list(reversed(v)) for k, v in body.items()}
    assert httpx.post(server + "/score/alerts", json=shuffled, timeout=60).json()["alerts"] == alerts
    ranked = httpx.post(server + "/rank/alerts", json=body, timeout=60).json()["alerts"]
    assert sorted(a["alert_id"] for a in ranked) == sorted(a["alert_id"] for a in alerts)
    clusters = httpx.post(server + "/score/clusters", json=body, timeout=60).json()["clusters"]
    assert len(clusters) == len({c["cluster_id"] for c in body["clusters"]})


def test_invalid_input_names_the_field(server, body):
    bad = json.loads(json.dumps(body))
    bad["alerts"][2]["amount"] = "lots"
    del bad["alerts"][0]["created_at"]
    r = httpx.post(server + "/score/alerts", json=bad, timeout=60)
    assert r.status_code == 422
    assert r.json()["fields"] == ["alerts[0].created_at", "alerts[2].amount"]
    assert "Traceback" not in r.text and "lots" not in r.text  # no stack, no echoed values
    r = httpx.post(server + "/score/alerts", content=b"{not json", timeout=10,
                   headers={"content-type": "application/json"})
    assert r.status_code == 422
    dup = {"alerts": [body["alerts"][0], body["alerts"][0]]}
    r = httpx.post(server + "/score/alerts", json=dup, timeout=10)
    assert r.status_code == 422 and "duplicate alert_id" in r.text


def test_oversized_batch_is_413(server, body):
    big = {"alerts": [dict(body["alerts"][0], alert_id=f"Z{i}") for i in range(501)]}
    r = httpx.post(server + "/score/alerts", json=big, timeout=60)
    assert r.status_code == 413 and "limit 500" in r.json()["detail"]


def test_metrics_are_prometheus_text(server, body):
    httpx.post(server + "/score/alerts", json={"alerts": body["alerts"][:1]}, timeout=30)
    r = httpx.get(server + "/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert 'aml_api_requests_total{endpoint="/score/alerts",status="200"}' in r.text
    assert "aml_api_request_seconds_bucket" in r.text


def test_validate_against_the_server(server, tmp_path):
    from workbench.pipelines.aml.validate import validate

    code = validate(server, tmp_path, alerts=200, latency_requests=10)
    report = json.loads((tmp_path / "validation_report.json").read_text())
    functional = [c for c in report["checks"] if not c["check"].startswith("latency")]
    assert all(c["passed"] for c in functional), functional
    assert report["latency"]["single_p99_ms"] > 0
    assert code == (0 if report["passed"] else 1)
    assert (tmp_path / "validation_report.md").read_text().startswith("# AML API validation")
