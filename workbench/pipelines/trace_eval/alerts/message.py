"""Channel-neutral alert messages: PII-free sections per alert, text and HTML renderings."""
from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .alert import Alert

MAX_TRACE_IDS = 50   # per section in a payload; the count always tells the full number
SOURCE = "workbench.trace_eval"


@dataclass(frozen=True)
class Message:
    """One message to one channel: an immediate alert or a digest of several."""

    message_id: str
    run_id: str
    channel: str
    digest: bool
    sent_at: datetime
    sections: tuple[dict[str, Any], ...]

    def subject(self) -> str:
        """Return the one-line subject of the message."""
        if not self.digest and len(self.sections) == 1:
            return f"[workbench] {self.sections[0]['title']}"
        worst = max((s["severity"] for s in self.sections), key=_order, default="low")
        total = sum(int(s["count"]) for s in self.sections)
        return (f"[workbench] digest: {len(self.sections)} alert(s), {total} trace(s), "
                f"worst {worst}")


def _order(severity: str) -> int:
    return ("low", "medium", "high", "critical").index(severity) \
        if severity in ("low", "medium", "high", "critical") else -1


def message_id(run_id: str, channel: str, alert_ids: list[str]) -> str:
    """Return the stable id of a message: run, channel and the alerts it carries."""
    key = json.dumps([run_id, channel, sorted(alert_ids)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _ids(trace_ids: list[str]) -> dict[str, Any]:
    return {"trace_ids": trace_ids[:MAX_TRACE_IDS],
            "more_trace_ids": max(0, len(trace_ids) - MAX_TRACE_IDS)}


def alert_section(alert: Alert) -> dict[str, Any]:
    """Return the payload section of an alert: ids, counts, reasons, masked excerpts."""
    return {"alert_id": alert.alert_id, "title": alert.title(), "rule": alert.rule,
            "severity": alert.severity, "escalated_from": alert.escalated_from,
            "module": alert.module, "group": {k: str(v) for k, v in alert.group.items()},
            "fingerprint": alert.fingerprint, "count": alert.count,
            **_ids(list(alert.trace_ids)),
            "window_start": alert.window_start.isoformat(),
            "window_end": alert.window_end.isoformat(), "reasons": list(alert.reasons),
            "excerpts": [{"trace_id": e.trace_id, "text": e.text} for e in alert.excerpts],
            "detail": alert.detail, "folded": False}


def history_section(row: dict[str, Any]) -> dict[str, Any]:
    """Return the payload section of a rate-limited delivery-log row folded into a digest."""
    detail = json.loads(row.get("detail") or "{}")
    group = "".join(f" {k}={v}" for k, v in detail.get("group", {}).items() if k != "module")
    title = (f"[{str(row['severity']).upper()}] {row['rule']}: module {row['module']}{group}, "
             f"{row['count']} trace(s) (held back by the rate limit)")
    return {"alert_id": row["alert_id"], "title": title, "rule": row["rule"],
            "severity": row["severity"], "escalated_from": detail.get("escalated_from"),
            "module": row["module"], "group": detail.get("group", {}),
            "fingerprint": row["fingerprint"], "count": int(row["count"]),
            **_ids(json.loads(row.get("trace_ids") or "[]")),
            "window_start": detail.get("window_start"), "window_end": detail.get("window_end"),
            "reasons": detail.get("reasons", []), "excerpts": [], "detail": {},
            "folded": True, "held_since_run": row["run_id"]}


def payload(msg: Message) -> dict[str, Any]:
    """Return the JSON document of a message (the webhook body)."""
    return {"source": SOURCE, "message_id": msg.message_id, "run_id": msg.run_id,
            "digest": msg.digest, "sent_at": msg.sent_at.isoformat(),
            "subject": msg.subject(), "alerts": list(msg.sections)}


def _section_lines(s: dict[str, Any]) -> list[str]:
    ids = ", ".join(s["trace_ids"]) + (f" … and {s['more_trace_ids']} more"
                                         if s["more_trace_ids"] else "")
    lines = [s["title"], f"  window: {s['window_start']} → {s['window_end']}", f"  traces: {ids}"]
    lines += [f"  reason: {r}" for r in s["reasons"]]
    lines += [f"  excerpt {e['trace_id']}: {e['text']}" for e in s["excerpts"]]
    return lines


def text_body(msg: Message) -> str:
    """Return the plain-text rendering of a message."""
    lines = [msg.subject(), f"run {msg.run_id} · sent {msg.sent_at.isoformat()}", ""]
    for s in msg.sections:
        lines += [*_section_lines(s), ""]
    lines.append("Excerpts are masked; the full traces stay in the workspace.")
    return "\n".join(lines)


def html_body(msg: Message) -> str:
    """Return a simple, self-contained HTML rendering of a message."""
    esc = html.escape
    parts = [f"<h2>{esc(msg.subject())}</h2>",
             f"<p>run <code>{esc(msg.run_id)}</code> · sent {esc(msg.sent_at.isoformat())}</p>"]
    for s in msg.sections:
        ids = ", ".join(f"<code>{esc(t)}</code>" for t in s["trace_ids"])
        more = f" … and {s['more_trace_ids']} more" if s["more_trace_ids"] else ""
        items = [f"<li>window {esc(str(s['window_start']))} → {esc(str(s['window_end']))}</li>",
                 f"<li>traces: {ids}{more}</li>"]
        items += [f"<li>reason: {esc(r)}</li>" for r in s["reasons"]]
        items += [f"<li>excerpt <code>{esc(e['trace_id'])}</code>: <q>{esc(e['text'])}</q></li>"
                  for e in s["excerpts"]]
        parts.append(f"<h3>{esc(s['title'])}</h3><ul>{''.join(items)}</ul>")
    parts.append("<p><small>Excerpts are masked; the full traces stay in the workspace."
                 "</small></p>")
    return f"<!doctype html><html><body>{''.join(parts)}</body></html>"
