"""The Slack channel: an incoming-webhook JSON ``{"text", "blocks"}`` built from a message."""
from __future__ import annotations

import json
from typing import Any

from .channels_config import SlackConfig
from .http_post import post
from .message import Message

MAX_SECTIONS = 20          # Slack allows 50 blocks per message; keep room for header/context
MAX_SECTION_CHARS = 2900   # a section's text is capped at 3000 characters


def _section_text(s: dict[str, Any]) -> str:
    ids = ", ".join(f"`{t}`" for t in s["trace_ids"][:10])
    more = len(s["trace_ids"]) - 10 + s["more_trace_ids"]
    lines = [f"*{s['title']}*", f"traces: {ids}" + (f" … and {more} more" if more > 0 else "")]
    lines += [f"• {r}" for r in s["reasons"][:3]]
    lines += [f"> `{e['trace_id']}` {e['text']}" for e in s["excerpts"]]
    text = "\n".join(lines)
    return text if len(text) <= MAX_SECTION_CHARS else text[: MAX_SECTION_CHARS - 1] + "…"


def build(msg: Message) -> dict[str, Any]:
    """Return the Slack payload of a message: fallback text and Block Kit blocks."""
    subject = msg.subject().removeprefix("[workbench] ")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": subject[:150]}}]
    for s in msg.sections[:MAX_SECTIONS]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _section_text(s)}})
    if len(msg.sections) > MAX_SECTIONS:
        blocks.append({"type": "section", "text": {
            "type": "mrkdwn", "text": f"… and {len(msg.sections) - MAX_SECTIONS} more alert(s)"}})
    blocks.append({"type": "context", "elements": [{
        "type": "mrkdwn", "text": f"run `{msg.run_id}` · message `{msg.message_id}` · "
                                  "excerpts are masked"}]})
    return {"text": subject, "blocks": blocks}


def send(doc: dict[str, Any], cfg: SlackConfig) -> None:
    """Return after one POST of a Slack payload; raise TransientSend/PermanentSend on failure."""
    post(cfg.url, json.dumps(doc, ensure_ascii=False).encode(),
         {"Content-Type": "application/json"}, cfg.timeout_s)
