"""The trace API against a real uvicorn server: auth, isolation, limits, 422/413, idempotency."""
from __future__ import annotations

import httpx

from .conftest import Server, clean_env, create_org, wb

PLAIN = {"trace_id": "p-1", "prompt": "What is the capital of France? Reply to ann@corp.com",
         "response": "Paris. Also, contact jane.doe@globex.org or AKIAABCDEFGHIJKLMNOP.",
         "model": "gpt-4o-mini", "latency_ms": 120.5}
OPENAI = {"id": "chatcmpl-9", "model": "gpt-4o", "messages": [
    {"role": "user", "content": "Give me JSON with a name field"}],
    "response_format": {"type": "json_object"},
    "choices": [{"message": {"role": "assistant", "content": '{"name": "Ada"'},
                 "finish_reason": "length"}], "usage": {"prompt_tokens": 9, "completion_tokens": 7}}


def otel(trace_id: str = "ab" * 16, span_id: str = "cd" * 8) -> dict:
    attrs = [{"key": "gen_ai.system", "value": {"stringValue": "openai"}},
             {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o-mini"}},
             {"key": "gen_ai.input.messages", "value": {"stringValue":
              '[{"role": "user", "parts": [{"type": "text", "content": "Is 7 prime?"}]}]'}},
             {"key": "gen_ai.output.messages", "value": {"stringValue":
              '[{"role": "assistant", "parts": [{"type": "text", "content": "Yes, 7 is prime."}],'
              ' "finish_reason": "stop"}]'}}]
    return {"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": trace_id, "spanId": span_id, "name": "chat gpt-4o-mini",
         "startTimeUnixNano": "1714521600000000000", "endTimeUnixNano": "1714521600500000000",
         "attributes": attrs},
        {"traceId": trace_id, "spanId": "ef" * 8, "name": "GET /", "attributes": []}]}]}]}


def h(key):
    return {"X-API-Key": key}


def test_auth_no_wrong_revoked_key(server, workspace):
    url = server.url
    for headers in ({}, h("nope"), h("wbk_000000000000_" + "x" * 40)):
        r = httpx.post(url + "/v1/traces", json=PLAIN, headers=headers)
        assert r.status_code == 401 and r.json() == {"error": "unauthorized"}
    key = create_org(workspace, "initech")
    assert httpx.get(url + "/v1/stats", headers=h(key)).status_code == 200
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert httpx.get(url + "/v1/stats", headers=h(wrong)).status_code == 401
    r = wb("orgs", "revoke", "initech", "--workspace", str(workspace), env=clean_env())
    assert r.returncode == 0, r.stderr
    r = httpx.get(url + "/v1/stats", headers=h(key))
    assert r.status_code == 401 and r.json() == {"error": "unauthorized"}
    listing = wb("orgs", "list", "--workspace", str(workspace), env=clean_env()).stdout
    assert "initech" in listing and "revoked" in listing and key not in listing


def test_three_shapes_tier1_masked_and_readable(server, keys):
    url, key = server.url, keys["acme"]
    r = httpx.post(url + "/v1/traces", json=PLAIN, headers=h(key))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["trace_id"] == "p-1"
    mods = {x["module"]: x for x in body["results"]["p-1"]}
    assert set(mods) >= {"format_validity", "truncation", "safety_triggers", "consistency",
                         "length_language", "pii_leak"}
    assert mods["pii_leak"]["passed"] is False  # raw text was checked before masking
    stored = httpx.get(url + "/v1/traces/p-1", headers=h(key)).json()
    assert "jane.doe@globex.org" not in str(stored) and "AKIAABCDEFGHIJKLMNOP" not in str(stored)
    assert "<EMAIL_ADDRESS" in stored["response"] and stored["latency_ms"] == 120.5

    r = httpx.post(url + "/v1/traces", json=OPENAI, headers=h(key)).json()
    flags = {x["module"] for x in r["results"]["chatcmpl-9"] if x["passed"] is False}
    assert {"format_validity", "truncation"} <= flags
    r = httpx.post(url + "/v1/traces", json=otel(), headers=h(key)).json()
    assert r["trace_ids"] == ["ab" * 16 + ":" + "cd" * 8] and r["skipped_spans"] == 1
    ev = httpx.get(url + "/v1/evaluations/" + r["trace_id"], headers=h(key)).json()
    assert ev["tiers"] == [1] and len(ev["results"]) >= 6


def test_isolation_between_orgs(server, keys):
    url = server.url
    httpx.post(url + "/v1/traces", json={**PLAIN, "trace_id": "secret-1"}, headers=h(keys["acme"]))
    for path in ("/v1/traces/secret-1", "/v1/evaluations/secret-1"):
        other = httpx.get(url + path, headers=h(keys["globex"]))
        missing = httpx.get(url + path.replace("secret-1", "never-sent"), headers=h(keys["globex"]))
        assert other.status_code == missing.status_code == 404
        assert other.content == missing.content
        assert httpx.get(url + path, headers=h(keys["acme"])).status_code == 200
    # the same id is another trace for another org, and counts stay apart
    r = httpx.post(url + "/v1/traces", json={**PLAIN, "trace_id": "secret-1",
                                             "response": "fine"}, headers=h(keys["globex"]))
    assert r.json()["duplicates"] == []
    g = httpx.get(url + "/v1/stats", headers=h(keys["globex"])).json()
    a = httpx.get(url + "/v1/stats", headers=h(keys["acme"])).json()
    assert g["traces"] == 1 and a["traces"] >= 4 and g["org"] == "globex"


def test_idempotent_resend(server, keys):
    url, key = server.url, keys["acme"]
    first = httpx.post(url + "/v1/traces", json={**PLAIN, "trace_id": "idem-1"}, headers=h(key))
    again = httpx.post(url + "/v1/traces", json={**PLAIN, "trace_id": "idem-1"}, headers=h(key))
    assert first.status_code == again.status_code == 200
    assert first.json()["duplicates"] == [] and again.json()["duplicates"] == ["idem-1"]
    assert first.json()["results"] == again.json()["results"]
    no_id = {"prompt": "hello", "response": "hi there"}  # content hash: the same id twice
    a = httpx.post(url + "/v1/traces", json=no_id, headers=h(key)).json()
    b = httpx.post(url + "/v1/traces", json=no_id, headers=h(key)).json()
    assert a["trace_id"] == b["trace_id"] and b["duplicates"] == [a["trace_id"]]
    batch = [{**PLAIN, "trace_id": "idem-1"}, {**PLAIN, "trace_id": "idem-2"},
             {**PLAIN, "trace_id": "idem-2"}]
    items = httpx.post(url + "/v1/traces/batch", json=batch, headers=h(key)).json()["items"]
    assert [i["duplicates"] for i in items] == [["idem-1"], [], ["idem-2"]]


def test_batch_partial_acceptance(server, keys):
    url, key = server.url, keys["acme"]
    batch = {"traces": [{**PLAIN, "trace_id": "b-1"}, {"prompt": "only a prompt"},
                        {"prompt": 5, "response": "x"}, "not an object", OPENAI]}
    r = httpx.post(url + "/v1/traces/batch", json=batch, headers=h(key))
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == 2 and body["rejected"] == 3
    st = [(i["status"], i.get("field")) for i in body["items"]]
    assert st == [("accepted", None), ("rejected", "response"), ("rejected", "prompt"),
                  ("rejected", "body"), ("accepted", None)]
    assert "pii_leak" in body["items"][0]["flagged"]["b-1"]


def test_422_names_the_field_and_413(server, keys):
    url, key = server.url, keys["acme"]
    r = httpx.post(url + "/v1/traces", json={"prompt": "hi", "response": 42}, headers=h(key))
    assert r.status_code == 422 and r.json()["fields"] == ["response"]
    r = httpx.post(url + "/v1/traces", content=b"{nope", headers={**h(key),
                   "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["fields"] == ["body"]
    r = httpx.post(url + "/v1/traces", json={"hello": "world"}, headers=h(key))
    assert r.status_code == 422 and "Traceback" not in r.text
    r = httpx.get(url + "/v1/stats", params={"since": "last tuesday"}, headers=h(key))
    assert r.status_code == 422 and r.json()["fields"] == ["since"]
    big = {**PLAIN, "response": "x" * 70_000}
    r = httpx.post(url + "/v1/traces", json=big, headers=h(key))
    assert r.status_code == 413 and "Traceback" not in r.text

    def chunks():  # no Content-Length: the cap is counted while reading
        for _ in range(20):
            yield b" " * 8192

    r = httpx.post(url + "/v1/traces", content=chunks(), headers=h(key))
    assert r.status_code == 413
    many = [{**PLAIN, "trace_id": f"m-{i}"} for i in range(51)]
    r = httpx.post(url + "/v1/traces/batch", json=many, headers=h(key))
    assert r.status_code == 413 and "limit 50" in r.json()["detail"]


def test_stats_and_metrics(server, keys):
    url, key = server.url, keys["acme"]
    s = httpx.get(url + "/v1/stats", params={"since": "1h"}, headers=h(key)).json()
    pii = next(m for m in s["modules"] if m["module"] == "pii_leak")
    assert pii["flagged"] >= 1 and 0 < pii["failure_rate"] <= 1
    assert s["trend"] and s["trend"][-1]["traces"] >= 1
    m = httpx.get(url + "/metrics")
    assert m.status_code == 200 and m.headers["content-type"].startswith("text/plain")
    assert 'trace_api_requests_total{endpoint="/v1/traces",status="200"}' in m.text
    assert 'trace_api_traces_total{org="acme"}' in m.text
    assert 'trace_api_module_failures_total{module="pii_leak"' in m.text
    assert "trace_api_request_seconds_bucket" in m.text


def test_rate_limit_429_with_retry_after(tmp_path):
    key = create_org(tmp_path, "tiny")
    other = create_org(tmp_path, "other")
    s = Server(tmp_path, WORKBENCH_TRACE_API_RATE_PER_S=0.5, WORKBENCH_TRACE_API_BURST=3).start()
    try:
        codes = [httpx.get(s.url + "/v1/stats", headers=h(key)) for _ in range(5)]
        assert [c.status_code for c in codes] == [200, 200, 200, 429, 429]
        assert int(codes[3].headers["Retry-After"]) >= 1
        assert codes[3].json() == {"error": "rate limited"}
        # the bucket is per organization
        assert httpx.get(s.url + "/v1/stats", headers=h(other)).status_code == 200
    finally:
        s.stop()
