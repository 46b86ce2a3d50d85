"""The single writer: one thread owns every DuckDB write of a batch (ledger rows, cache entries).

Model calls run concurrently in worker threads; they never touch DuckDB. They hand write
operations to this writer: ``LedgerRow``, ``CachePut`` or any function of a connection. The writer
drains its queue in batches (lingering briefly so a batch is worth a connection) and applies each
batch in one short transaction on one brief connection: ledger rows and cache entries go in as one
Arrow-backed INSERT each, because DuckDB's per-statement cost dwarfs a single row.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import cache, store
from ..config import Settings
from ..runs import LEDGER_FIELDS, canonical_json, now


class LedgerRow(dict):
    """One ledger event (the keyword arguments of ``runs.append_ledger``), written in a batch."""


@dataclass(frozen=True)
class CachePut:
    """One cache entry, written in a batch with the others of its namespace and TTL."""

    namespace: str
    key: str
    value: Any
    ttl_s: float | None = None


Op = LedgerRow | CachePut | Callable[[object], None]
_STOP = object()


class Writer:
    """Queue of write operations applied by one thread (``threaded=True``) or on ``flush()``."""

    def __init__(self, settings: Settings, *, threaded: bool = True, max_batch: int = 2000,
                 linger_s: float = 0.1):
        self.settings = settings
        self.max_batch = max_batch
        self.linger_s = linger_s
        self.written = 0
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        if threaded:
            self._thread = threading.Thread(target=self._loop, name="workbench-llm-writer",
                                            daemon=True)
            self._thread.start()

    def submit(self, op: Op) -> None:
        """Queue one write; it is applied by the writer thread or at the next flush."""
        if self._error is not None:
            raise RuntimeError("the ledger/cache writer failed") from self._error
        self._queue.put(op)

    def _drain(self, first=None) -> tuple[list[Op], bool]:
        ops, stop = ([] if first is None else [first]), False
        while len(ops) < self.max_batch:
            try:
                op = self._queue.get_nowait()
            except queue.Empty:
                break
            if op is _STOP:
                stop = True
                break
            ops.append(op)
        return ops, stop

    def apply(self, ops: list[Op], con=None) -> None:
        """Apply ``ops`` in one transaction on ``con`` or on a brief connection of its own."""
        if not ops:
            return
        if con is not None:
            _run(con, ops, self.settings)
        else:
            with store.connect(self.settings) as c:
                _run(c, ops, self.settings)
        self.written += len(ops)

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            self._closing.wait(self.linger_s)  # let more writes arrive: one connection serves all
            ops, stop = self._drain(first)
            try:
                self.apply(ops)
            except BaseException as exc:  # noqa: BLE001 - keep the failure for the caller of close()
                self._error = exc
                return
            if stop:
                return

    def flush(self, con=None) -> None:
        """Apply everything queued so far (non-threaded writers only)."""
        if self._thread is not None:
            raise RuntimeError("flush() is for non-threaded writers; use close()")
        while True:
            ops, _ = self._drain()
            if not ops:
                return
            self.apply(ops, con)

    def close(self) -> None:
        """Apply what is left, stop the thread, and re-raise a write failure if there was one."""
        if self._thread is not None:
            self._closing.set()
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None
            leftover, _ = self._drain()
            if self._error is None:
                self.apply(leftover)
        else:
            self.flush()
        if self._error is not None:
            raise RuntimeError("the ledger/cache writer failed") from self._error


def _run(con, ops: list[Op], settings: Settings) -> None:
    rows = [op for op in ops if isinstance(op, LedgerRow)]
    puts: dict[tuple, list[tuple[str, Any]]] = {}
    for op in ops:
        if isinstance(op, CachePut):
            puts.setdefault((op.namespace, op.ttl_s), []).append((op.key, op.value))
    con.execute("BEGIN")
    try:
        for op in ops:
            if not isinstance(op, LedgerRow | CachePut):
                op(con)
        for (namespace, ttl_s), entries in puts.items():
            cache.put_many(namespace, entries, ttl_s=ttl_s, con=con, settings=settings)
        if rows:
            insert_ledger(con, rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


_LEDGER_TYPES = {"tokens_in": "int64", "tokens_out": "int64", "attempts": "int64", "usd": "float64",
                 "latency_ms": "float64", "pii_mask_applied": "bool_"}


def insert_ledger(con, rows: list[dict]) -> int:
    """Append many ledger events in one statement (same columns as ``runs.append_ledger``)."""
    import pyarrow as pa

    at = now()
    cols: dict[str, list] = {"run_id": [], "stage": [], "event": [],
                             **{f: [] for f in LEDGER_FIELDS}, "detail": [], "at": []}
    for row in rows:
        row = dict(row)
        detail = dict(row.pop("detail", None) or {})
        for key in ("run_id", "stage", "event", *LEDGER_FIELDS):
            cols[key].append(row.pop(key, None))
        detail.update(row)  # unknown fields go into detail, as append_ledger does
        cols["detail"].append(canonical_json(detail) if detail else None)
        cols["at"].append(at)
    table = pa.table({k: pa.array(v, pa.timestamp("us") if k == "at"
                                  else getattr(pa, _LEDGER_TYPES.get(k, "string"))())
                      for k, v in cols.items()})
    names = ", ".join(f'"{c}"' for c in cols)
    con.register("_ledger_rows", table)
    try:
        con.execute(f"INSERT INTO ledger ({names}) SELECT * FROM _ledger_rows")
    finally:
        con.unregister("_ledger_rows")
    return len(rows)
