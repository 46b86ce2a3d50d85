"""The webhook channel: the message as JSON, signed with HMAC-SHA256 over the exact body.

Headers: ``X-Workbench-Signature: sha256=<hex>`` (HMAC of the raw body under the shared secret)
and ``X-Workbench-Timestamp`` (epoch seconds, equal to the body's ``sent_at``, so the signature
covers it and a receiver can refuse replays).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from .channels_config import WebhookConfig
from .http_post import post

SIGNATURE_HEADER = "X-Workbench-Signature"
TIMESTAMP_HEADER = "X-Workbench-Timestamp"


def body_bytes(doc: dict[str, Any]) -> bytes:
    """Return the canonical JSON bytes of a webhook body (sorted keys, UTF-8)."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    """Return the signature header value ``sha256=<hex>`` of ``body`` under ``secret``.

    >>> signature("s3cr3t", b"{}")[:7]
    'sha256='
    """
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Return True when ``header`` is the valid signature of ``body`` (constant-time compare)."""
    return hmac.compare_digest(signature(secret, body), header or "")


def send(doc: dict[str, Any], cfg: WebhookConfig, timestamp: int) -> None:
    """Return after one signed POST of ``doc``; raise TransientSend/PermanentSend on failure."""
    body = body_bytes(doc)
    headers = {"Content-Type": "application/json",
               SIGNATURE_HEADER: signature(cfg.secret.get_secret_value(), body),
               TIMESTAMP_HEADER: str(timestamp), "User-Agent": "workbench-alerts/1"}
    post(cfg.url, body, headers, cfg.timeout_s)
