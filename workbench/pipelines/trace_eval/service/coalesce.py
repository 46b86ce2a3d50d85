"""Micro-batching of ingestion: one worker thread evaluates and commits concurrent requests at once.

Each request's items are parsed in the request (``TraceService.prepare``) and queued as a job.
The worker takes the first queued job, every job already waiting behind it and, while requests
are arriving together (the previous round held more than one), each next one arriving within
``coalesce_wait_ms`` of the last (at most ``LINGER_ROUNDS`` times that in all), up to
``coalesce_max_items`` traces (a job is never split); it evaluates them in one tier-1 call
and one masking pass and commits them in one transaction (``TraceService.ingest_jobs``). Each
request is answered with its own outcome only after that commit returned, so a 2xx still means
on disk. A request alone pays no wait. If a coalesced round fails, its jobs are run again one by
one, so a failure answers 500 only to the request that causes it, as without coalescing.
"""
from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from .ingestion import Job, TraceService

_STOP = object()
LINGER_ROUNDS = 2.5   # the longest wait for more requests, in units of ``wait_s``


def _settle(fut: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if fut.cancelled():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(result)


class Coalescer:
    """The ingestion worker: ``await submit(job)`` → that job's (items, results), committed."""

    def __init__(self, service: TraceService, *, wait_ms: float = 5.0,
                 max_items: int = 2000, observe: Callable[[int, int], None] | None = None
                 ) -> None:
        self.service, self.wait_s, self.max_items = service, wait_ms / 1000, int(max_items)
        self.observe = observe         # called with (jobs, traces) of every round
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._together = False         # the last round held more than one job
        self._thread = threading.Thread(target=self._run, name="trace-ingest", daemon=True)
        self._thread.start()

    async def submit(self, job: Job):
        """Queue a parsed request; return its outcome once its traces are committed."""
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        self._queue.put((job, loop, fut))
        return await fut

    def close(self, timeout: float = 30) -> None:
        """Finish the queued jobs, then stop the worker."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _take(self) -> tuple[list, bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], True
        group, n = [first], max(1, len(first[0].records))
        # while requests arrive together, wait for the next one up to ``wait_s`` after the
        # last, and at most ``LINGER_ROUNDS * wait_s`` in all; alone, take what is queued
        now = time.monotonic()
        until = now + self.wait_s * LINGER_ROUNDS if self._together else now
        gap = now + self.wait_s if self._together else now
        while n < self.max_items:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                left = min(gap, until) - time.monotonic()
                if left <= 0:
                    break
                try:
                    nxt = self._queue.get(timeout=left)
                except queue.Empty:
                    break
            if nxt is _STOP:
                return group, True
            group.append(nxt)
            n += max(1, len(nxt[0].records))
            gap = time.monotonic() + self.wait_s
        return group, False

    def _run(self) -> None:
        stop = False
        while not stop:
            group, stop = self._take()
            if not group:
                break
            self._together = len(group) > 1
            outcomes = self._round([job for job, _loop, _fut in group])
            for (_job, loop, fut), (result, error) in zip(group, outcomes, strict=True):
                try:
                    loop.call_soon_threadsafe(_settle, fut, result, error)
                except RuntimeError:  # the loop is closed: nobody is waiting any more
                    pass

    def _round(self, jobs: list[Job]) -> list[tuple[Any, BaseException | None]]:
        """Return each job's (outcome, None) or (None, error); never raises."""
        if self.observe is not None:
            try:
                self.observe(len(jobs), sum(len(job.records) for job in jobs))
            except Exception:  # noqa: BLE001, S110 - metrics must never stop ingestion
                pass
        try:
            return [(o, None) for o in self.service.ingest_jobs(jobs)]
        except Exception as exc:  # noqa: BLE001 - answered per job
            if len(jobs) == 1:
                return [(None, exc)]
        outcomes: list[tuple[Any, BaseException | None]] = []
        for job in jobs:   # one failing request must not fail the others: each on its own
            try:
                outcomes.append((self.service.ingest_jobs([job])[0], None))
            except Exception as one:  # noqa: BLE001 - this job's 500
                outcomes.append((None, one))
        return outcomes
