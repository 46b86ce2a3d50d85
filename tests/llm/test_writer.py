"""The single writer: many producer threads, one thread applying batched writes."""
from __future__ import annotations

import threading

import pytest

from workbench import cache, store
from workbench.llm.writer import CachePut, LedgerRow, Writer


def test_one_thread_applies_every_write(settings):
    writer = Writer(settings, linger_s=0.01)
    appliers: set[str] = set()

    def produce(n: int) -> None:
        for i in range(50):
            writer.submit(LedgerRow(run_id="r", stage="s", event="llm_call", tokens_in=i,
                                    detail={"producer": n}, custom_field=i))
            writer.submit(CachePut("ns", f"{n}-{i}", {"i": i}))
            writer.submit(lambda con: appliers.add(threading.current_thread().name))

    threads = [threading.Thread(target=produce, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.close()
    assert appliers == {"workbench-llm-writer"}
    with store.connect(settings) as con:
        n, total, detail = con.execute(
            "SELECT count(*), sum(tokens_in), any_value(detail) FROM ledger").fetchone()
    assert (n, total) == (300, 6 * sum(range(50)))
    assert "custom_field" in detail  # unknown fields land in detail, as with append_ledger
    assert cache.stats("ns", settings=settings)["entries"] == 300
    assert writer.written == 900


def test_a_failed_write_is_reported_on_close(settings):
    writer = Writer(settings, linger_s=0.0)
    writer.submit(lambda con: con.execute("INSERT INTO no_such_table VALUES (1)"))
    with pytest.raises(RuntimeError, match="writer failed"):
        writer.close()


def test_unthreaded_writer_flushes_on_a_given_connection(settings):
    writer = Writer(settings, threaded=False)
    writer.submit(LedgerRow(run_id="r", stage=None, event="skip", status="skipped"))
    with store.connect(settings) as con:
        writer.flush(con)
        assert con.execute("SELECT status FROM ledger").fetchall() == [("skipped",)]
