"""Stage 5 of ``trace_eval``: alert rules over tier results, routed and delivered with a log.

``evaluate_alerts(results, traces, rules, now)`` turns tier results into alerts (batched per rule,
group and time window); ``dispatch(alerts, channels, state, now, run_id, policy)`` routes them by
severity, escalates repeats, drops duplicates, rate-limits each channel, guards every payload
against PII and sends it by webhook, Slack or e-mail, returning the ``trace_eval_alerts`` log.

>>> import polars as pl
>>> from datetime import datetime, UTC
>>> results = pl.DataFrame({"run_id": ["r"], "trace_id": ["t1"], "tier": [1],
...     "module": ["pii_leak"], "passed": [False], "severity": ["high"], "score": [1.0],
...     "reason": ["EMAIL_ADDRESS in output"]})
>>> now = datetime(2024, 5, 1, 12, tzinfo=UTC)
>>> [(a.rule, a.severity, a.count) for a in evaluate_alerts(results, None, None, now)]
[('pii_leak', 'critical', 1)]
>>> dispatch(evaluate_alerts(results, None, None, now), now=now, run_id="r")["status"].to_list()
['not_sent (no channel configured)', 'not_sent (no channel configured)', \
'not_sent (no channel configured)']
"""
from __future__ import annotations

from .alert import Alert, Excerpt, fingerprint
from .channels_config import (
    ENV,
    ChannelsConfig,
    EmailConfig,
    RetryConfig,
    SlackConfig,
    WebhookConfig,
    channels_from_settings,
)
from .dispatch import NOT_CONFIGURED, STATUSES, dispatch
from .evaluate import evaluate_alerts
from .rules import Policy, Rule, RuleSet, load_rules, parse_rules, shipped_rules_path
from .state import LOG_SCHEMA, TABLE, AlertState, DuckDBState, JsonFileState, MemoryState, empty_log
from .webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, verify

__all__ = [
    "ENV", "LOG_SCHEMA", "NOT_CONFIGURED", "SIGNATURE_HEADER", "STATUSES", "TABLE",
    "TIMESTAMP_HEADER", "Alert", "AlertState", "ChannelsConfig", "DuckDBState", "EmailConfig",
    "Excerpt", "JsonFileState", "MemoryState", "Policy", "RetryConfig", "Rule", "RuleSet",
    "SlackConfig", "WebhookConfig", "channels_from_settings", "dispatch", "empty_log",
    "evaluate_alerts", "fingerprint", "load_rules", "parse_rules", "shipped_rules_path",
    "signature", "verify",
]
