"""The offline planner: the common shapes of question, in several phrasings, and what it declines."""
from __future__ import annotations

import pytest

from workbench.pipelines.log_chat.planner import find_since, plan

GROUPS = ["/aws/lambda/checkout", "/aws/lambda/payments", "/aws/ecs/orders", "nginx/access.log"]


@pytest.mark.parametrize("question", [
    "which log groups are there?", "list the log groups", "What logs do we have?",
    "show me the groups", "groups", "which log groups exist under /aws/lambda/?"])
def test_listing_groups(question):
    p = plan(question, GROUPS)
    assert p.tool == "list_log_groups"
    if "/aws/lambda/" in question:
        assert p.arguments["prefix"] == "/aws/lambda/"


@pytest.mark.parametrize("question,kind", [
    ("what went wrong in /aws/lambda/checkout in the last hour?", "errors"),
    ("Any errors in checkout during the past 30 minutes?", "errors"),
    ("did checkout fail since yesterday", "errors"),
    ("warnings in payments today", "warnings"),
    ("show exceptions in orders over the last 2 days", "exceptions"),
    ("were there timeouts in checkout 3h ago", "timeouts"),
    ("stack traces in orders", "exceptions"),
])
def test_problems_in_a_group(question, kind):
    p = plan(question, GROUPS)
    assert p.tool == "summarize_logs" and p.intent == kind
    assert p.arguments["filter_pattern"]


def test_problems_without_a_group_search_everywhere():
    p = plan("any errors in the last hour?", GROUPS)
    assert p.tool == "search_logs" and p.arguments["since"] == "1 hour ago"


@pytest.mark.parametrize("question,pattern", [
    ('search for "card declined" in the last day', '"card declined"'),
    ("find GatewayCircuitOpen", "GatewayCircuitOpen"),
    ("grep ConnectionReset across /aws/lambda/", "ConnectionReset"),
    ("where does ord-1234 appear?", "ord-1234"),
])
def test_search(question, pattern):
    p = plan(question, GROUPS)
    assert p.tool == "search_logs" and p.arguments["filter_pattern"] == pattern


@pytest.mark.parametrize("question", [
    "summarize checkout", "what changed in payments since yesterday?",
    "give me an overview of orders for the last 6 hours", "any spikes in nginx access?"])
def test_summaries(question):
    assert plan(question, GROUPS).tool == "summarize_logs"


@pytest.mark.parametrize("question,interval", [
    ("how many errors per hour in checkout?", "1h"),
    ("error trend in payments over the last 3 hours", "5m"),
    ("count of timeouts in orders per day", "1d"),
    ("how often does checkout fail, every 10 minutes?", "10m"),
])
def test_counts_over_time(question, interval):
    p = plan(question, GROUPS)
    assert p.tool == "count_logs" and p.arguments["interval"] == interval


@pytest.mark.parametrize("question", [
    "tell me a joke", "why is the sky blue?", "write a poem about checkout",
    "what is the capital of France"])
def test_other_questions_need_a_model(question):
    assert plan(question, GROUPS) is None


@pytest.mark.parametrize("text,since", [
    ("errors in the last 2 hours", "2 hours ago"), ("since yesterday", "yesterday"),
    ("past day", "1 day ago"), ("15 minutes ago", "15 minutes ago"), ("nothing", "1h ago")])
def test_time_phrases(text, since):
    assert find_since(text, "1h ago") == since
