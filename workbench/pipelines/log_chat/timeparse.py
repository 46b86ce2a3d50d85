"""Times people type into a log question, read as aware UTC datetimes.

``parse_time(text, now)`` accepts (case and surrounding blanks ignored):

- ``now``: ``now`` itself. ``now-1h`` / ``now - 90m``: that long before ``now``.
- relative, counted back from ``now``: ``1h ago``, ``30m ago``, ``2 days ago``, ``90s ago``,
  ``15 minutes ago``, ``1 week ago``, ``1.5h ago``, ``1h30m ago``; the same without ``ago``
  (``24h``, ``2 days``) or with a minus (``-1h``); ``last 3 hours``, ``past 2 days`` and
  ``last hour`` (= 1 hour). Units: ``s`` ``sec`` ``second``, ``m`` ``min`` ``minute``, ``h``
  ``hr`` ``hour``, ``d`` ``day``, ``w`` ``wk`` ``week`` (plurals too). Months and years are
  not accepted: their length is ambiguous, give a date instead.
- ``today``: the start (00:00) of ``now``'s day in UTC; ``yesterday``: the start of the day
  before it. A window ``since=yesterday`` therefore covers all of yesterday and today so far.
- ISO 8601: ``2024-03-07T14:02:01Z``, ``2024-03-07 14:02:01.250+02:00``, ``20240307T140201Z``,
  with an offset (converted to UTC), ``Z``, or none (naive means UTC); fractions of a second kept.
  A trailing ``UTC`` or ``GMT`` is read like ``Z``.
- plain dates: ``2024-03-07``, ``2024/03/07``, ``20240307`` (eight digits are always a date,
  never an epoch): 00:00 UTC of that day.
- epoch numbers (digits, optionally with a fraction), told apart by magnitude: below 10^11 they
  are seconds (up to the year 5138), below 10^14 milliseconds, below 10^17 microseconds, else
  nanoseconds. ``1709820121``, ``1709820121.5`` and ``1709820121000`` are the same instant.

Anything else raises ``ValueError`` naming the text and listing these forms.
``parse_window(since, until, now)`` reads both ends of a window and checks their order.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

__all__ = ["ACCEPTED_FORMS", "parse_time", "parse_window"]

ACCEPTED_FORMS = (
    "'now', 'now-1h'; relative times such as '1h ago', '30m ago', '2 days ago', '90s ago', "
    "'15 minutes ago', '1h30m ago', '24h', 'last 3 hours' (units s/m/h/d/w); 'today', "
    "'yesterday' (start of the day, UTC); ISO 8601 such as '2024-03-07T14:02:01Z' or "
    "'2024-03-07 14:02:01+02:00' (naive means UTC); plain dates such as '2024-03-07'; "
    "epoch seconds (1709820121) or milliseconds (1709820121000)"
)

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "wk": 604800, "wks": 604800, "week": 604800, "weeks": 604800,
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_PART = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT})(?![a-z])")
_SPAN = rf"(?:\d+(?:\.\d+)?\s*(?:{_UNIT})(?![a-z])\s*)+"
_RELATIVE = re.compile(rf"(?:(?:last|past)\s+)?-?\s*(?P<span>{_SPAN})(?:\s*ago)?")
_LAST_UNIT = re.compile(rf"(?:last|past)\s+(?P<unit>{_UNIT})")
_UTC_SUFFIX = re.compile(r"\s*(?:z|utc|gmt)$", re.IGNORECASE)
_NOW_MINUS = re.compile(rf"now\s*-\s*(?P<span>{_SPAN})")
_EPOCH = re.compile(r"\d+(?:\.\d+)?")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def _utc(dt: datetime) -> datetime:
    """Return ``dt`` as an aware UTC datetime (naive values are taken to be UTC)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _span_seconds(span: str) -> float:
    """Return the seconds in a span such as ``1h30m`` or ``2 days``."""
    return sum(float(n) * _UNITS[u] for n, u in _PART.findall(span))


def _epoch(number: str) -> datetime:
    """Return the instant of an epoch number, its unit told by its magnitude."""
    value = float(number)
    scale = next(s for s in (1, 10**3, 10**6, 10**9) if value < 1e11 * s or s == 10**9)
    try:
        if "." in number or scale == 1:
            return datetime.fromtimestamp(value / scale, UTC)
        whole, rest = divmod(int(number), scale)  # integer arithmetic keeps ms and µs exact
        return datetime.fromtimestamp(whole, UTC) + timedelta(microseconds=rest * 10**6 // scale)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"epoch {number!r} is out of range; accepted: {ACCEPTED_FORMS}") from None


def _iso(text: str) -> datetime | None:
    """Return the instant of an ISO 8601 text or a plain date, or None if it is neither."""
    m = _SLASH_DATE.fullmatch(text)
    if m:
        text = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    if not re.match(r"\d{4}-?\d{2}", text):
        return None
    candidate, utc = _UTC_SUFFIX.subn("", text)
    candidate = candidate.upper() + ("+00:00" if utc and len(candidate) > 10 else "")
    try:
        return _utc(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def parse_time(text: str, now: datetime) -> datetime:
    """Return the aware UTC instant that ``text`` means, relative times counted from ``now``.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2024, 3, 7, 14, 30, tzinfo=timezone.utc)
    >>> parse_time("1h ago", now).isoformat()
    '2024-03-07T13:30:00+00:00'
    >>> parse_time("yesterday", now).isoformat()
    '2024-03-06T00:00:00+00:00'
    >>> parse_time("2024-03-07T16:00:00+02:00", now).isoformat()
    '2024-03-07T14:00:00+00:00'
    >>> parse_time("1709821800000", now).isoformat()
    '2024-03-07T14:30:00+00:00'
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = repr(text)  # an epoch number that arrived as JSON
    if not isinstance(text, str):
        raise ValueError(  # noqa: TRY004 - one error type for every unreadable time
            f"time {text!r} is not text; accepted: {ACCEPTED_FORMS}")
    now = _utc(now)
    t = " ".join(text.strip().lower().split())
    if t == "now":
        return now
    if t in ("today", "yesterday"):
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start - timedelta(days=1) if t == "yesterday" else start
    if _EPOCH.fullmatch(t) and not re.fullmatch(r"\d{8}", t):
        return _epoch(t)
    m = _NOW_MINUS.fullmatch(t) or _RELATIVE.fullmatch(t)
    if m:
        return now - timedelta(seconds=_span_seconds(m["span"]))
    m = _LAST_UNIT.fullmatch(t)
    if m:
        return now - timedelta(seconds=_UNITS[m["unit"]])
    iso = _iso(text.strip())
    if iso is not None:
        return iso
    raise ValueError(f"cannot read {text!r} as a time; accepted: {ACCEPTED_FORMS}")


def parse_window(since: str | None, until: str | None,
                 now: datetime) -> tuple[datetime | None, datetime]:
    """Return (start, end) for a window; no ``since`` means no start, no ``until`` means ``now``.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2024, 3, 7, 14, 30, tzinfo=timezone.utc)
    >>> [t.isoformat() for t in parse_window("2h ago", "1h ago", now)]
    ['2024-03-07T12:30:00+00:00', '2024-03-07T13:30:00+00:00']
    """
    start = parse_time(since, now) if since not in (None, "") else None
    end = parse_time(until, now) if until not in (None, "") else _utc(now)
    if start is not None and start > end:
        raise ValueError(f"window starts after it ends: since {since!r} is {start.isoformat()},"
                         f" until {until or 'now'!r} is {end.isoformat()}; give since <= until")
    return start, end
