"""Severity levels of tier results and alerts, their order, and one-level escalation."""
from __future__ import annotations

SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high", "critical")
ALERT_SEVERITIES: tuple[str, ...] = SEVERITIES[1:]


def rank(severity: str | None) -> int:
    """Return the position of ``severity`` in SEVERITIES (unknown or null → 0, i.e. none).

    >>> rank("high") > rank("medium")
    True
    """
    try:
        return SEVERITIES.index(str(severity).lower())
    except ValueError:
        return 0


def bump(severity: str) -> str:
    """Return the severity one level above ``severity`` (critical stays critical).

    >>> bump("high")
    'critical'
    """
    return SEVERITIES[min(rank(severity) + 1, len(SEVERITIES) - 1)]
