"""The gateway's use of ``workbench.pii``: pseudonymize inputs, guard every outgoing payload."""
from __future__ import annotations

from typing import Any

from ..config import Settings


def mask_text(text: str, settings: Settings) -> str:
    """Return ``text`` with PII replaced by keyed pseudonyms (stable across runs)."""
    from .. import pii

    masked = pii.mask(text, mode="pseudonymize", settings=settings)
    return masked if isinstance(masked, str) else masked.text


def mask_value(value: Any, settings: Settings) -> tuple[Any, int]:
    """Return (value with every string masked, how many strings changed); containers recurse."""
    if isinstance(value, str):
        masked = mask_text(value, settings) if value.strip() else value
        return masked, int(masked != value)
    if isinstance(value, dict):
        out, n = {}, 0
        for k, v in value.items():
            out[k], c = mask_value(v, settings)
            n += c
        return out, n
    if isinstance(value, (list, tuple)):
        items = [mask_value(v, settings) for v in value]
        return type(value)(v for v, _ in items), sum(c for _, c in items)
    return value, 0


def guard(payload: str) -> None:
    """Raise PolicyBlock when ``payload`` still looks like it holds PII; return None otherwise."""
    from .. import pii

    pii.guard(payload)
