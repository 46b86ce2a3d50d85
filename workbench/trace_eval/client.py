"""Client SDK of the ``trace_eval`` service (``workbench serve trace_eval``).

>>> from workbench.trace_eval.client import TraceClient
>>> client = TraceClient("http://127.0.0.1:8000", "wbk_...")          # doctest: +SKIP
>>> client.submit({"prompt": "Is 7 prime?", "response": "Yes.", "model": "gpt-4o-mini"})
... # doctest: +SKIP
>>> with client.trace("Is 7 prime?", model="gpt-4o-mini") as t:      # doctest: +SKIP
...     t.response = my_llm("Is 7 prime?")
>>> client.close()                                                    # doctest: +SKIP

- ``submit(trace)`` / ``submit_batch(traces)`` send at once and return the server's answer;
- ``enqueue(trace)`` (and ``trace(...)`` by default) queue the trace for a background sender
  that posts batches of ``batch_size`` every ``flush_interval`` seconds; ``flush()`` waits for
  the queue, ``close()`` flushes and stops, and an ``atexit`` hook flushes what is left;
- 429, 502, 503, 504, timeouts and connection errors are retried ``max_retries`` times with
  exponential backoff and full jitter (``backoff_base * 2**attempt``, at most
  ``backoff_max``); a ``Retry-After`` header is honoured (capped by ``max_retry_after``). Any
  other 4xx raises ``TraceAPIError`` at once. Re-sending is safe: the server is idempotent per
  trace id, and ``trace(...)`` gives every trace an id.

``AsyncTraceClient`` has the same methods as coroutines (``enqueue`` is synchronous; the
background sender is an asyncio task; ``aclose()``).
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import email.utils
import logging
import queue
import random
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Self

import httpx

log = logging.getLogger("workbench.trace_eval.client")
RETRY_STATUS = frozenset({429, 502, 503, 504})


class TraceAPIError(Exception):
    """The server refused a request (4xx other than 429), or retries ran out."""

    def __init__(self, message: str, status: int | None = None, body=None):
        super().__init__(message)
        self.status, self.body = status, body


@dataclass
class TraceRecord:
    """What ``trace(...)`` records for its block: set ``response`` (and anything else) inside."""

    prompt: str | None = None
    response: str | None = None
    model: str | None = None
    system: str | None = None
    trace_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    metadata: dict = field(default_factory=dict)
    tokens_in: int | None = None
    tokens_out: int | None = None
    finish_reason: str | None = None
    started_at: str | None = None
    latency_ms: float | None = None

    def to_trace(self) -> dict:
        """Return the ``plain`` shape the server reads."""
        out = {"trace_id": self.trace_id, "prompt": self.prompt or "",
               "response": self.response or "", "metadata": dict(self.metadata)}
        for k in ("model", "system", "tokens_in", "tokens_out", "finish_reason", "started_at",
                  "latency_ms"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        return out


def retry_after_s(value: str | None) -> float | None:
    """Return a ``Retry-After`` header (seconds or an HTTP date) as seconds, else None.

    >>> retry_after_s("3"), retry_after_s(None), retry_after_s("soon")
    (3.0, None, None)
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Policy:
    def __init__(self, max_retries: int, backoff_base: float, backoff_max: float,
                 max_retry_after: float, seed: int | None) -> None:
        self.max_retries, self.base, self.cap = max_retries, backoff_base, backoff_max
        self.max_retry_after = max_retry_after
        self.rng = random.Random(seed)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retry ``attempt`` (0-based): Retry-After, else full jitter."""
        ra = retry_after_s(response.headers.get("Retry-After")) if response is not None else None
        if ra is not None:
            return min(ra, self.max_retry_after) + self.rng.uniform(0, self.base)
        return self.rng.uniform(0, min(self.cap, self.base * 2 ** attempt))


def _answer(r: httpx.Response):
    try:
        body = r.json()
    except ValueError:
        body = r.text[:500]
    if r.status_code >= 400:
        raise TraceAPIError(f"{r.request.method} {r.request.url.path}: HTTP {r.status_code}",
                            r.status_code, body)
    return body


def _started() -> tuple[str, float]:
    return datetime.now(UTC).isoformat(), time.perf_counter()


def _merge(answers: list[dict], sizes: list[int]) -> dict:
    items, offset = [], 0
    for ans, n in zip(answers, sizes, strict=True):
        items += [{**it, "index": it["index"] + offset} for it in ans["items"]]
        offset += n
    accepted = sum(a["accepted"] for a in answers)
    return {"accepted": accepted, "rejected": len(items) - accepted, "items": items}


class TraceClient:
    """Synchronous client (httpx) with retries and a background batching sender."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 max_retries: int = 5, backoff_base: float = 0.2, backoff_max: float = 10.0,
                 max_retry_after: float = 60.0, batch_size: int = 100,
                 flush_interval: float = 1.0, max_queue: int = 100_000,
                 seed: int | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout,
                                  headers={"X-API-Key": api_key})
        self._policy = _Policy(max_retries, backoff_base, backoff_max, max_retry_after, seed)
        self.batch_size, self.flush_interval = batch_size, flush_interval
        self._queue: queue.Queue = queue.Queue(max_queue)
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.sent = 0            # traces the background sender got acknowledged
        self.failed: list[dict] = []   # traces it could not deliver (kept, never dropped silently)
        self.rejected: list[dict] = []  # items the server rejected (with their reasons)
        ref = weakref.ref(self)
        self._atexit = lambda: (c := ref()) is not None and c.close()
        atexit.register(self._atexit)

    # --- requests -------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kw):
        attempt = 0
        while True:
            response = None
            try:
                response = self._http.request(method, path, **kw)
                if response.status_code not in RETRY_STATUS:
                    return _answer(response)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if attempt >= self._policy.max_retries:
                    raise TraceAPIError(f"{method} {path}: {type(exc).__name__}") from exc
            if attempt >= self._policy.max_retries:
                return _answer(response)
            time.sleep(self._policy.delay(attempt, response))
            attempt += 1

    def submit(self, trace: dict) -> dict:
        """Send one trace now; return the stored id(s) and its tier-1 results."""
        return self._request("POST", "/v1/traces", json=trace)

    def submit_batch(self, traces: list[dict]) -> dict:
        """Send traces now (in chunks of ``batch_size``); return per-item status."""
        traces = list(traces)
        chunks = [traces[i:i + self.batch_size] for i in range(0, len(traces), self.batch_size)]
        answers = [self._request("POST", "/v1/traces/batch", json=c) for c in chunks]
        return _merge(answers, [len(c) for c in chunks])

    def get_trace(self, trace_id: str) -> dict:
        """Return a stored (masked) trace."""
        return self._request("GET", f"/v1/traces/{trace_id}")

    def evaluations(self, trace_id: str) -> dict:
        """Return every tier's results stored so far for a trace."""
        return self._request("GET", f"/v1/evaluations/{trace_id}")

    def stats(self, since: str = "") -> dict:
        """Return counts, failure rates per module and the hourly trend."""
        return self._request("GET", "/v1/stats", params={"since": since} if since else None)

    # --- background batching ----------------------------------------------------------------

    def enqueue(self, trace: dict) -> None:
        """Queue a trace for the background sender (started on first use)."""
        if self._closed:
            raise TraceAPIError("the client is closed")
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="trace-client",
                                                daemon=True)
                self._worker.start()
        self._queue.put(trace)

    def _run(self) -> None:
        pending: list = []
        deadline = time.monotonic() + self.flush_interval
        while True:
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                item = None
            if isinstance(item, threading.Event) or item is _STOP:
                self._send(pending)
                pending = []
                self._queue.task_done()
                if item is _STOP:
                    return
                item.set()
                continue
            if item is not None:
                pending.append(item)
                self._queue.task_done()
            if len(pending) >= self.batch_size or time.monotonic() >= deadline:
                self._send(pending)
                pending = []
                deadline = time.monotonic() + self.flush_interval

    def _send(self, traces: list[dict]) -> None:
        if not traces:
            return
        try:
            answer = self.submit_batch(traces)
        except Exception as exc:  # noqa: BLE001 - keep them; the caller sees .failed
            log.warning("trace client: %d traces not delivered: %s", len(traces), exc)
            self.failed += traces
            return
        for it in answer["items"]:
            if it["status"] == "accepted":
                self.sent += 1
            else:
                self.rejected.append(it)

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Send everything queued so far; return True when it was sent within ``timeout``."""
        if self._worker is None or not self._worker.is_alive():
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        """Flush the queue, stop the sender and close the connection (idempotent)."""
        if self._closed:
            return
        self._closed = True
        if self._worker is not None and self._worker.is_alive():
            self._queue.put(_STOP)
            self._worker.join(60)
        self._http.close()
        atexit.unregister(self._atexit)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def trace(self, prompt: str | None = None, *, model: str | None = None,
              system: str | None = None, trace_id: str | None = None,
              metadata: dict | None = None, background: bool = True):
        """Record a block's prompt, response, model and latency; send it when the block ends.

        Set ``record.response`` inside the block. An exception is recorded in
        ``metadata.error`` and re-raised. ``background=False`` sends at once.
        """
        rec, t0 = _open_record(prompt, model, system, trace_id, metadata)
        try:
            yield rec
        except BaseException as exc:
            rec.metadata["error"] = type(exc).__name__
            raise
        finally:
            _close_record(rec, t0)
            if background:
                self.enqueue(rec.to_trace())
            else:
                self.submit(rec.to_trace())


def _open_record(prompt, model, system, trace_id, metadata) -> tuple[TraceRecord, float]:
    """Return a new record of a traced block, started now, and its perf-counter start."""
    rec = TraceRecord(prompt=prompt, model=model, system=system, metadata=dict(metadata or {}))
    if trace_id:
        rec.trace_id = trace_id
    rec.started_at, t0 = _started()
    return rec, t0


def _close_record(rec: TraceRecord, t0: float) -> None:
    """Set the record's latency from its perf-counter start."""
    rec.latency_ms = round((time.perf_counter() - t0) * 1000, 3)


_STOP = object()


class AsyncTraceClient:
    """Asynchronous client (httpx.AsyncClient): the same API as coroutines."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 max_retries: int = 5, backoff_base: float = 0.2, backoff_max: float = 10.0,
                 max_retry_after: float = 60.0, batch_size: int = 100,
                 flush_interval: float = 1.0, seed: int | None = None) -> None:
        self._base, self._key, self._timeout = base_url.rstrip("/"), api_key, timeout
        self._http = httpx.AsyncClient(base_url=self._base, timeout=timeout,
                                       headers={"X-API-Key": api_key})
        self._policy = _Policy(max_retries, backoff_base, backoff_max, max_retry_after, seed)
        self.batch_size, self.flush_interval = batch_size, flush_interval
        self._pending: list[dict] = []
        self._task: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None
        self._closed = self._closing = False
        self._send_lock = asyncio.Lock()
        self.sent = 0
        self.failed: list[dict] = []
        self.rejected: list[dict] = []
        ref = weakref.ref(self)
        self._atexit = lambda: (c := ref()) is not None and c._flush_at_exit()
        atexit.register(self._atexit)

    async def _request(self, method: str, path: str, **kw):
        attempt = 0
        while True:
            response = None
            try:
                response = await self._http.request(method, path, **kw)
                if response.status_code not in RETRY_STATUS:
                    return _answer(response)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if attempt >= self._policy.max_retries:
                    raise TraceAPIError(f"{method} {path}: {type(exc).__name__}") from exc
            if attempt >= self._policy.max_retries:
                return _answer(response)
            await asyncio.sleep(self._policy.delay(attempt, response))
            attempt += 1

    async def submit(self, trace: dict) -> dict:
        """Send one trace now; return the stored id(s) and its tier-1 results."""
        return await self._request("POST", "/v1/traces", json=trace)

    async def submit_batch(self, traces: list[dict]) -> dict:
        """Send traces now (in chunks of ``batch_size``); return per-item status."""
        traces = list(traces)
        chunks = [traces[i:i + self.batch_size] for i in range(0, len(traces), self.batch_size)]
        answers = [await self._request("POST", "/v1/traces/batch", json=c) for c in chunks]
        return _merge(answers, [len(c) for c in chunks])

    async def get_trace(self, trace_id: str) -> dict:
        """Return a stored (masked) trace."""
        return await self._request("GET", f"/v1/traces/{trace_id}")

    async def evaluations(self, trace_id: str) -> dict:
        """Return every tier's results stored so far for a trace."""
        return await self._request("GET", f"/v1/evaluations/{trace_id}")

    async def stats(self, since: str = "") -> dict:
        """Return counts, failure rates per module and the hourly trend."""
        return await self._request("GET", "/v1/stats", params={"since": since} if since else None)

    def enqueue(self, trace: dict) -> None:
        """Queue a trace for the background task (started in the running loop on first use)."""
        if self._closed:
            raise TraceAPIError("the client is closed")
        self._pending.append(trace)
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        if len(self._pending) >= self.batch_size:
            self._wake.set()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.flush_interval)
            self._wake.clear()
            await self._send()
            if self._closing:
                return

    async def _send(self) -> None:
        async with self._send_lock:  # a flush waits for a batch already in flight
            await self._send_pending()

    async def _send_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:self.batch_size], self._pending[self.batch_size:]
            try:
                answer = await self.submit_batch(batch)
            except Exception as exc:  # noqa: BLE001 - keep them; the caller sees .failed
                log.warning("trace client: %d traces not delivered: %s", len(batch), exc)
                self.failed += batch
                continue
            for it in answer["items"]:
                if it["status"] == "accepted":
                    self.sent += 1
                else:
                    self.rejected.append(it)

    async def flush(self) -> None:
        """Send everything queued so far."""
        await self._send()

    async def aclose(self) -> None:
        """Flush, stop the background task and close the connection (idempotent)."""
        if self._closed:
            return
        self._closing = True
        if self._task is not None and not self._task.done():
            self._wake.set()
            await self._task        # it sends what is pending and returns
        await self._send()
        self._closed = True
        await self._http.aclose()
        atexit.unregister(self._atexit)

    def _flush_at_exit(self) -> None:
        """At interpreter exit the loop is gone: send what is left with a synchronous client."""
        if self._closed or not self._pending:
            return
        pending, self._pending = self._pending, []
        with TraceClient(self._base, self._key, timeout=self._timeout,
                         max_retries=self._policy.max_retries,
                         batch_size=self.batch_size) as sync:
            try:
                sync.submit_batch(pending)
            except Exception as exc:  # noqa: BLE001
                log.warning("trace client: %d traces not delivered at exit: %s",
                            len(pending), exc)
                self.failed += pending

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    @contextlib.asynccontextmanager
    async def trace(self, prompt: str | None = None, *, model: str | None = None,
                    system: str | None = None, trace_id: str | None = None,
                    metadata: dict | None = None, background: bool = True):
        """Record a block's prompt, response, model and latency (see ``TraceClient.trace``)."""
        rec, t0 = _open_record(prompt, model, system, trace_id, metadata)
        try:
            yield rec
        except BaseException as exc:
            rec.metadata["error"] = type(exc).__name__
            raise
        finally:
            _close_record(rec, t0)
            if background:
                self.enqueue(rec.to_trace())
            else:
                await self.submit(rec.to_trace())


__all__ = ["AsyncTraceClient", "TraceAPIError", "TraceClient", "TraceRecord", "retry_after_s"]
