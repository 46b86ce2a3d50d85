"""Per-line timestamps of log files, extracted vectorized (Polars regex + ``str.to_datetime``).

``extract_times(lines, ref)`` returns one aware UTC ``Datetime("ms")`` per line, null where the
line carries none. Formats, tried in this order on the lines still without a time:

1. JSON lines (starting with ``{``): the first of the fields ``timestamp``, ``@timestamp``,
   ``ts``, ``time``, ``datetime``, ``eventTime``, ``date``, ``@t`` holding an ISO 8601 string
   or an epoch number (seconds, ms, µs or ns, told apart by magnitude as in ``parse_time``).
2. ISO 8601 within the first 40 characters: ``2024-03-07T14:02:01.123Z``,
   ``2024-03-07 14:02:01,123`` (Python logging), ``2024/03/07 14:02:01``, ``... +02:00``,
   ``... -0700``, ``... UTC``; no offset means UTC.
3. Apache/nginx ``[10/Oct/2000:13:55:36 -0700]`` within the first 100 characters.
4. syslog ``Mar  7 14:02:01`` at the start (after an optional ``<PRI>``). It has no year or zone:
   the year is ``ref``'s (the file's modification time), or the year before when that would put
   the line more than a day after ``ref``; the zone is UTC.
5. a leading epoch: 10 digits (seconds, optionally ``.fraction``, as in squid) or 13 digits (ms).

Lines without a time are the caller's to fill (``fill_times``: they inherit the previous line's,
e.g. stack traces; lines before any time get a default and are counted).
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import polars as pl

__all__ = ["TS", "epoch_to_ts", "extract_times", "fill_times"]

TS = pl.Datetime("ms", "UTC")
_ISO_STAMP = (r"\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"
              r"(?:\s?(?:Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)\b)?")
_ISO_HEAD = rf"^.{{0,40}}?({_ISO_STAMP})"
_ISO_FULL = rf"^\s*({_ISO_STAMP})"
_ISO_PARTS = re.compile(r"\d{4}([-/])\d{2}[-/]\d{2}([T ])\d{2}:\d{2}:\d{2}(?:([.,])(\d{1,9}))?"
                        r"(?:(\s?)(Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)\b)?")
_APACHE = r"^.{0,100}?\[(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?)\]"
_SYSLOG = r"^(?:<\d{1,3}>)?([A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2})\b"
_EPOCH_HEAD = r"^(\d{10}(?:\.\d{1,9})?|\d{13})(?:\s|$)"
_JSON_KEYS = "timestamp|@timestamp|ts|time|datetime|eventTime|date|@t"
_JSON_FIELD = rf'"(?:{_JSON_KEYS})"\s*:\s*(?:"([^"]+)"|(-?\d+(?:\.\d+)?))'


def _parse(text: pl.Series, fmt: str, aware: bool) -> pl.Series:
    """Return ``text`` parsed with a chrono ``fmt`` as UTC (naive texts are taken as UTC)."""
    if aware:
        return text.str.to_datetime(fmt, time_unit="ms", time_zone="UTC", strict=False)
    naive = text.str.to_datetime(fmt, time_unit="ms", strict=False)
    return naive.dt.replace_time_zone("UTC")


def _iso_text(stamp: pl.Series) -> pl.Series:
    """Return ISO 8601 stamps (any of the accepted spellings) as UTC datetimes."""
    t = (stamp.str.replace(" ", "T", literal=True).str.replace_all(" ", "", literal=True)
         .str.replace(",", ".", literal=True).str.replace_all("/", "-", literal=True)
         .str.replace(r"(?:UTC|GMT)$", "Z"))
    aware = _parse(t, "%Y-%m-%dT%H:%M:%S%.f%#z", True)
    if aware.null_count() == 0:
        return aware
    return aware.fill_null(_parse(t, "%Y-%m-%dT%H:%M:%S%.f", False))


def _iso_layout(sample: list[str]) -> tuple[int, int, str, bool] | None:
    """Return (offset, length, chrono format, has offset) of the sample's usual ISO stamp."""
    seen: Counter = Counter()
    for line in sample:
        m = _ISO_PARTS.search(line, 0, 96)
        if m is None or m.start() > 40:
            continue
        date, sep, frac_sep, frac, space, tz = m.groups()
        fmt = f"%Y{date}%m{date}%d{sep}%H:%M:%S"
        if frac:
            if len(frac) not in (3, 6, 9):
                continue
            fmt += f"{frac_sep}%{len(frac)}f"
        aware = tz is not None and tz[0] in "+-"
        if tz:
            fmt += space + ({5: "%z", 6: "%:z"}.get(len(tz), "%#z") if aware else tz)
        seen[(m.start(), m.end() - m.start(), fmt, aware)] += 1
    if not seen:
        return None
    layout, count = seen.most_common(1)[0]
    return layout if count * 2 >= len(sample) else None


def epoch_to_ts(value: pl.Expr) -> pl.Expr:
    """Return epoch numbers (seconds, ms, µs or ns by magnitude) as UTC datetimes."""
    v = value.cast(pl.Float64)
    ms = (pl.when(v < 1e11).then(v * 1e3).when(v < 1e14).then(v)
          .when(v < 1e17).then(v / 1e3).otherwise(v / 1e6))
    ms = pl.when((ms >= 0) & (ms < 253402300800000)).then(ms)  # up to 9999-12-31
    return pl.from_epoch(ms.round(0).cast(pl.Int64), time_unit="ms").cast(pl.Datetime("ms")) \
        .dt.replace_time_zone("UTC")


def _epochs(value: pl.Series) -> pl.Series:
    """Return ``epoch_to_ts`` of a Series."""
    return pl.DataFrame({"v": value}).select(epoch_to_ts(pl.col("v"))).to_series()


def _json(lines: pl.Series) -> pl.Series:
    """Return the time held by each JSON line's timestamp field."""
    g = lines.str.extract_groups(_JSON_FIELD)
    text, number = g.struct.field("1"), g.struct.field("2")
    if text.null_count() < len(text):
        number = number.fill_null(text.str.extract(r"^(\d+(?:\.\d+)?)$", 1))
    epoch = _epochs(number)
    if text.null_count() == len(text):
        return epoch
    return _iso_text(text.str.extract(_ISO_FULL, 1)).fill_null(epoch)


def _syslog(lines: pl.Series, ref: datetime) -> pl.Series:
    """Return the time of a syslog ``Mar  7 14:02:01`` stamp, its year taken from ``ref``."""
    stamp = lines.str.slice(0, 32).str.extract(_SYSLOG, 1)
    this = _parse(f"{ref.year} " + stamp, "%Y %b %d %H:%M:%S", False)
    late = this.is_null() | (this > ref + timedelta(days=1))
    if not late.any():
        return this
    before = _parse(f"{ref.year - 1} " + stamp, "%Y %b %d %H:%M:%S", False)
    return before.zip_with(late, this)


def _steps(ref: datetime, layout: tuple[int, int, str, bool] | None) -> list:
    """Return the (name, parser of a Series of lines) steps, the block's usual layout first."""
    steps = [("json", _json)]
    if layout is not None:
        off, length, fmt, aware = layout
        steps.append(("layout", lambda s: _parse(s.str.slice(off, length), fmt, aware)))
    return steps + [
        ("iso", lambda s: _iso_text(s.str.slice(0, 96).str.extract(_ISO_HEAD, 1))),
        ("apache", lambda s: _parse(s.str.slice(0, 160).str.extract(_APACHE, 1),
                                    "%d/%b/%Y:%H:%M:%S %z", True)),
        ("syslog", lambda s: _syslog(s, ref)),
        ("epoch", lambda s: _epochs(s.str.slice(0, 32).str.extract(_EPOCH_HEAD, 1)))]


def extract_times(lines: pl.Series, ref: datetime) -> pl.Series:
    """Return each line's timestamp as ``Datetime("ms", "UTC")``, null where it has none.

    >>> from datetime import datetime, timezone
    >>> import polars as pl
    >>> lines = pl.Series(["2024-03-07 14:02:01,250 ERROR boom", "  at Foo.bar(Foo.java:1)",
    ...                    '{"ts": 1709820121000, "msg": "hi"}', "Mar  7 14:02:01 host sshd: ok"])
    >>> [str(t) for t in extract_times(lines, datetime(2024, 3, 8, tzinfo=timezone.utc))]
    ['2024-03-07 14:02:01.250000+00:00', 'None', '2024-03-07 14:02:01+00:00', \
'2024-03-07 14:02:01+00:00']
    """
    ts = pl.Series("ts", [None] * len(lines), dtype=TS)
    sample = lines.head(200).drop_nulls().to_list()
    for name, step in _steps(ref, _iso_layout(sample)):
        todo = ts.is_null()
        if name == "json":
            todo = todo & lines.str.starts_with("{").fill_null(False)
        rows = todo.arg_true()
        if rows.len() == 0:
            continue
        part = step(lines if rows.len() == len(ts) else lines.gather(rows))
        part = part.cast(TS)  # scatter writes physical values: the units must agree
        ts = part.alias("ts") if rows.len() == len(ts) else ts.scatter(rows, part)
    return ts


def fill_times(ts: pl.Series, carry: datetime | None,
               default: datetime) -> tuple[pl.Series, int, datetime | None]:
    """Return (times filled forward from ``carry``, lines that got ``default``, new carry).

    A line without a time inherits the previous line's; lines before any time (no ``carry``
    either) get ``default`` and are counted, so the caller can report them as unparsed.
    """
    filled = ts.fill_null(strategy="forward")
    leading = filled.null_count()
    if leading:
        filled = filled.fill_null(pl.lit(carry if carry is not None else default).cast(TS))
    last = filled[-1] if len(filled) else carry
    return filled, (leading if carry is None else 0), last
