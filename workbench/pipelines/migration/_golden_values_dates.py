"""Value generators of the ``datetime.*`` domains and ``person.birth_date``: dates, timestamps,
years, months, times of day and durations in the formats old systems mix."""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ._golden_gen import Gen, _lognum, registrar
from ._golden_vocab import vocab

MONTHS_EN, MONTHS_FULL = vocab()["months_short"], vocab()["months_full"]
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


_DATE_FMTS: dict[str, Callable[[date], str]] = {
    "iso": lambda d: d.isoformat(),
    "dmy_dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "mdy_slash": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "mdy_short": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
    "compact": lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    "text": lambda d: f"{MONTHS_EN[d.month - 1]} {d.day} {d.year}",
    "text_comma": lambda d: f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
    "dmy_text": lambda d: f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
    "dmy_dash_mon": lambda d: f"{d.day:02d}-{MONTHS_EN[d.month - 1]}-{d.year}",
    "dmy_dash": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    "ymd_slash": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
}
_LOCAL_DATE = {"US": "mdy_slash", "GB": "dmy_slash", "DE": "dmy_dot", "FR": "dmy_slash",
               "ES": "dmy_slash", "PT": "dmy_slash", "IT": "dmy_slash", "NL": "dmy_dash"}


def _date_style(rng: random.Random, ctx: dict) -> str:
    if ctx.get("fmt"):
        return ctx["fmt"]
    r = rng.random()
    if r < 0.35:
        return "iso"
    if r < 0.65:
        return _LOCAL_DATE[ctx["country"]]
    if r < 0.8:
        return "mixed"
    return rng.choice(["compact", "text", "text_comma", "dmy_text", "dmy_dash_mon", "mdy_short",
                       "ymd_slash"])


def _dates(rng: random.Random, n: int, ctx: dict, start: date, end: date) -> list[str]:
    style = _date_style(rng, ctx)
    mix = ["iso", _LOCAL_DATE[ctx["country"]], "compact", "text", "dmy_dot"]
    span = (end - start).days
    out = []
    for _ in range(n):
        d = start + timedelta(days=rng.randrange(span))
        out.append(_DATE_FMTS[rng.choice(mix) if style == "mixed" else style](d))
    return out


@_gen("person.birth_date")
def _birth_dates(rng, n, ctx):
    return _dates(rng, n, ctx, date(1936, 1, 1), date(2006, 12, 31))


@_gen("datetime.date")
def _plain_dates(rng, n, ctx):
    lo, hi = ctx.get("years", (2014, 2025))
    return _dates(rng, n, ctx, date(lo, 1, 1), date(hi, 6, 30))


def _ts_text(dt: datetime, style: str, offset: str) -> str:
    if style == "iso_z":
        return f"{dt:%Y-%m-%dT%H:%M:%S}Z"
    if style == "iso_space":
        return f"{dt:%Y-%m-%d %H:%M:%S}"
    if style == "iso_ms":
        return f"{dt:%Y-%m-%d %H:%M:%S}.{dt.microsecond // 1000:03d}"
    if style == "iso_offset":
        return f"{dt:%Y-%m-%dT%H:%M:%S}{offset}"
    if style == "iso_micro_z":
        return f"{dt:%Y-%m-%dT%H:%M:%S.%f}Z"
    if style == "dmy_dot":
        return f"{dt:%d.%m.%Y %H:%M}"
    if style == "dmy_slash":
        return f"{dt:%d/%m/%Y %H:%M:%S}"
    if style == "us_ampm":
        h = dt.hour % 12 or 12
        return f"{dt.month}/{dt.day}/{dt.year} {h}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"
    if style == "epoch":
        return str(int(dt.replace(tzinfo=UTC).timestamp()))
    if style == "date_only":
        return dt.date().isoformat()
    return f"{dt:%Y-%m-%d %H:%M}"


@_gen("datetime.timestamp", "datetime.created_at", "datetime.updated_at")
def _timestamps(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(
        ["iso_z", "iso_space", "iso_space", "iso_ms", "iso_offset", "iso_micro_z", "dmy_dot",
         "dmy_slash", "us_ampm", "epoch", "date_only", "minutes"])
    offset = rng.choice(["+01:00", "+02:00", "-05:00", "+00:00", "+0100"])
    lo, hi = ctx.get("years", (2016, 2025))
    start = datetime(lo, 1, 1)
    span = int((datetime(hi, 6, 30) - start).total_seconds())
    return [_ts_text(start + timedelta(seconds=rng.randrange(span),
                                       microseconds=rng.randrange(1_000_000)), style, offset)
            for _ in range(n)]


@_gen("datetime.year")
def _years(rng, n, ctx):
    lo, hi = ctx.get("years", (1998, 2025))
    fy = rng.random() < 0.1
    return [("FY" if fy else "") + str(rng.randint(lo, hi)) for _ in range(n)]


@_gen("datetime.month")
def _months(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["num", "num", "pad", "short", "full", "period"])
    out = []
    for _ in range(n):
        m = rng.randint(1, 12)
        out.append({"num": str(m), "pad": f"{m:02d}", "short": MONTHS_EN[m - 1],
                    "full": MONTHS_FULL[m - 1],
                    "period": f"{rng.randint(2019, 2025)}-{m:02d}"}[style])
    return out


@_gen("datetime.time_of_day")
def _times(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["hm", "hm", "hms", "ampm", "dot", "hhmm"])
    out = []
    for _ in range(n):
        h, m, s = rng.randint(6, 21), rng.choice(range(0, 60, rng.choice([1, 5, 15]))), \
            rng.randint(0, 59)
        if style == "hm":
            out.append(f"{h:02d}:{m:02d}")
        elif style == "hms":
            out.append(f"{h:02d}:{m:02d}:{s:02d}")
        elif style == "ampm":
            out.append(f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}")
        elif style == "dot":
            out.append(f"{h:02d}.{m:02d}")
        else:
            out.append(f"{h:02d}{m:02d}")
    return out


@_gen("datetime.duration")
def _durations(rng, n, ctx):
    unit = ctx.get("unit") or rng.choice(["s", "min", "h", "hms", "iso", "text"])
    lo, hi = ctx.get("seconds", (20, 30000))
    out = []
    for _ in range(n):
        sec = int(_lognum(rng, lo, hi))
        if unit == "s":
            out.append(str(sec))
        elif unit == "min":
            out.append(str(max(1, round(sec / 60))))
        elif unit == "h":
            out.append(f"{sec / 3600:.1f}")
        elif unit == "d":
            out.append(f"{sec / 86400:.1f}")
        elif unit == "hms":
            out.append(f"{sec // 3600}:{sec // 60 % 60:02d}:{sec % 60:02d}")
        elif unit == "iso":
            h, m = sec // 3600, sec // 60 % 60
            out.append("PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else ""))
        else:
            out.append(rng.choice([f"{max(1, round(sec / 60))} min", f"{sec} sec",
                                   f"{sec / 3600:.1f} h"]))
    return out
