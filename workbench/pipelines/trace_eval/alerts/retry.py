"""Bounded retries with exponential backoff and full jitter; Retry-After honoured."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .channels_config import RetryConfig


class TransientSend(Exception):
    """A send attempt failed in a way worth retrying (connection error, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSend(Exception):
    """A send attempt was refused for good (a 4xx other than 429, a refused recipient)."""


@dataclass(frozen=True)
class Outcome:
    """How a send ended: delivered or not, after how many attempts, and the last error."""

    delivered: bool
    attempts: int
    error: str | None = None
    waits: tuple[float, ...] = ()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After header asks to wait (delta or HTTP date), or None.

    >>> parse_retry_after("7"), parse_retry_after("soon")
    (7.0, None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, cfg: RetryConfig, rng: random.Random) -> float:
    """Return the wait before retry ``attempt`` (1-based): full jitter under base·2^(n-1)."""
    return rng.uniform(0, min(cfg.max_s, cfg.base_s * 2 ** (attempt - 1)))


def send_with_retry(attempt: Callable[[], None], cfg: RetryConfig, *,
                    sleep: Callable[[float], None] = time.sleep,
                    rng: random.Random | None = None) -> Outcome:
    """Return the Outcome of calling ``attempt`` until it succeeds or retries are used up."""
    rng = rng or random.Random()
    waits: list[float] = []
    for n in range(1, cfg.max_attempts + 1):
        try:
            attempt()
            return Outcome(True, n, None, tuple(waits))
        except PermanentSend as exc:
            return Outcome(False, n, f"permanent: {exc}", tuple(waits))
        except TransientSend as exc:
            if n == cfg.max_attempts:
                return Outcome(False, n, f"gave up after {n} attempts: {exc}", tuple(waits))
            if exc.retry_after is not None and exc.retry_after > cfg.max_retry_after_s:
                return Outcome(False, n, f"Retry-After {exc.retry_after:.0f}s exceeds "
                                         f"{cfg.max_retry_after_s:.0f}s: {exc}", tuple(waits))
            wait = exc.retry_after if exc.retry_after is not None else backoff(n, cfg, rng)
            waits.append(wait)
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
