"""The five log tools on the sample logs: masked, bounded, cached by recency, changes found."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from workbench.errors import BadInput
from workbench.ingest.log_local import LocalLogSource
from workbench.pipelines.log_chat.samples import NEW_EXCEPTION
from workbench.pipelines.log_chat.tools import LogTools, ttl_for

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def tools(sample_logs, chat_settings):
    src = LocalLogSource([sample_logs], cache_dir=chat_settings.lake_dir / "parsed")
    return LogTools(src, chat_settings, now=NOW)


def test_ttl_depends_on_how_recent_the_window_is():
    assert ttl_for(NOW, NOW) == 60
    assert ttl_for(NOW - timedelta(minutes=20), NOW) == 300
    assert ttl_for(NOW - timedelta(days=2), NOW) == 7 * 86400


def test_list_and_fetch_are_masked_and_bounded(tools, no_raw_pii):
    groups = tools.list_log_groups()
    assert {g["name"] for g in groups["groups"]} >= {"aws/lambda/checkout.jsonl", "app/orders.log"}
    r = tools.fetch_logs("aws/lambda/checkout.jsonl", since="24h", limit=500)
    assert r["rows"] <= tools.max_rows and r["matched"] == 500 and r["truncated"]
    assert "note" in r and len(json.dumps(r)) <= tools.max_chars + 200
    assert r["masked"].get("EMAIL_ADDRESS", 0) > 0
    no_raw_pii(json.dumps(r))


def test_summary_finds_the_new_exception_and_masks_examples(tools, no_raw_pii):
    r = tools.summarize_logs("aws/lambda/checkout.jsonl", since="2h ago")
    new = [t for t in r["templates"] if t["new"]]
    assert any(NEW_EXCEPTION in t["template"] for t in new)
    assert r["previous_events"] > 0 and r["new_templates"] >= 1
    no_raw_pii(json.dumps(r))
    assert all("<*>" in t["template"] or len(t["template"]) < 200 for t in r["templates"])


def test_counts_show_the_incident_spike(tools):
    r = tools.count_logs("aws/lambda/checkout.jsonl", "ERROR", since="24h", interval="1h")
    by_hour = {b["start"][:13]: b["count"] for b in r["buckets"]}
    assert by_hour["2026-01-15T11"] > 5 * max(by_hour.get("2026-01-15T05", 0), 1)
    assert r["peak"]["start"].startswith("2026-01-15T1")
    with pytest.raises(BadInput, match="interval"):
        tools.count_logs("aws/lambda/checkout.jsonl", "ERROR", interval="fortnight")


def test_search_across_groups_merges_by_time(tools):
    r = tools.search_logs(NEW_EXCEPTION, since="24h", limit=20)
    groups = {e["group"] for e in r["events"]}
    assert groups >= {"aws/lambda/checkout.jsonl", "app/orders.log"}
    times = [e["ts"] for e in r["events"]]
    assert times == sorted(times)
    assert all(t >= "2026-01-15T10" for t in times)  # only in the incident


def test_second_identical_call_is_served_from_the_cache(tools, chat_settings):
    tools.summarize_logs("app/orders.log", since="2h ago")
    again = LogTools(tools.source, chat_settings, now=NOW)
    again.summarize_logs("app/orders.log", since="2h ago")
    assert [c["cached"] for c in tools.calls + again.calls] == [False, True]
    assert again.calls[0]["masked"] == tools.calls[0]["masked"]  # counts survive the cache


def test_unknown_group_and_bad_time_are_clear(tools):
    with pytest.raises(BadInput, match="no log group 'nope'"):
        tools.fetch_logs("nope")
    with pytest.raises(ValueError, match="accepted|forms"):
        tools.fetch_logs("app/orders.log", since="the day before the incident")
