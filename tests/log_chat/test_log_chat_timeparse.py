"""parse_time / parse_window: every accepted form, offsets, day boundaries and the errors."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from workbench.pipelines.log_chat.timeparse import ACCEPTED_FORMS, parse_time, parse_window

NOW = datetime(2024, 3, 7, 14, 30, 15, 500000, tzinfo=UTC)


@pytest.mark.parametrize(("text", "back"), [
    ("1h ago", timedelta(hours=1)),
    ("30m ago", timedelta(minutes=30)),
    ("2 days ago", timedelta(days=2)),
    ("90s ago", timedelta(seconds=90)),
    ("15 minutes ago", timedelta(minutes=15)),
    ("1 minute ago", timedelta(minutes=1)),
    ("1 week ago", timedelta(weeks=1)),
    ("3 hrs ago", timedelta(hours=3)),
    ("10 sec ago", timedelta(seconds=10)),
    ("2h", timedelta(hours=2)),
    ("24h", timedelta(hours=24)),
    ("2 days", timedelta(days=2)),
    ("-1h", timedelta(hours=1)),
    ("last 3 hours", timedelta(hours=3)),
    ("past 2 days", timedelta(days=2)),
    ("last hour", timedelta(hours=1)),
    ("last week", timedelta(weeks=1)),
    ("1h30m ago", timedelta(minutes=90)),
    ("1h 30m", timedelta(minutes=90)),
    ("1.5h ago", timedelta(minutes=90)),
    ("now-1h", timedelta(hours=1)),
    ("now - 90m", timedelta(minutes=90)),
    ("  1H AGO ", timedelta(hours=1)),
    ("now", timedelta(0)),
    ("NOW", timedelta(0)),
])
def test_relative_times_count_back_from_now(text, back):
    assert parse_time(text, NOW) == NOW - back


def test_today_and_yesterday_are_day_starts_in_utc():
    assert parse_time("today", NOW) == datetime(2024, 3, 7, tzinfo=UTC)
    assert parse_time("yesterday", NOW) == datetime(2024, 3, 6, tzinfo=UTC)
    # across a month boundary, and with a ``now`` given in another zone
    first = datetime(2024, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # Feb 29 22:30 UTC
    assert parse_time("today", first) == datetime(2024, 2, 29, tzinfo=UTC)
    assert parse_time("yesterday", first) == datetime(2024, 2, 28, tzinfo=UTC)
    # exactly at midnight, today is now
    midnight = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_time("today", midnight) == midnight
    assert parse_time("yesterday", midnight) == datetime(2023, 12, 31, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-07T14:02:01Z", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("2024-03-07T14:02:01z", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("2024-03-07T14:02:01.250Z", datetime(2024, 3, 7, 14, 2, 1, 250000, tzinfo=UTC)),
    ("2024-03-07T14:02:01.123456+00:00", datetime(2024, 3, 7, 14, 2, 1, 123456, tzinfo=UTC)),
    ("2024-03-07T16:02:01+02:00", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("2024-03-07T09:32:01-04:30", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("2024-03-07T16:02:01+0200", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("2024-03-07 14:02:01", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),  # naive means UTC
    ("2024-03-07 14:02:01,5", datetime(2024, 3, 7, 14, 2, 1, 500000, tzinfo=UTC)),
    ("2024-03-07T14:02", datetime(2024, 3, 7, 14, 2, tzinfo=UTC)),
    ("2024-03-07 14:02:01 UTC", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("20240307T140201Z", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("2024-03-01T01:00:00+05:00", datetime(2024, 2, 29, 20, 0, tzinfo=UTC)),  # leap day
    ("2024-03-07", datetime(2024, 3, 7, tzinfo=UTC)),
    ("2024/03/07", datetime(2024, 3, 7, tzinfo=UTC)),
    ("2024/3/7", datetime(2024, 3, 7, tzinfo=UTC)),
    ("20240307", datetime(2024, 3, 7, tzinfo=UTC)),
])
def test_iso_8601_and_plain_dates(text, expected):
    got = parse_time(text, NOW)
    assert got == expected
    assert got.tzinfo is UTC


@pytest.mark.parametrize(("text", "expected"), [
    ("1709820121", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("1709820121.5", datetime(2024, 3, 7, 14, 2, 1, 500000, tzinfo=UTC)),
    ("1709820121000", datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),
    ("1709820121123", datetime(2024, 3, 7, 14, 2, 1, 123000, tzinfo=UTC)),
    ("1709820121123456", datetime(2024, 3, 7, 14, 2, 1, 123456, tzinfo=UTC)),
    ("1709820121123456789", datetime(2024, 3, 7, 14, 2, 1, 123456, tzinfo=UTC)),
    ("0", datetime(1970, 1, 1, tzinfo=UTC)),
    (1709820121, datetime(2024, 3, 7, 14, 2, 1, tzinfo=UTC)),  # a number from JSON
])
def test_epochs_told_apart_by_magnitude(text, expected):
    assert parse_time(text, NOW) == expected


def test_seconds_and_milliseconds_boundary():
    below = parse_time(str(10**11 - 1), NOW)  # largest seconds value: the year 5138
    above = parse_time(str(10**11), NOW)  # smallest milliseconds value: 1973
    assert below.year == 5138
    assert above == datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)


def test_epoch_round_trips_for_random_instants():
    rng = random.Random(12)
    for _ in range(300):
        t = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(milliseconds=rng.randrange(10**12))
        ms = (t - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
        assert parse_time(str(ms), NOW) == t
        assert parse_time(str(ms // 1000), NOW) == t.replace(microsecond=0)
        assert parse_time(t.isoformat(), NOW) == t
        assert parse_time(t.astimezone(timezone(timedelta(hours=-7))).isoformat(), NOW) == t


def test_naive_now_is_utc_and_results_are_utc():
    naive = NOW.replace(tzinfo=None)
    assert parse_time("1h ago", naive) == NOW - timedelta(hours=1)
    other = NOW.astimezone(timezone(timedelta(hours=9)))
    assert parse_time("now", other).tzinfo is UTC
    assert parse_time("now", other) == NOW


@pytest.mark.parametrize("text", [
    "", "   ", "foo", "1 month ago", "2 years ago", "1x ago", "ago", "last", "yesterdayish",
    "2024-13-01", "2024-02-30", "07/03/2024", "1h ago ago", "12345678901234567890123",
    "tomorrow", "-", "1e9", "now+1h",
])
def test_anything_else_is_a_value_error_naming_text_and_forms(text):
    with pytest.raises(ValueError) as err:
        parse_time(text, NOW)
    message = str(err.value)
    assert repr(text) in message
    assert "1h ago" in message and "ISO 8601" in message and "epoch" in message
    assert ACCEPTED_FORMS in message


def test_non_text_is_a_value_error():
    with pytest.raises(ValueError, match="not text"):
        parse_time(None, NOW)  # type: ignore[arg-type]


def test_parse_window_defaults_and_order():
    assert parse_window(None, None, NOW) == (None, NOW)
    assert parse_window("", "", NOW) == (None, NOW)
    assert parse_window("1h ago", None, NOW) == (NOW - timedelta(hours=1), NOW)
    start, end = parse_window("yesterday", "today", NOW)
    assert (start, end) == (datetime(2024, 3, 6, tzinfo=UTC), datetime(2024, 3, 7, tzinfo=UTC))
    assert parse_window("now", "now", NOW) == (NOW, NOW)
    with pytest.raises(ValueError, match="starts after it ends"):
        parse_window("1h ago", "2h ago", NOW)
    with pytest.raises(ValueError, match="cannot read 'soon'"):
        parse_window("soon", None, NOW)
