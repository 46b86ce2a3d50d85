"""kill -9 of the server right after a 2xx loses nothing that was acknowledged."""
from __future__ import annotations

import threading

import httpx

from .conftest import Server, create_org

LIMITS = {"WORKBENCH_TRACE_API_RATE_PER_S": 10_000, "WORKBENCH_TRACE_API_BURST": 10_000}


def test_kill_9_loses_no_acknowledged_trace(tmp_path):
    key = create_org(tmp_path, "durable")
    server = Server(tmp_path, **LIMITS).start()
    acked: list[str] = []
    lock, enough, stop = threading.Lock(), threading.Event(), threading.Event()

    def sender(n: int) -> None:
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=5) as c:
            i = 0
            while not stop.is_set():
                i += 1
                tid = f"k{n}-{i}"
                try:
                    if i % 5:
                        r = c.post("/v1/traces", json={"trace_id": tid, "prompt": f"q {i}",
                                                       "response": f"answer {i}"})
                        ids = [tid] if r.status_code == 200 else []
                    else:
                        batch = [{"trace_id": f"{tid}.{j}", "prompt": "q", "response": "a"}
                                 for j in range(10)]
                        r = c.post("/v1/traces/batch", json=batch)
                        ids = [t for it in r.json()["items"] for t in it["trace_ids"]] \
                            if r.status_code == 200 else []
                except httpx.HTTPError:
                    return  # the server is gone: whatever was not answered is not promised
                with lock:
                    acked.extend(ids)
                    if len(acked) >= 120:
                        enough.set()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    assert enough.wait(60), "the server did not acknowledge 120 traces in time"
    server.kill()          # SIGKILL while the other senders still have requests in flight
    with lock:
        promised = list(acked)
    stop.set()
    for t in threads:
        t.join(10)
    assert len(promised) >= 120

    again = Server(tmp_path, **LIMITS).start()
    try:
        with httpx.Client(base_url=again.url, headers={"X-API-Key": key}, timeout=10) as c:
            missing = [t for t in promised if c.get(f"/v1/traces/{t}").status_code != 200]
            assert missing == []
            assert c.get(f"/v1/evaluations/{promised[0]}").json()["tiers"] == [1]
            assert c.get("/v1/stats").json()["traces"] >= len(promised)
    finally:
        again.stop()
