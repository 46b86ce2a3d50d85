"""Micro-batching: concurrent requests evaluated and committed together answer as if alone."""
from __future__ import annotations

import asyncio
import threading

import httpx

from workbench import config
from workbench.pipelines.trace_eval.service.coalesce import Coalescer
from workbench.pipelines.trace_eval.service.ingestion import Job, TraceService


def _trace(i: int, org: str = "") -> dict:
    kinds = [
        {"trace_id": f"p-{i}", "prompt": f"Summarize ticket {i} for the customer {org}.",
         "response": "The customer reported a login failure after the update; the fix was to "
                     "clear the cache. Status: resolved.", "model": "gpt-4o-mini"},
        {"id": f"c-{i}", "model": "gpt-4o", "messages": [
            {"role": "system", "content": "Answer in JSON."},
            {"role": "user", "content": f"Give the order {i} status as JSON {org}."}],
         "response_format": {"type": "json_object"},
         "choices": [{"message": {"role": "assistant", "content": '{"status": "shipped"'},
                      "finish_reason": "length"}]},
        {"trace_id": f"x-{i}", "prompt": f"Who should I contact about invoice {i}? {org}",
         "response": "Write to maria.lopez@example-corp.com or call +1 415 555 0100."},
    ]
    return kinds[i % 3]


def _rows(service: TraceService, table: str, drop: set[str]) -> list[tuple]:
    con = service.reader()
    names = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
    return sorted(tuple(v for k, v in zip(names, row, strict=True) if k not in drop)
                  for row in con.execute(f"SELECT * FROM {table}"))


def test_grouped_ingestion_equals_one_request_at_a_time(tmp_path):
    settings = config.load(tmp_path)  # one workspace key: the same pseudonyms in both stores
    requests = [("acme" if i % 3 else "globex", [_trace(i)]) for i in range(24)]
    requests += [
        ("acme", [_trace(j) for j in range(100, 130)] + [{"prompt": 3}, _trace(4), _trace(100)]),
        ("globex", [_trace(1), _trace(2, "other text, same id as acme's")]),  # ids across orgs
        ("acme", [_trace(1)]),                                   # a re-send: duplicate
        ("acme", [{"resourceSpans": []}]),                       # rejected, nothing stored
    ]
    alone = TraceService(tmp_path / "alone.sqlite", settings, eval_threads=1)
    grouped = TraceService(tmp_path / "grouped.sqlite", settings, eval_threads=2)
    try:
        one_by_one = [alone.ingest(org, objs) for org, objs in requests]
        together = grouped.ingest_jobs([grouped.prepare(org, objs) for org, objs in requests])

        def plain(outcome):
            items, results = outcome
            return [vars(i) for i in items], results

        assert [plain(o) for o in together] == [plain(o) for o in one_by_one]
        assert together[-2][0][0].duplicates == ["c-1"]
        assert together[-3][1]["c-1"] and together[-3][0][0].duplicates == []
        for table, drop in (("traces", {"seq", "received_at"}), ("results", {"evaluated_at"})):
            assert _rows(grouped, table, drop) == _rows(alone, table, drop)
        stored = _rows(grouped, "results", set())
        assert {r[0] for r in stored} == {"acme", "globex"}
        assert len({r[-1] for r in stored}) == 1   # one transaction, one evaluated_at
    finally:
        alone.close()
        grouped.close()


class _Service:
    """A stand-in: a round fails when it holds the org "bad"; records what it was given."""

    def __init__(self) -> None:
        self.rounds: list[list[str]] = []
        self.gate = threading.Event()

    def ingest_jobs(self, jobs):
        self.gate.wait(5)   # hold the first round so the others queue up behind it
        self.rounds.append([j.org for j in jobs])
        if any(j.org == "bad" for j in jobs):
            raise RuntimeError("broken record")
        return [(j.org, {}) for j in jobs]


def test_coalescer_groups_waiters_and_isolates_a_failure():
    service = _Service()
    seen: list[tuple[int, int]] = []
    worker = Coalescer(service, wait_ms=5, max_items=100,
                       observe=lambda jobs, traces: seen.append((jobs, traces)))

    async def main():
        first = asyncio.create_task(worker.submit(Job("first")))
        await asyncio.sleep(0.05)
        rest = [asyncio.create_task(worker.submit(Job(org)))
                for org in ("a", "bad", "b", "c")]
        await asyncio.sleep(0.05)
        service.gate.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    try:
        out = asyncio.run(main())
    finally:
        worker.close()
    assert out[0] == ("first", {})
    assert [o for o in out[1:] if not isinstance(o, Exception)] == [("a", {}), ("b", {}),
                                                                    ("c", {})]
    assert isinstance(out[2], RuntimeError)
    # the first alone, then the four queued behind it in one round, then one by one again
    assert service.rounds[:2] == [["first"], ["a", "bad", "b", "c"]]
    assert service.rounds[2:] == [["a"], ["bad"], ["b"], ["c"]]
    assert seen[:2] == [(1, 0), (4, 0)]


def _metric(text: str, name: str) -> float:
    return sum(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith(name + " "))


def test_concurrent_requests_share_rounds_and_answer_their_own(server, keys):
    url, clients, per_client = server.url, 8, 5
    start, lock = threading.Barrier(clients), threading.Lock()
    answers: dict[tuple[str, str], dict] = {}
    failures: list[str] = []

    def run(c: int) -> None:
        org = "acme" if c % 2 else "globex"
        with httpx.Client(base_url=url, headers={"X-API-Key": keys[org]}, timeout=30) as cl:
            start.wait()
            for j in range(per_client):
                i = 1000 + (c // 2) * per_client + j      # the same ids in both orgs
                if j % 2:
                    r = cl.post("/v1/traces", json=_trace(i, org))
                else:
                    r = cl.post("/v1/traces/batch", json=[_trace(i, org)])
                if r.status_code != 200:
                    failures.append(f"{r.status_code} {r.text[:200]}")
                    continue
                with lock:
                    answers[org, str(i)] = r.json()

    before = httpx.get(url + "/metrics").text
    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    after = httpx.get(url + "/metrics").text
    assert failures == []
    assert len(answers) == clients * per_client
    for (org, i), body in answers.items():
        if "items" in body:
            assert body["accepted"] == 1 and body["items"][0]["duplicates"] == []
            tid = body["items"][0]["trace_ids"][0]
        else:
            assert body["duplicates"] == [] and set(body["results"]) == {body["trace_id"]}
            assert {r["module"] for r in body["results"][body["trace_id"]]} >= {"pii_leak"}
            tid = body["trace_id"]
        stored = httpx.get(f"{url}/v1/traces/{tid}", headers={"X-API-Key": keys[org]}).json()
        assert org in (stored["prompt"] or stored["messages"])   # each org's own version
        assert "maria.lopez@" not in (stored["response"] or "")   # masked before storage
    rounds = _metric(after, "trace_api_ingest_rounds_total") - \
        _metric(before, "trace_api_ingest_rounds_total")
    requests = _metric(after, "trace_api_ingest_round_requests_total") - \
        _metric(before, "trace_api_ingest_round_requests_total")
    assert requests == clients * per_client
    assert rounds < requests     # some rounds held several requests

