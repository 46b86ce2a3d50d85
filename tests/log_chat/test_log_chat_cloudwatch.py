"""CloudWatchLogSource against a real moto server on loopback (HTTP), seeded once per module.

Filter patterns used here are the ones moto evaluates (single terms and quoted phrases); the
expected events come from the labels the seed gave each event, not from moto's matcher.
"""
from __future__ import annotations

import random
import socket
from datetime import UTC, datetime, timedelta

import pytest
from cw_helpers import logs_client, put_events

from workbench.errors import BadInput, WorkbenchError
from workbench.ingest.cloudwatch import CloudWatchLogSource
from workbench.ingest.log_source import LogEvents, LogGroup

ROOT = "/lcw-test"
LAMBDA, ECS, BIG = f"{ROOT}/lambda/", f"{ROOT}/ecs/", f"{ROOT}/big/orders"
NOW = datetime.now(UTC).replace(microsecond=0)
BASE = NOW - timedelta(hours=6)
BASE_MS = int(BASE.timestamp() * 1000)
BIG_EVENTS = 12_500  # one a second over three streams: more than one FilterLogEvents page


def _small_group(rng: random.Random, group: str) -> list[tuple[str, int, str, str]]:
    """Return (stream, ts_ms, level, message) events of one small group."""
    out = []
    for i in range(rng.randrange(12, 24)):
        ts = BASE_MS + rng.randrange(5 * 3600 * 1000)
        level = rng.choice(("INFO", "INFO", "INFO", "WARN", "ERROR"))
        kind = "declined" if level == "ERROR" and rng.random() < 0.5 else "other"
        text = {"INFO": f"request {i} handled in {rng.randrange(900)} ms",
                "WARN": f"slow downstream call {rng.randrange(9)} retrying",
                "ERROR": "payment declined code=51" if kind == "declined"
                else f"upstream timeout after {rng.randrange(30)} s"}[level]
        out.append((f"2026/01/01/[$LATEST]{i % 2}", ts, level, f"{level} {group} {text}"))
    return out


@pytest.fixture(scope="module")
def seeded(moto_server) -> dict[str, list[tuple[str, int, str, str]]]:
    """Seed 40 lambda groups, 15 ecs groups and one big group; return their events by group."""
    client, rng = logs_client(moto_server), random.Random(7)
    data = {f"{LAMBDA}svc-{n:02d}": [] for n in range(40)}
    data |= {f"{ECS}app-{n:02d}": [] for n in range(15)}
    for group in data:
        data[group] = _small_group(rng, group)
    data[BIG] = [(f"web-{i % 3}", BASE_MS + i * 1000, "ERROR" if i % 7 == 0 else "INFO",
                  f"ERROR order {i} failed: timeout" if i % 7 == 0
                  else f"INFO order {i} processed in {i % 97} ms") for i in range(BIG_EVENTS)]
    for group, events in data.items():
        for stream in sorted({e[0] for e in events}):
            put_events(client, group, stream, [(e[1], e[3]) for e in events if e[0] == stream])
    return data


def _rows(result: LogEvents) -> list[tuple[str, int, str, str]]:
    """Return (group, ts_ms, message, stream) rows of a result, in its order."""
    f = result.frame
    assert f.columns == ["log_group", "ts", "message", "stream"]
    assert str(f.schema["ts"]) == "Datetime(time_unit='ms', time_zone='UTC')"
    return [(g, int(t.timestamp() * 1000), m, s)
            for g, t, m, s in zip(f["log_group"], f["ts"], f["message"], f["stream"], strict=True)]


def _expect(seeded, groups, keep=lambda e: True) -> list[tuple[str, int, str, str]]:
    """Return the seeded events of ``groups`` that ``keep`` accepts, sorted as a result is."""
    rows = [(g, e[1], e[3], e[0]) for g in groups for e in seeded[g] if keep(e)]
    return sorted(rows, key=lambda r: (r[1], r[0], r[3]))


def test_lists_all_groups_over_pages_and_by_prefix(seeded, cloudwatch_proxy):
    src = CloudWatchLogSource()
    groups = src.list_groups(ROOT)
    assert [g.name for g in groups] == sorted(seeded)  # 56 groups: two pages of 50
    assert all(isinstance(g, LogGroup) and g.stored_bytes for g in groups)
    assert cloudwatch_proxy.operations["DescribeLogGroups"] >= 2
    assert [g.name for g in src.list_groups(LAMBDA)] == sorted(g for g in seeded if "/lambda/" in g)
    assert [g.name for g in src.list_groups(ECS, limit=7)] == sorted(
        g for g in seeded if "/ecs/" in g)[:7]
    assert src.list_groups(f"{ROOT}/none/") == []


def test_fetch_all_pages_of_a_big_group(seeded, cloudwatch_proxy):
    got = CloudWatchLogSource().fetch(BIG, limit=None)
    assert _rows(got) == _expect(seeded, [BIG])
    assert len(got.frame) == BIG_EVENTS and not got.truncated and got.scanned == BIG_EVENTS
    assert cloudwatch_proxy.operations["FilterLogEvents"] >= 2


def test_fetch_time_window_is_half_open(seeded, aws_env):
    start, end = BASE + timedelta(hours=1), BASE + timedelta(hours=2)
    lo, hi = BASE_MS + 3_600_000, BASE_MS + 7_200_000
    got = CloudWatchLogSource().fetch(BIG, start=start, end=end, limit=None)
    assert _rows(got) == _expect(seeded, [BIG], lambda e: lo <= e[1] < hi)
    assert len(got.frame) == 3600  # one event a second; the one at `end` is outside
    naive = CloudWatchLogSource().fetch(BIG, start=start.replace(tzinfo=None),
                                        end=end.replace(tzinfo=None), limit=None)
    assert _rows(naive) == _rows(got)  # naive datetimes mean UTC


def test_fetch_filter_patterns(seeded, aws_env):
    src = CloudWatchLogSource()
    group = f"{LAMBDA}svc-03"
    assert _rows(src.fetch(group, filter_pattern="ERROR")) == _expect(
        seeded, [group], lambda e: e[2] == "ERROR")
    assert _rows(src.fetch(group, filter_pattern='"payment declined"')) == _expect(
        seeded, [group], lambda e: "payment declined" in e[3])
    errors = src.fetch(BIG, filter_pattern="ERROR timeout", limit=None)
    assert _rows(errors) == _expect(seeded, [BIG], lambda e: e[2] == "ERROR")


def test_fetch_stops_at_limit_and_says_so(seeded, aws_env):
    src = CloudWatchLogSource()
    small = src.fetch(BIG, limit=2500)
    assert _rows(small) == _expect(seeded, [BIG])[:2500]
    assert small.truncated and "2,500" in small.note and BIG in small.note
    across = src.fetch(BIG, limit=12_000)  # the limit falls in the second page
    assert _rows(across) == _expect(seeded, [BIG])[:12_000] and across.truncated
    group = f"{ECS}app-01"
    whole = src.fetch(LogGroup(group))
    assert _rows(whole) == _expect(seeded, [group]) and not whole.truncated and whole.note == ""


def test_search_merges_groups_by_time(seeded, aws_env):
    src = CloudWatchLogSource()
    groups = [g for g in seeded if g.startswith((LAMBDA, ECS))]
    want = _expect(seeded, groups, lambda e: e[2] == "ERROR")
    got = src.search("ERROR", prefixes=[LAMBDA, ECS, f"{LAMBDA}svc-1"])  # overlap: no duplicates
    assert _rows(got) == want and not got.truncated and got.note == ""
    first = src.search("ERROR", prefixes=(LAMBDA, ECS), limit=15)
    assert _rows(first) == want[:15] and first.truncated and "55 groups" in first.note
    window = src.search("", start=BASE + timedelta(hours=2), end=BASE + timedelta(hours=3),
                        prefixes=ECS)
    lo, hi = BASE_MS + 7_200_000, BASE_MS + 10_800_000
    assert _rows(window) == _expect(seeded, [g for g in groups if g.startswith(ECS)],
                                    lambda e: lo <= e[1] < hi)
    none = src.search("ERROR", prefixes=[f"{ROOT}/none/"])
    assert none.frame.is_empty() and "no log groups under" in none.note


@pytest.mark.parametrize("code", ["ThrottlingException", "TooManyRequestsException",
                                  "LimitExceededException"])
def test_throttling_is_retried_and_counted(seeded, cloudwatch_proxy, code):
    src = CloudWatchLogSource()
    cloudwatch_proxy.fail(2, code=code)
    groups = src.list_groups(ECS)
    assert [g.name for g in groups] == sorted(g for g in seeded if g.startswith(ECS))
    assert cloudwatch_proxy.failed["DescribeLogGroups"] == 2
    assert src.retries == 2 and src.requests == 3


def test_throttling_past_botocore_attempts_resumes_the_same_page(seeded, cloudwatch_proxy):
    src = CloudWatchLogSource(max_attempts=2, backoff_s=0.05)
    cloudwatch_proxy.fail(3, after=1)  # page 2: two throttles spend botocore's attempts, then one
    got = src.fetch(BIG, limit=None)
    assert _rows(got) == _expect(seeded, [BIG])  # complete, nothing twice
    assert cloudwatch_proxy.failed["FilterLogEvents"] == 3 and src.retries == 3
    assert cloudwatch_proxy.operations["FilterLogEvents"] == 2  # two pages, none fetched twice


def test_persistent_throttling_is_a_transient_error(seeded, cloudwatch_proxy):
    src = CloudWatchLogSource(max_attempts=1, throttle_rounds=2, backoff_s=0.01)
    cloudwatch_proxy.fail(50)
    with pytest.raises(WorkbenchError) as info:
        src.fetch(BIG)
    assert not isinstance(info.value, BadInput)
    assert info.value.code == "RATE_LIMIT" and info.value.transient
    assert cloudwatch_proxy.failed["FilterLogEvents"] == 3


def test_retry_settings_come_from_the_aws_configuration(seeded, cloudwatch_proxy, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    cloudwatch_proxy.fail(2)
    with pytest.raises(WorkbenchError, match="throttling"):
        CloudWatchLogSource(throttle_rounds=0).list_groups(ECS)
    assert cloudwatch_proxy.failed["DescribeLogGroups"] == 1  # one attempt, no retry


def test_access_denied_and_server_errors(seeded, cloudwatch_proxy):
    src = CloudWatchLogSource(max_attempts=1)
    cloudwatch_proxy.fail(1, code="AccessDeniedException")
    with pytest.raises(BadInput, match="access denied") as info:
        src.fetch(BIG)
    assert info.value.exit_code == 2 and BIG in str(info.value)
    cloudwatch_proxy.fail(1, code="ServiceUnavailableException", status=503)
    with pytest.raises(WorkbenchError) as info:
        src.list_groups()
    assert info.value.transient and not isinstance(info.value, BadInput)


def test_missing_group_is_bad_input_naming_it(seeded, aws_env):
    with pytest.raises(BadInput) as info:
        CloudWatchLogSource().fetch(f"{ROOT}/no-such-group")
    assert f"{ROOT}/no-such-group" in str(info.value) and "does not exist" in str(info.value)
    assert info.value.exit_code == 2 and f"{ROOT}/big/orders" in str(info.value)  # a neighbour


def test_no_credentials_is_bad_input(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    src = CloudWatchLogSource()
    assert src.fingerprint().endswith("|anonymous")
    with pytest.raises(BadInput, match="no AWS credentials"):
        src.list_groups()


def test_region_and_profile_problems_fail_before_any_call(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(BadInput, match="no AWS region"):
        CloudWatchLogSource().list_groups()
    with pytest.raises(BadInput, match="not a valid region"):
        CloudWatchLogSource(region="not a region!")
    with pytest.raises(BadInput, match="'nope'"):
        CloudWatchLogSource(region="us-east-1", profile="nope")


def test_unreachable_endpoint_is_bad_input(aws_env, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed)
    with pytest.raises(BadInput, match="cannot reach") as info:
        CloudWatchLogSource(max_attempts=1).list_groups()
    assert closed in str(info.value)


def test_standard_configuration_is_honoured(seeded, aws_env, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # the logs-specific one wins
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", aws_env.endpoint)
    src = CloudWatchLogSource()
    assert (src.endpoint, src.region, src.kind) == (aws_env.endpoint, "us-east-1", "cloudwatch")
    assert len(src.list_groups(ECS)) == 15
    other = CloudWatchLogSource(region="eu-west-1")
    assert other.region == "eu-west-1" and other.list_groups(ROOT) == []  # regions are apart
    assert src.fingerprint() == CloudWatchLogSource().fingerprint() != other.fingerprint()
    assert aws_env.endpoint in src.fingerprint() and "testing" not in src.fingerprint()


def test_bad_arguments_are_bad_input(aws_env):
    src = CloudWatchLogSource()
    with pytest.raises(BadInput, match="limit"):
        src.fetch(BIG, limit=0)
    with pytest.raises(BadInput, match="empty"):
        src.fetch(BIG, start=NOW, end=NOW - timedelta(hours=1))
    with pytest.raises(BadInput, match="datetime"):
        src.fetch(BIG, start="1h ago")  # type: ignore[arg-type]
