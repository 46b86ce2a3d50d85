"""The egress guard: refuse a payload in which any string still holds PII."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import PolicyBlock
from .engine import detect
from .keys import key_entity
from .masking import apply
from .scanner import value_entity


def _safe(key: str) -> str:
    found = detect(key)
    return apply(key, found, "redact", None).text if found else key


def _strings(obj: Any, path: str, key: str | None):
    if isinstance(obj, str):
        yield path, key, obj
    elif isinstance(obj, bytes):
        yield path, key, obj.decode("utf-8", "replace")
    elif isinstance(obj, Mapping):
        for k, val in obj.items():
            ks = str(k)
            seg = _safe(ks)                       # a path names keys, and a key may hold PII
            yield f"{path}.{seg}", None, ks
            yield from _strings(val, f"{path}.{seg}", ks)
    elif isinstance(obj, list | tuple | set | frozenset):
        for i, val in enumerate(obj):
            yield from _strings(val, f"{path}[{i}]", key)
    elif hasattr(obj, "model_dump"):  # pydantic models travel as their data
        yield from _strings(obj.model_dump(), path, key)


def findings_in(payload: Any) -> list[dict]:
    """Return where PII sits in a nested payload: ``[{path, entity_types}]`` (never values)."""
    hits = []
    for path, key, text in _strings(payload, "$", None):
        types = {f.entity_type for f in detect(text)}
        if key is not None and (ent := value_entity(key_entity(key), text, key)):
            types.add(ent)                          # {"name": "Jane Doe"}: the key is the context
        if types:
            hits.append({"path": path, "entity_types": sorted(types)})
    return hits


def guard(payload: Any) -> Any:
    """Return ``payload`` unchanged when it holds no PII; raise PolicyBlock (POLICY_BLOCK) if so."""
    hits = findings_in(payload)
    if hits:
        types = sorted({t for h in hits for t in h["entity_types"]})
        raise PolicyBlock(f"payload still holds PII ({', '.join(types)}) at "
                          f"{', '.join(h['path'] for h in hits[:5])}; mask it before egress",
                          detail={"findings": hits[:50]})
    return payload
