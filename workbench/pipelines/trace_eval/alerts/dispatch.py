"""Dispatch: alerts → routed, deduplicated, rate-limited, guarded messages → the delivery log."""
from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import polars as pl

from ....errors import PolicyBlock
from ....pii import guard
from . import mail, slack, webhook
from .alert import Alert
from .channels_config import ChannelsConfig
from .evaluate import as_utc
from .history import DELIVERED, RATE_LIMITED, History
from .message import Message, alert_section, history_section, message_id, payload
from .ratelimit import TokenBucket
from .retry import Outcome, send_with_retry
from .rules import CHANNELS, Policy, RuleSet
from .severity import bump, rank
from .state import AlertState, MemoryState, conform, empty_log

NOT_CONFIGURED = "not_sent (no channel configured)"
NOT_ROUTED = "not_sent (no channel routed)"
STATUSES = (DELIVERED, "failed", RATE_LIMITED, "deduplicated", "blocked", NOT_CONFIGURED,
            NOT_ROUTED)


@dataclass
class _Item:
    """One alert bound for one channel: its log fields and its payload section."""

    fields: dict[str, Any]
    section: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def _fields(alert: Alert) -> dict[str, Any]:
    return {"alert_id": alert.alert_id, "rule": alert.rule, "severity": alert.severity,
            "module": alert.module, "trace_ids": json.dumps(list(alert.trace_ids)),
            "count": alert.count, "fingerprint": alert.fingerprint,
            "detail": {"escalated_from": alert.escalated_from,
                       "group": {k: str(v) for k, v in alert.group.items()},
                       "window_start": alert.window_start.isoformat(),
                       "window_end": alert.window_end.isoformat(),
                       "reasons": list(alert.reasons), **alert.detail}}


class _Dispatch:
    def __init__(self, channels: ChannelsConfig, policy: Policy, history: History, now: datetime,
                 run_id: str, sleep: Callable[[float], None], clock: Callable[[], float],
                 rng: random.Random) -> None:
        self.channels, self.policy, self.history = channels, policy, history
        self.now, self.run_id, self.sleep, self.rng = now, run_id, sleep, rng
        self.rows: list[dict[str, Any]] = []
        self.buckets = {c: TokenBucket(policy.rate_limit(c), clock=clock,
                                       used=history.messages_last_minute(c)) for c in CHANNELS}

    def record(self, item: _Item, channel: str, status: str, attempts: int = 0,
               **extra: Any) -> None:
        detail = {**item.fields["detail"], **item.extra, **extra,
                  "recorded_at": self.now.isoformat()}
        self.rows.append({**item.fields, "run_id": self.run_id, "channel": channel,
                          "status": status, "attempts": attempts,
                          "delivered_at": self.now if status == DELIVERED else None,
                          "detail": json.dumps(detail, sort_keys=True, default=str)})

    def route(self, alert: Alert) -> tuple[Alert, list[str], str]:
        """Return the alert (escalated if it recurs), its channels and its delivery mode."""
        esc = self.policy.escalation
        if (self.history.recurrences(alert.fingerprint, alert.alert_id) + 1 >= esc.repeats
                and rank(alert.severity) < rank("critical")):
            alert = alert.escalated(bump(alert.severity))
        self.history.note_occurrence(alert.fingerprint, alert.alert_id)
        route = self.policy.route(alert.severity)
        chosen = list(alert.channels) if alert.channels is not None else list(route.channels)
        if alert.escalated_from:
            chosen += [c for c in route.channels if c not in chosen]
        return alert, chosen, route.mode

    def send(self, channel: str, items: list[_Item], digest: bool) -> None:
        """Send one message carrying ``items`` on ``channel`` and log a row per item."""
        msg = Message(message_id(self.run_id, channel, [i.fields["alert_id"] for i in items]),
                      self.run_id, channel, digest, self.now, tuple(i.section for i in items))
        doc = {"webhook": payload, "slack": slack.build, "email": mail.build}[channel](msg)
        meta = {"message_id": msg.message_id, "digest": digest}
        try:
            guard(doc)
        except PolicyBlock as exc:
            for i in items:
                self.record(i, channel, "blocked", **meta, error=str(exc).split(" at ")[0])
            return
        if not self.buckets[channel].take():
            for i in items:
                self.record(i, channel, RATE_LIMITED, **meta,
                            error=f"over {self.policy.rate_limit(channel)} messages/minute; "
                                  "folded into the next digest")
            return
        out = self._deliver(channel, doc)
        for i in items:
            status = DELIVERED if out.delivered else "failed"
            self.record(i, channel, status, out.attempts, **meta, error=out.error,
                        waits=list(out.waits))
            if out.delivered:
                self.history.note_delivered(i.fields["fingerprint"], channel,
                                            i.fields["severity"])

    def _deliver(self, channel: str, doc: dict[str, Any]) -> Outcome:
        cfg = getattr(self.channels, channel)
        if channel == "webhook":
            def attempt() -> None:
                webhook.send(doc, cfg, int(self.now.timestamp()))
        else:
            def attempt() -> None:
                (slack if channel == "slack" else mail).send(doc, cfg)
        return send_with_retry(attempt, self.channels.retry, sleep=self.sleep, rng=self.rng)


def dispatch(alerts: list[Alert], channels: ChannelsConfig | None = None,
             state: AlertState | None = None, now: datetime | None = None, run_id: str = "",
             policy: Policy | RuleSet | None = None, *,
             sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic,
             rng: random.Random | None = None) -> pl.DataFrame:
    """Return the delivery log (trace_eval_alerts rows) of sending ``alerts``, saved to state."""
    now = as_utc(now or datetime.now(UTC))
    policy = policy.policy if isinstance(policy, RuleSet) else (policy or Policy())
    channels = channels or ChannelsConfig()
    state = state if state is not None else MemoryState()
    run = _Dispatch(channels, policy, History(state.load(), now, policy), now, run_id,
                    sleep, clock, rng or random.Random())
    configured = set(channels.configured())
    immediate: list[tuple[str, _Item]] = []
    digests: dict[str, list[_Item]] = {c: [] for c in CHANNELS}
    for alert in sorted(alerts, key=lambda a: (-rank(a.severity), a.window_start, a.alert_id)):
        alert, chosen, mode = run.route(alert)
        item = _Item(_fields(alert), alert_section(alert), {"mode": mode})
        try:
            guard(item.section)
        except PolicyBlock as exc:
            for ch in chosen or ["none"]:
                run.record(item, ch, "blocked", error=str(exc).split(" at ")[0],
                           findings=exc.detail.get("findings", [])[:10])
            continue
        if not chosen:
            run.record(item, "none", NOT_ROUTED)
        for ch in chosen:
            if ch not in configured:
                run.record(item, ch, NOT_CONFIGURED)
            elif run.history.delivered_recently(alert.fingerprint, ch, alert.severity):
                run.record(item, ch, "deduplicated",
                           error=f"delivered within {policy.dedup_minutes} min")
            elif mode == "immediate":
                immediate.append((ch, item))
            else:
                digests[ch].append(item)
    for ch, item in immediate:   # re-checked: an earlier alert of this dispatch may be its twin
        f = item.fields
        if run.history.delivered_recently(f["fingerprint"], ch, f["severity"]):
            run.record(item, ch, "deduplicated", error="delivered earlier in this dispatch")
        else:
            run.send(ch, [item], digest=False)
    for ch in CHANNELS:
        if ch not in configured:
            continue
        queued = {i.fields["alert_id"] for i in digests[ch]} | {
            r["alert_id"] for r in run.rows if r["channel"] == ch}
        held = [_held(row) for row in run.history.held_back(ch) if row["alert_id"] not in queued]
        if digests[ch] or held:
            run.send(ch, digests[ch] + held, digest=True)
    frame = conform(pl.DataFrame(run.rows, infer_schema_length=None)) if run.rows else empty_log()
    state.save(frame)
    return frame


def _held(row: dict[str, Any]) -> _Item:
    detail = json.loads(row.get("detail") or "{}")
    keep = {k: detail[k] for k in ("escalated_from", "group", "window_start", "window_end",
                                   "reasons", "mode") if k in detail}
    fields = {k: row[k] for k in ("alert_id", "rule", "severity", "module", "trace_ids", "count",
                                  "fingerprint")}
    return _Item({**fields, "detail": keep}, history_section(row),
                 {"folded_from_run": row["run_id"]})
