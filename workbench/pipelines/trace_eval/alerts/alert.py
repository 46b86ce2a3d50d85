"""The Alert value: one rule firing on a group of traces within one batching window."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime


def fingerprint(rule: str, module: str | None, group: dict[str, object]) -> str:
    """Return the 16-hex-digit fingerprint of (rule, module, group key): what dedup compares.

    >>> fingerprint("pii_leak", "pii_leak", {}) == fingerprint("pii_leak", "pii_leak", {})
    True
    """
    key = json.dumps([rule, module, sorted((k, str(v)) for k, v in group.items())])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def alert_id(fp: str, window_start: datetime, trace_ids: tuple[str, ...]) -> str:
    """Return the stable id of an alert: its fingerprint, window and traces hashed."""
    key = json.dumps([fp, window_start.isoformat(), list(trace_ids)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Excerpt:
    """A masked excerpt of one trace's response (at most 200 characters)."""

    trace_id: str
    text: str


@dataclass(frozen=True)
class Alert:
    """One alert: a rule, a severity, the traces it covers and masked evidence."""

    alert_id: str
    rule: str
    severity: str
    module: str | None
    fingerprint: str
    trace_ids: tuple[str, ...]
    count: int
    window_start: datetime
    window_end: datetime
    group: dict[str, object] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    excerpts: tuple[Excerpt, ...] = ()
    channels: tuple[str, ...] | None = None  # the rule's own channels; None → routing
    escalated_from: str | None = None
    detail: dict[str, object] = field(default_factory=dict)

    def escalated(self, severity: str) -> Alert:
        """Return a copy raised to ``severity``, remembering the original one."""
        return replace(self, severity=severity, escalated_from=self.severity)

    def title(self) -> str:
        """Return a one-line, PII-free headline of the alert."""
        where = f" module {self.module}" if self.module else ""
        group = "".join(f" {k}={v}" for k, v in self.group.items() if k != "module")
        up = f" (escalated from {self.escalated_from})" if self.escalated_from else ""
        return (f"[{self.severity.upper()}] {self.rule}:{where}{group}, "
                f"{self.count} trace(s){up}")
