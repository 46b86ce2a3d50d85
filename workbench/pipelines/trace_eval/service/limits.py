"""Settings of the trace service and the per-organization token bucket.

Each setting is read from ``WORKBENCH_TRACE_API_<NAME>``, else ``[workbench.trace_api]`` in
``workbench.toml``, else the default:

========================  =========  ==========================================================
name                      default    meaning
========================  =========  ==========================================================
``rate_per_s``            50         requests per second refilled into each organization's bucket
``burst``                 100        bucket size: requests an organization may send at once
``max_batch``             1000       traces in one ``POST /v1/traces/batch``
``max_body_bytes``        4194304    request body cap (413 above it)
``coalesce_wait_ms``      5          how long the ingestion worker waits for more concurrent
                                     requests to evaluate and commit with the one it holds
                                     (only while requests are arriving together)
``coalesce_max_items``    2000       traces the worker evaluates and commits at once, at most
``eval_threads``          2          threads the tier-1 modules of one round run on (1: in turn)
========================  =========  ==========================================================
"""
from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass

from ....errors import BadInput

DEFAULTS = {"rate_per_s": 50.0, "burst": 100.0, "max_batch": 1000, "max_body_bytes": 4 << 20,
            "coalesce_wait_ms": 5.0, "coalesce_max_items": 2000, "eval_threads": 2}


@dataclass(frozen=True)
class ServiceSettings:
    """Limits of the trace service."""

    rate_per_s: float = DEFAULTS["rate_per_s"]
    burst: float = DEFAULTS["burst"]
    max_batch: int = DEFAULTS["max_batch"]
    max_body_bytes: int = DEFAULTS["max_body_bytes"]
    coalesce_wait_ms: float = DEFAULTS["coalesce_wait_ms"]
    coalesce_max_items: int = DEFAULTS["coalesce_max_items"]
    eval_threads: int = DEFAULTS["eval_threads"]

    @classmethod
    def load(cls, settings) -> ServiceSettings:
        """Return the limits for a workspace's settings (environment over ``workbench.toml``)."""
        table = (settings.extra or {}).get("trace_api", {}) if settings is not None else {}
        values = {}
        for name, default in DEFAULTS.items():
            raw = os.environ.get(f"WORKBENCH_TRACE_API_{name.upper()}")
            if raw in (None, ""):
                raw = table.get(name, default)
            try:
                value = type(default)(float(raw)) if isinstance(default, int) else float(raw)
            except (TypeError, ValueError):
                raise BadInput(f"trace_api setting {name!r} must be a number, got {raw!r}") \
                    from None
            if value <= 0:
                raise BadInput(f"trace_api setting {name!r} must be positive, got {raw!r}")
            values[name] = value
        return cls(**values)


class TokenBuckets:
    """One token bucket per key (organization): ``rate`` tokens per second up to ``burst``."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = float(rate), float(burst)
        self._state: dict[str, tuple[float, float]] = {}   # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key: str, cost: float = 1.0) -> float:
        """Take ``cost`` tokens; return 0 when allowed, else the seconds until they are there."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= cost:
                self._state[key] = (tokens - cost, now)
                return 0.0
            self._state[key] = (tokens, now)
            return (cost - tokens) / self.rate

    @staticmethod
    def retry_after(wait_s: float) -> str:
        """Return the ``Retry-After`` header value (whole seconds, at least 1)."""
        return str(max(1, math.ceil(wait_s)))
