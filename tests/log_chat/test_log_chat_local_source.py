"""LocalLogSource on real files: formats, groups, windows, patterns, limits, cache, streaming."""
from __future__ import annotations

import gzip
import json
import os
import time
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.ingest.log_local import LocalLogSource
from workbench.ingest.log_source import EVENTS_SCHEMA, LogEvents, LogSource

T0 = datetime(2024, 3, 7, 14, 0, tzinfo=UTC)

APP = """\
starting up without a clock
2024-03-07 14:00:00,100 INFO service started
2024-03-07 14:00:01,250 ERROR payment failed for order 17
java.lang.IllegalStateException: boom
    at com.shop.Pay.charge(Pay.java:42)
    at com.shop.Api.post(Api.java:7)

2024-03-07 14:00:02,000 WARN slow request took 900ms
2024-03-07 14:00:03,999 INFO done
"""


def write(path, text, mtime: datetime | None = None):
    path.parent.mkdir(parents=True, exist_ok=True)
    if str(path).endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def ts(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_plain_file_events_inherit_times_and_count_unparsed(tmp_path):
    mtime = ts(2024, 3, 8, 9, 0)
    write(tmp_path / "app.log", APP, mtime)
    src = LocalLogSource([tmp_path / "app.log"])
    assert isinstance(src, LogSource) and src.kind == "local"
    [group] = src.list_groups()
    assert group.name == "app.log" and group.stored_bytes == len(APP.encode())
    events = src.fetch("app.log", limit=None)
    assert isinstance(events, LogEvents)
    assert events.frame.schema == EVENTS_SCHEMA
    assert events.frame.height == 8  # the blank line is no event
    rows = dict(zip(events.frame["message"], events.frame["ts"], strict=True))
    assert rows["java.lang.IllegalStateException: boom"] == ts(2024, 3, 7, 14, 0, 1, 250000)
    assert rows["    at com.shop.Api.post(Api.java:7)"] == ts(2024, 3, 7, 14, 0, 1, 250000)
    assert rows["starting up without a clock"] == mtime  # before any time: the file's mtime
    assert events.frame["message"][-1] == "starting up without a clock"  # sorted by time
    assert set(events.frame["stream"]) == {"app.log"} and set(events.frame["log_group"]) == {
        "app.log"}
    assert src.unparsed("app.log") == 1
    assert src.unparsed_lines("app.log").rows() == [(1, "starting up without a clock")]
    assert "1 line(s)" in events.note and "modification time" in events.note
    described = src.describe("app.log")
    assert (described.events, described.first_ts, described.last_ts) == (
        8, ts(2024, 3, 7, 14, 0, 0, 100000), mtime)
    assert src.list_groups()[0].events == 8  # known once read


def test_each_timestamp_format(tmp_path):
    mtime = ts(2024, 3, 8, 0, 0)
    lines = {
        "iso_z.log": ("2024-03-07T14:02:01.123Z GET /", ts(2024, 3, 7, 14, 2, 1, 123000)),
        "iso_offset.log": ("2024-03-07T16:02:01+02:00 x", ts(2024, 3, 7, 14, 2, 1)),
        "iso_compact_offset.log": ("2024-03-07 07:02:01.5 -0700 x", ts(2024, 3, 7, 14, 2, 1, 500000)),
        "iso_naive.log": ("2024-03-07T14:02:01 x", ts(2024, 3, 7, 14, 2, 1)),
        "iso_micro.log": ("2024-03-07T14:02:01.123456+00:00 x", ts(2024, 3, 7, 14, 2, 1, 123000)),
        "python.log": ("2024-03-07 14:02:01,250 - app - INFO - hi", ts(2024, 3, 7, 14, 2, 1, 250000)),
        "bracket.log": ("[2024-03-07 14:02:01] x", ts(2024, 3, 7, 14, 2, 1)),
        "lambda.log": ("START RequestId: 1\n2024-03-07T14:02:01.000Z\tabc\tINFO\thi",
                       ts(2024, 3, 7, 14, 2, 1)),
        "syslog.log": ("Mar  7 14:02:01 web01 sshd[42]: Accepted", ts(2024, 3, 7, 14, 2, 1)),
        "syslog_pri.log": ("<34>Mar 17 01:02:03 host su: x", ts(2023, 3, 17, 1, 2, 3)),  # > mtime
        "nginx.log": ('10.0.0.1 - - [07/Mar/2024:07:02:01 -0700] "GET / HTTP/1.1" 200 5',
                      ts(2024, 3, 7, 14, 2, 1)),
        "squid.log": ("1709820121.250 35 10.0.0.1 TCP_MISS/200 512 GET http://x/",
                      ts(2024, 3, 7, 14, 2, 1, 250000)),
        "json_ms.jsonl": ('{"timestamp": 1709820121000, "level": "INFO"}', ts(2024, 3, 7, 14, 2, 1)),
        "json_s.jsonl": ('{"level": "INFO", "ts": 1709820121.5}', ts(2024, 3, 7, 14, 2, 1, 500000)),
        "json_iso.jsonl": ('{"@timestamp": "2024-03-07T15:02:01+01:00"}', ts(2024, 3, 7, 14, 2, 1)),
        "json_time.jsonl": ('{"msg": "x", "time": "2024-03-07 14:02:01"}', ts(2024, 3, 7, 14, 2, 1)),
    }
    for name, (text, _) in lines.items():
        write(tmp_path / name, text + "\n", mtime)
    src = LocalLogSource([tmp_path])
    for name, (text, expected) in lines.items():
        frame = src.fetch(name).frame
        stamped = text.splitlines()[-1]
        assert frame.filter(pl.col("message") == stamped)["ts"].to_list() == [expected], name
    assert src.unparsed("lambda.log") == 1 and src.unparsed("nginx.log") == 0


def test_jsonl_gz_and_folders(tmp_path):
    events = [{"timestamp": 1709820121000 + i * 1000, "level": lvl, "msg": f"m{i}"}
              for i, lvl in enumerate(["INFO", "ERROR", "INFO", "ERROR"])]
    write(tmp_path / "logs" / "svc" / "api.jsonl", "\n".join(map(json.dumps, events)) + "\n")
    write(tmp_path / "logs" / "svc" / "old.log.gz", APP)
    write(tmp_path / "logs" / "web" / "access.log", '1.2.3.4 - - [07/Mar/2024:14:00:00 +0000] "GET /"\n')
    write(tmp_path / "logs" / ".hidden" / "x.log", "2024-03-07 14:00:00 hidden\n")
    write(tmp_path / "logs" / ".dot.log", "2024-03-07 14:00:00 hidden\n")
    (tmp_path / "logs" / "image.bin").write_bytes(b"\x89PNG\x00\x00binary")
    write(tmp_path / "single.log", "2024-03-07 14:00:00 one\n")
    src = LocalLogSource([tmp_path / "logs", str(tmp_path / "single.log")])
    names = [g.name for g in src.list_groups()]
    assert names == ["single.log", "svc/api.jsonl", "svc/old.log.gz", "web/access.log"]
    assert [g.name for g in src.list_groups("svc/")] == ["svc/api.jsonl", "svc/old.log.gz"]
    assert len(src.list_groups(limit=2)) == 2
    errors = src.fetch("svc/api.jsonl", filter_pattern='{ $.level = "ERROR" }').frame
    assert errors["message"].to_list() == [json.dumps(events[1]), json.dumps(events[3])]
    assert errors["ts"].to_list() == [ts(2024, 3, 7, 14, 2, 2), ts(2024, 3, 7, 14, 2, 4)]
    gz = src.fetch("svc/old.log.gz", filter_pattern="at com.shop")
    assert gz.frame.height == 2 and gz.frame["stream"][0] == "old.log.gz"


def test_time_window_is_half_open(tmp_path):
    write(tmp_path / "app.log", APP)
    src = LocalLogSource([tmp_path / "app.log"])
    start, end = ts(2024, 3, 7, 14, 0, 1, 250000), ts(2024, 3, 7, 14, 0, 3, 999000)
    events = src.fetch("app.log", start, end)
    assert events.frame["message"].to_list() == [
        "2024-03-07 14:00:01,250 ERROR payment failed for order 17",
        "java.lang.IllegalStateException: boom",
        "    at com.shop.Pay.charge(Pay.java:42)",
        "    at com.shop.Api.post(Api.java:7)",
        "2024-03-07 14:00:02,000 WARN slow request took 900ms"]
    assert events.scanned == 5
    naive = src.fetch("app.log", start.replace(tzinfo=None), end.replace(tzinfo=None))
    assert naive.frame.equals(events.frame)  # naive bounds mean UTC
    assert src.fetch("app.log", ts(2030, 1, 1)).frame.height == 0
    with pytest.raises(BadInput, match="time window is empty"):
        src.fetch("app.log", end, start)
    with pytest.raises(BadInput, match="start must be a datetime"):
        src.fetch("app.log", "1h ago")  # type: ignore[arg-type]
    by_object = src.fetch(src.list_groups()[0], start, end)
    assert by_object.frame.equals(events.frame)


def test_filter_patterns(tmp_path):
    write(tmp_path / "app.log", APP)
    src = LocalLogSource([tmp_path / "app.log"])
    got = src.fetch("app.log", filter_pattern="?ERROR ?WARN -slow").frame["message"].to_list()
    assert got == ["2024-03-07 14:00:01,250 ERROR payment failed for order 17"]
    phrase = src.fetch("app.log", filter_pattern='"at com.shop"')
    assert phrase.frame.height == 2 and phrase.scanned == 8
    with pytest.raises(BadInput, match="unterminated quote"):
        src.fetch("app.log", filter_pattern='"oops')


def test_limit_keeps_the_first_matches_in_time_order(tmp_path):
    # newest first on disk: the limit must still give the earliest events
    lines = [f"{(T0 + timedelta(seconds=s)).isoformat()} event {s}" for s in range(99, -1, -1)]
    write(tmp_path / "rev.log", "\n".join(lines) + "\n")
    src = LocalLogSource([tmp_path], block_bytes=512)  # many blocks
    events = src.fetch("rev.log", limit=5)
    assert events.truncated and "first 5" in events.note
    assert events.frame["message"].to_list() == [f"{(T0 + timedelta(seconds=s)).isoformat()} "
                                                 f"event {s}" for s in range(5)]
    exact = src.fetch("rev.log", limit=100)
    assert not exact.truncated and exact.frame.height == 100 and exact.note == ""
    for bad in (0, -1, 2.5, True):
        with pytest.raises(BadInput, match="limit must be a positive integer or None"):
            src.fetch("rev.log", limit=bad)


def test_ordered_file_stops_early_once_the_limit_is_certain(tmp_path):
    lines = [f"{(T0 + timedelta(seconds=s)).isoformat()} event {s}" for s in range(2000)]
    write(tmp_path / "ok.log", "\n".join(lines) + "\n")
    src = LocalLogSource([tmp_path], block_bytes=4096)
    first = src.fetch("ok.log", limit=10)  # first read: the whole file
    assert first.scanned == 2000 and first.truncated
    again = src.fetch("ok.log", limit=10)  # now known to be in order: stops after a block
    assert again.frame.equals(first.frame) and again.truncated
    assert again.scanned < 200


def test_blocks_carry_times_across_boundaries(tmp_path):
    body = "".join(f"2024-03-07 14:00:{i:02d},000 ERROR e{i}\n" + "    at frame\n" * 7
                   for i in range(40))
    write(tmp_path / "trace.log", body)
    whole = LocalLogSource([tmp_path]).fetch("trace.log", limit=None).frame
    tiny = LocalLogSource([tmp_path], block_bytes=64).fetch("trace.log", limit=None).frame
    assert tiny.equals(whole) and whole.height == 320
    assert whole.filter(pl.col("message") == "    at frame")["ts"].n_unique() == 40


def test_unknown_group_and_missing_input(tmp_path):
    for i in range(12):
        write(tmp_path / f"g{i:02d}.log", "2024-03-07 14:00:00 x\n")
    src = LocalLogSource([tmp_path])
    with pytest.raises(BadInput) as err:
        src.fetch("nope.log")
    message = str(err.value)
    assert message.startswith("no log group 'nope.log'; known groups: 'g00.log'")
    assert "(and 4 more)" in message and err.value.exit_code == 2
    with pytest.raises(BadInput, match="does not exist"):
        LocalLogSource([tmp_path / "missing"])


def test_search_merges_groups_by_time(tmp_path):
    write(tmp_path / "a" / "one.log", "2024-03-07 14:00:01 ERROR a1\n2024-03-07 14:00:03 ERROR a3\n"
                                      "2024-03-07 14:00:05 INFO a5\n")
    write(tmp_path / "a" / "two.log", "2024-03-07 14:00:02 ERROR b2\n2024-03-07 14:00:04 ERROR b4\n")
    write(tmp_path / "b" / "three.log", "2024-03-07 14:00:00 ERROR c0\n")
    src = LocalLogSource([tmp_path])
    found = src.search("ERROR")
    assert [m.split()[-1] for m in found.frame["message"]] == ["c0", "a1", "b2", "a3", "b4"]
    assert found.frame["log_group"].to_list() == ["b/three.log", "a/one.log", "a/two.log",
                                                  "a/one.log", "a/two.log"]
    assert found.scanned == 6 and not found.truncated
    under_a = src.search("ERROR", prefixes=["a/"], limit=3)
    assert [m.split()[-1] for m in under_a.frame["message"]] == ["a1", "b2", "a3"]
    assert under_a.truncated and "first 3" in under_a.note
    window = src.search("", start=ts(2024, 3, 7, 14, 0, 2), end=ts(2024, 3, 7, 14, 0, 4))
    assert [m.split()[-1] for m in window.frame["message"]] == ["b2", "a3"]
    none = src.search("ERROR", prefixes=["zzz"])
    assert none.frame.height == 0 and "no log groups under 'zzz'" in none.note


def test_parquet_cache_is_reused_and_invalidated(tmp_path):
    logs, cache = tmp_path / "logs", tmp_path / "cache"
    write(logs / "app.log", APP)
    src = LocalLogSource([logs], cache_dir=cache)
    first = src.fetch("app.log", filter_pattern="ERROR")
    assert len(list((cache / "log_local").glob("*.parquet"))) == 1
    again = LocalLogSource([logs], cache_dir=cache)  # a new object finds the cache
    assert again.list_groups()[0].events == 8
    assert again.fetch("app.log", filter_pattern="ERROR").frame.equals(first.frame)
    assert again.unparsed("app.log") == 1
    before = again.fingerprint()
    write(logs / "app.log", APP + "2024-03-07 14:00:09,000 ERROR late\n",
          datetime.now(UTC) + timedelta(seconds=5))
    assert again.fingerprint() != before
    assert again.fetch("app.log", filter_pattern="ERROR").frame.height == 2
    assert len(list((cache / "log_local").glob("*.parquet"))) == 2


def test_fingerprint_and_empty_file(tmp_path):
    write(tmp_path / "empty.log", "")
    src = LocalLogSource([tmp_path], cache_dir=tmp_path / "cache")
    assert src.fingerprint().startswith("local:")
    assert src.fingerprint() == LocalLogSource([tmp_path]).fingerprint()
    events = src.fetch("empty.log")
    assert events.frame.height == 0 and events.frame.schema == EVENTS_SCHEMA
    assert src.describe("empty.log").events == 0
    assert src.fetch("empty.log").frame.height == 0  # from the (empty) cache entry


def test_streaming_200k_lines(tmp_path):
    n = 200_000
    frame = pl.DataFrame({"i": range(n)}).select(
        (pl.lit(T0) + pl.duration(milliseconds=pl.col("i") * 10)).dt.strftime(
            "%Y-%m-%d %H:%M:%S,%3f").alias("t"), pl.col("i"))
    lines = frame.select(pl.format("{} {} request {} took {}ms", "t",
                                   pl.when(pl.col("i") % 50 == 0).then(pl.lit("ERROR"))
                                   .otherwise(pl.lit("INFO")), "i", pl.col("i") % 1000))
    path = tmp_path / "big.log"
    lines.write_csv(path, include_header=False, quote_style="never")
    src = LocalLogSource([path], block_bytes=1 << 20)
    start = time.perf_counter()
    events = src.fetch("big.log", start=T0 + timedelta(seconds=100), filter_pattern="ERROR",
                       limit=1000)
    elapsed = time.perf_counter() - start
    expected = [i for i in range(10_000, n) if i % 50 == 0][:1000]
    assert events.frame["message"].str.extract(r"request (\d+)", 1).cast(int).to_list() == expected
    assert events.truncated and events.scanned == n - 10_000
    assert events.frame["ts"][0] == T0 + timedelta(seconds=100)
    assert elapsed < 10
