"""What the delivery log says about the past: recent deliveries, recurrences, held-back alerts."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from .rules import Policy
from .severity import rank

RATE_LIMITED = "rate_limited"
DELIVERED = "delivered"


class History:
    """The delivery log read once per dispatch, plus what this dispatch adds as it goes."""

    def __init__(self, log: pl.DataFrame, now: datetime, policy: Policy) -> None:
        self.now, self.policy = now, policy
        log = log.with_columns(
            pl.col("detail").str.json_path_match("$.recorded_at")
            .str.to_datetime(time_zone="UTC", strict=False).alias("_at"),
            pl.col("detail").str.json_path_match("$.message_id").alias("_message"))
        self.log = log
        esc_from = now - timedelta(minutes=policy.escalation.window_minutes)
        seen = log.filter(pl.col("_at") >= esc_from).select("fingerprint", "alert_id").unique()
        self._seen: dict[str, set[str]] = defaultdict(set)
        for fp, aid in seen.iter_rows():
            self._seen[fp].add(aid)
        dedup_from = now - timedelta(minutes=policy.dedup_minutes)
        sent = log.filter((pl.col("status") == DELIVERED) & (pl.col("delivered_at") >= dedup_from))
        self._sent: dict[tuple[str, str], int] = {}
        for fp, channel, severity in sent.select("fingerprint", "channel", "severity").iter_rows():
            key = (fp, channel)
            self._sent[key] = max(self._sent.get(key, 0), rank(severity))

    def recurrences(self, fingerprint: str, alert_id: str) -> int:
        """Return how many other alerts with this fingerprint occurred in the escalation window."""
        return len(self._seen.get(fingerprint, set()) - {alert_id})

    def note_occurrence(self, fingerprint: str, alert_id: str) -> None:
        """Record that an alert with this fingerprint occurred in this dispatch."""
        self._seen[fingerprint].add(alert_id)

    def delivered_recently(self, fingerprint: str, channel: str, severity: str) -> bool:
        """Return True when this fingerprint reached ``channel`` at this severity or above."""
        return self._sent.get((fingerprint, channel), -1) >= rank(severity)

    def note_delivered(self, fingerprint: str, channel: str, severity: str) -> None:
        """Record a delivery made by this dispatch."""
        key = (fingerprint, channel)
        self._sent[key] = max(self._sent.get(key, 0), rank(severity))

    def messages_last_minute(self, channel: str) -> int:
        """Return the messages delivered on ``channel`` in the minute before now."""
        since = self.now - timedelta(minutes=1)
        recent = self.log.filter((pl.col("channel") == channel) & (pl.col("status") == DELIVERED)
                                 & (pl.col("delivered_at") >= since))
        return recent.select(pl.col("_message").n_unique()).item() if recent.height else 0

    def held_back(self, channel: str) -> list[dict[str, Any]]:
        """Return the latest row of each alert still rate-limited on ``channel`` (oldest first)."""
        log = self.log.filter(pl.col("channel") == channel).with_row_index("_seq")
        held = (log.filter(pl.col("status") == RATE_LIMITED).sort("_at", "_seq")
                .group_by("alert_id", maintain_order=True).last())
        done = (log.filter(pl.col("status") != RATE_LIMITED).group_by("alert_id")
                .agg(pl.col("_at").max().alias("_done_at"), pl.col("_seq").max().alias("_done")))
        pending = (held.join(done, on="alert_id", how="left")
                   .filter(pl.col("_done").is_null() | (pl.col("_done_at") < pl.col("_at"))
                           | ((pl.col("_done_at") == pl.col("_at"))
                              & (pl.col("_done") < pl.col("_seq"))))
                   .sort("_at", "_seq"))
        return pending.select(
            [c for c in self.log.columns if not c.startswith("_")]).to_dicts()
