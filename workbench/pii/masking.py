"""Masking: ``redact`` (``<EMAIL_ADDRESS>``) or ``pseudonymize`` (keyed, stable tokens).

A pseudonym is ``<TYPE_xxxxxx>``: the first 6 hex digits of HMAC-SHA256 under the workspace key
(``data/pii.key``, 32 random bytes, mode 0600, never written to a report) over the entity type
and the normalized value, so the same e-mail gets the same token in every run of a workspace.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from .engine import detect
from .findings import Finding, Masked

MODES = ("redact", "pseudonymize")
KEY_FILE = "pii.key"
_keys: dict[Path, bytes] = {}


def key_path(settings) -> Path:
    """Return the path of the workspace's pseudonymization key."""
    return Path(settings.data_dir) / KEY_FILE


def workspace_key(settings=None) -> bytes:
    """Return the workspace's 32-byte pseudonymization key, creating it (0600) on first use."""
    if settings is None:
        from ..config import load

        settings = load()
    path = key_path(settings).resolve()
    if path in _keys:
        return _keys[path]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two processes creating the key at once keep the same one
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
    else:
        key = secrets.token_bytes(32)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    if len(key) != 32:
        from ..errors import BadInput

        raise BadInput(f"{path} is not a 32-byte key; delete it to create a new one "
                       "(pseudonyms will change)")
    _keys[path] = key
    return key


def normalize_value(entity_type: str, value: str) -> str:
    """Return the canonical form of a value so spelling variants share one pseudonym."""
    if entity_type == "EMAIL_ADDRESS":
        return unquote(unquote(value)).lower()
    if entity_type in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN"):
        return re.sub(r"\D", "", value)
    if entity_type in ("IBAN_CODE", "IP_ADDRESS"):
        return value.replace(" ", "").lower()
    if entity_type in ("PERSON", "USERNAME"):
        return " ".join(unquote(value.replace("+", " ")).split()).lower()
    return value


def token(entity_type: str, value: str, mode: str, key: bytes | None) -> str:
    """Return the replacement of one value: ``<TYPE>`` or ``<TYPE_xxxxxx>``."""
    if mode == "redact":
        return f"<{entity_type}>"
    msg = f"{entity_type}\x00{normalize_value(entity_type, value)}".encode()
    return f"<{entity_type}_{hmac.new(key, msg, hashlib.sha256).hexdigest()[:6]}>"


def check_mode(mode: str) -> None:
    """Raise BadInput when ``mode`` is not a masking mode."""
    if mode not in MODES:
        from ..errors import BadInput

        raise BadInput(f"PII mask mode must be one of {MODES}, got {mode!r}")


def apply(text: str, findings: list[Finding], mode: str, key: bytes | None) -> Masked:
    """Return ``text`` with every finding replaced, and the counts per entity type."""
    parts, counts, pos = [], Counter(), 0
    for f in findings:
        parts += [text[pos:f.start], token(f.entity_type, text[f.start:f.end], mode, key)]
        counts[f.entity_type] += 1
        pos = f.end
    parts.append(text[pos:])
    return Masked("".join(parts), dict(counts))


def mask(text: str, mode: str = "redact", *, settings=None) -> Masked:
    """Return the masked text and counts; pseudonyms use the workspace key of ``settings``."""
    check_mode(mode)
    if not text:
        return Masked(text or "", {})
    findings = detect(text)
    if not findings:
        return Masked(text, {})
    key = workspace_key(settings) if mode == "pseudonymize" else None
    return apply(text, findings, mode, key)
