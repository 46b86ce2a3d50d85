"""Masking of what the log tools return: event frames and texts, with counts per entity type.

Every tool result passes through here before anyone (a model, the terminal, a report) sees it.
Counts are kept per entity type and never with values, so an answer can say what was masked.

>>> masked_phrase({"EMAIL_ADDRESS": 3, "IP_ADDRESS": 2})
'masked 3 e-mails, 2 IPs'
>>> masked_phrase({})
'nothing masked'
"""
from __future__ import annotations

from collections import Counter

import polars as pl

NAMES = {
    "EMAIL_ADDRESS": ("e-mail", "e-mails"), "IP_ADDRESS": ("IP", "IPs"),
    "CREDIT_CARD": ("card number", "card numbers"), "US_SSN": ("SSN", "SSNs"),
    "PHONE_NUMBER": ("phone number", "phone numbers"), "PERSON": ("name", "names"),
    "USERNAME": ("user name", "user names"), "CLOUD_KEY": ("cloud key", "cloud keys"),
    "AUTH_TOKEN": ("token", "tokens"), "API_KEY": ("API key", "API keys"),
    "PASSWORD": ("password", "passwords"), "PRIVATE_KEY": ("private key", "private keys"),
    "IBAN_CODE": ("IBAN", "IBANs"),
}


def masked_phrase(counts: dict[str, int]) -> str:
    """Return 'masked 3 e-mails, 2 IPs' for counts per entity type ('nothing masked' if none)."""
    parts = []
    for ent, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n <= 0:
            continue
        one, many = NAMES.get(ent, (ent.lower().replace("_", " "),) * 2)
        if ent not in NAMES:
            many = one + "s"
        parts.append(f"{n} {one if n == 1 else many}")
    return "masked " + ", ".join(parts) if parts else "nothing masked"


def mask_messages(frame: pl.DataFrame, settings, *, enabled: bool = True,
                  column: str = "message") -> tuple[pl.DataFrame, Counter]:
    """Return the frame with ``column`` pseudonymized and the counts of values masked per type."""
    if not enabled or frame.is_empty():
        return frame, Counter()
    from ... import pii

    masked, audit = pii.mask_frame(frame, [column], "pseudonymize", settings=settings)
    counts: Counter = Counter()
    for row in audit:
        counts[row["entity_type"]] += int(row["count"])
    return masked, counts


def mask_texts(texts: list[str], settings, *, enabled: bool = True) -> tuple[list[str], Counter]:
    """Return the texts pseudonymized (same order) and the counts of values masked per type."""
    if not texts:
        return [], Counter()
    frame, counts = mask_messages(pl.DataFrame({"message": texts}, schema={"message": pl.Utf8}),
                                  settings, enabled=enabled)
    return frame["message"].to_list(), counts
