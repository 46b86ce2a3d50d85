"""The log_chat sample generator: same bytes for the same arguments, real formats, an incident
in the last two hours with a new exception template, and PII in the raw messages."""
from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workbench.errors import BadInput
from workbench.pipelines.log_chat.samples import (
    DEFAULT_NOW,
    FILES,
    INCIDENT,
    NEW_EXCEPTION,
    write_samples,
)

NOW = DEFAULT_NOW
NGINX = re.compile(r'^(\d{1,3}(?:\.\d{1,3}){3}) - - '
                   r'\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000)\] '
                   r'"(GET|POST) (\S+) HTTP/1\.1" (\d{3}) \d+ "[^"]*" "[^"]*" '
                   r'rt=[\d.]+ urt="[\d.]+"$')
ORDERS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00) (INFO |WARN |ERROR) "
                    r"\[[\w.-]+\] ")
CONTINUATION = re.compile(r"^(Traceback \(most recent call last\):|  File |    |\tat |\t\.\.\. "
                          r"|Caused by: |[\w.]+(Error|Exception|Timeout|Open): )")
SYSLOG = re.compile(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) ip-10-0-1-23 [\w-]+(\[\d+\])?: \S")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("log_chat_samples")
    paths = write_samples(out)
    assert [p.relative_to(out).as_posix() for p in paths] == list(FILES.values())
    return dict(zip(FILES, paths, strict=True))


def _lambda(path: Path) -> list[tuple[datetime, dict]]:
    rows = []
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        assert list(rec) == ["timestamp", "level", "requestId", "message"]
        rows.append((datetime.fromisoformat(rec["timestamp"]), rec))
    return rows


def _orders_blocks(path: Path) -> list[tuple[datetime, str]]:
    """Return (time, text) per record; continuation lines (stack traces) join their record."""
    blocks: list[tuple[datetime, str]] = []
    for line in path.read_text().splitlines():
        m = ORDERS.match(line)
        if m:
            blocks.append((datetime.fromisoformat(m.group(1)), line))
        else:
            assert CONTINUATION.match(line), line
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + "\n" + line)
    return blocks


def _nginx(path: Path) -> list[tuple[datetime, re.Match]]:
    out = []
    for line in path.read_text().splitlines():
        m = NGINX.match(line)
        assert m, line
        out.append((datetime.strptime(m.group(2), "%d/%b/%Y:%H:%M:%S %z"), m))
    return out


def _syslog(path: Path) -> list[datetime]:
    out = []
    for line in path.read_text().splitlines():
        m = SYSLOG.match(line)
        assert m, line
        ts = datetime.strptime(f"{NOW.year} {m.group(1)}", "%Y %b %d %H:%M:%S")
        out.append(ts.replace(tzinfo=UTC))
    return out


def test_same_arguments_same_bytes(tmp_path, samples):
    again = write_samples(tmp_path / "again")
    assert [p.read_bytes() for p in again] == [samples[k].read_bytes() for k in FILES]
    other = write_samples(tmp_path / "seed2", seed=2)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in again]
    iso = write_samples(tmp_path / "iso", now="2026-01-15T12:00:00Z")
    assert [p.read_bytes() for p in iso] == [p.read_bytes() for p in again]


def test_files_formats_and_time_span(samples):
    lo, hi = NOW - timedelta(hours=24), NOW
    times = {"checkout": [t for t, _ in _lambda(samples["checkout"])],
             "payments": [t for t, _ in _lambda(samples["payments"])],
             "nginx": [t for t, _ in _nginx(samples["nginx"])],
             "orders": [t for t, _ in _orders_blocks(samples["orders"])],
             "syslog": _syslog(samples["syslog"])}
    for name, ts in times.items():
        assert ts == sorted(ts), name  # each file in time order
        assert lo <= ts[0] and ts[-1] < hi, name
        assert ts[-1] - ts[0] > timedelta(hours=20), name  # covers the day
    records = sum(len(ts) for ts in times.values())
    assert 3000 <= records <= 6000  # about the 4000 lines asked for
    traces = [b for _, b in _orders_blocks(samples["orders"]) if "\n" in b]
    assert any("Traceback (most recent call last):" in b for b in traces)
    assert any("\tat com.acme" in b and "Caused by:" in b for b in traces)


def test_incident_error_spike_in_checkout(samples):
    start = NOW - INCIDENT
    errors = [t for t, r in _lambda(samples["checkout"]) if r["level"] == "ERROR"]
    before = [t for t in errors if t < start]
    during = [t for t in errors if t >= start]
    assert len(during) > len(before) > 0
    assert len(during) / 2 > 10 * len(before) / 22  # per hour: more than ten times the usual
    bad = [t for t, m in _nginx(samples["nginx"])
           if m.group(4) == "/api/checkout" and m.group(5) in ("502", "504")]
    assert bad and min(bad) >= start


def test_new_exception_only_in_the_incident(samples):
    start = NOW - INCIDENT
    hits = [t for t, r in _lambda(samples["checkout"]) if NEW_EXCEPTION in r["message"]]
    assert hits and min(hits) >= start
    blocks = [(t, b) for t, b in _orders_blocks(samples["orders"]) if NEW_EXCEPTION in b]
    assert blocks and min(t for t, _ in blocks) >= start
    assert all(b.splitlines()[-1].startswith(f"orders.clients.payments.{NEW_EXCEPTION}: ")
               for _, b in blocks)
    for name in ("payments", "nginx", "syslog"):
        assert NEW_EXCEPTION not in samples[name].read_text()
    earlier = [b for t, b in _orders_blocks(samples["orders"]) if t < start]
    assert earlier and not any(NEW_EXCEPTION in b for b in earlier)


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_pii_is_in_the_raw_logs(samples):
    text = "\n".join(p.read_text() for p in samples.values())
    assert len(set(re.findall(r"\b[\w.+-]+@(?:[\w-]+\.)+[a-z]{2,}\b", text))) > 50
    assert len(set(re.findall(r"\b(?:203\.0\.113|198\.51\.100|192\.0\.2)\.\d{1,3}\b", text))) > 50
    cards = re.findall(r"card_number=(\d{16})\b", text)
    assert cards and all(_luhn(c) for c in cards)
    assert re.search(r"phone=(\+1 415-555-\d{4}|\(212\) 555-\d{4}|\+44 20 7946 \d{4})", text)
    assert re.search(r"\bAKIA[A-Z2-7]{16}\b", text)
    jwt = re.search(r"\beyJ[\w-]+\.(eyJ[\w-]+)\.[\w-]+", text)
    assert jwt and "email" in json.loads(base64.urlsafe_b64decode(jwt.group(1) + "=="))
    assert re.search(r'user="[A-Z][a-z]+ [A-Z][a-z]+"', text)
    assert re.search(r"customer [A-Z][a-z]+ [A-Z][a-z]+ <", text)


def test_bad_arguments_are_bad_input(tmp_path):
    with pytest.raises(BadInput, match="lines"):
        write_samples(tmp_path, lines=10)
    with pytest.raises(BadInput, match="ISO 8601"):
        write_samples(tmp_path, now="tomorrow-ish")
