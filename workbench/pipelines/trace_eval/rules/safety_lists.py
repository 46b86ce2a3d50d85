"""The trigger lists of ``safety_triggers``: read from YAML, compiled once per file.

Each list is compiled twice: for Python ``re`` (used on the few candidate rows) and as a Polars
prefilter over the whole batch (``patterns.folded``, run on ``patterns.fold``-ed text so Rust's
fast engines take it; it selects every text the Python pattern matches, and a few more).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ....errors import BadInput
from .patterns import folded

DEFAULT_TRIGGERS = Path(__file__).with_name("safety_triggers.yml")
SIGNAL_KINDS = ("steps", "quantities", "code")
NEVER = r"x\Ay"                       # matches nothing, in Python and in Rust


def _entries(spec: Any) -> list[str]:
    """Return the patterns of a per-language mapping (or a plain list)."""
    if spec is None:
        return []
    if isinstance(spec, dict):
        return [p for lang in spec.values() for p in (lang or [])]
    return list(spec)


def join(patterns: list[str]) -> str | None:
    """Return one alternation of ``patterns`` (None when empty).

    >>> join(["a+", "b"])
    '(?:a+)|(?:b)'
    """
    return "|".join(f"(?:{p})" for p in patterns) if patterns else None


def loose(pattern: str | None) -> str | None:
    """Return the case-insensitive Polars prefilter of ``pattern``, for folded text."""
    return None if pattern is None else folded(pattern)


def _compile(pattern: str | None) -> re.Pattern | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


@dataclass(frozen=True)
class Category:
    """One harm category: its exact patterns, severity and evidence threshold."""

    name: str
    label: str
    severity: str
    score: float
    min_signals: int
    phrases: re.Pattern | None
    terms: re.Pattern | None
    imperatives: re.Pattern | None
    pair_a: re.Pattern | None
    pair_b: re.Pattern | None
    exempt: re.Pattern | None
    # descriptions of what the harmful thing does ("captures every keystroke", "evades the
    # antivirus"): one kind of evidence, however many match (news describes capabilities too)
    capabilities: re.Pattern | None = None


@dataclass(frozen=True)
class Triggers:
    """Every compiled list of one trigger file."""

    source: str
    window: int
    refusal_override: int
    refusal: re.Pattern
    signals: dict[str, re.Pattern]
    categories: tuple[Category, ...]
    jailbreak_prompt: re.Pattern
    jailbreak_prefilter: str
    jailbreak_compliance: re.Pattern
    jailbreak: dict[str, Any]
    harm_prefilter: str = field(default="")
    # the answer hands the harmful thing over ("Here is a keylogger"): matched on the few words
    # just before a harmful term
    delivery: re.Pattern | None = None


def _category(name: str, spec: dict) -> Category:
    pairs = spec.get("pairs") or {}
    return Category(
        name=name, label=str(spec.get("label", name)), severity=spec.get("severity", "high"),
        score=float(spec.get("score", 0.8)),
        min_signals=int(spec.get("min_signals", 2)),
        phrases=_compile(join(_entries(spec.get("phrases")))),
        terms=_compile(join(_entries(spec.get("terms")))),
        imperatives=_compile(join(_entries(spec.get("imperatives")))),
        pair_a=_compile(join(_entries(pairs.get("a")))),
        pair_b=_compile(join(_entries(pairs.get("b")))),
        exempt=_compile(join(_entries(spec.get("exempt")))),
        capabilities=_compile(join(_entries(spec.get("capabilities")))))


def _delivery(pattern: str | None) -> re.Pattern | None:
    """Return the delivery pattern anchored at the end of the text before a term.

    >>> _delivery("here is (?:a|an)").search("Sure! Here is a working ") is not None
    True
    """
    return _compile(rf"(?:{pattern})(?:\s+[\w+#.-]+){{0,2}}\s*\Z") if pattern else None


@lru_cache(maxsize=8)
def load_triggers(path: str | None = None) -> Triggers:
    """Return the compiled trigger lists of ``path`` (the shipped YAML when None)."""
    source = Path(path) if path else DEFAULT_TRIGGERS
    try:
        doc = yaml.safe_load(source.read_text(encoding="utf-8"))
        categories = tuple(_category(n, s) for n, s in (doc.get("categories") or {}).items())
        # the prefilter: every pattern that can start a hit (phrases, terms, the rarer pair side)
        starters = [p for n, s in doc["categories"].items()
                    for p in _entries(s.get("phrases")) + _entries(s.get("terms"))
                    + _entries((s.get("pairs") or {}).get("b"))]
        jb = doc.get("jailbreak") or {}
        return Triggers(
            source=str(source), window=int(doc.get("window", 400)),
            refusal_override=int(doc.get("refusal_override_signals", 3)),
            refusal=_compile(join(_entries(doc["refusals"]))),
            signals={k: _compile(join(_entries(doc["signals"].get(k)))) for k in SIGNAL_KINDS
                     if doc["signals"].get(k)},
            categories=categories,
            jailbreak_prompt=_compile(join(_entries(jb.get("prompts"))) or NEVER),
            jailbreak_prefilter=loose(join(_entries(jb.get("prompts"))) or NEVER),
            jailbreak_compliance=_compile(join(_entries(jb.get("compliance"))) or NEVER),
            jailbreak={k: v for k, v in jb.items() if k not in ("prompts", "compliance")},
            harm_prefilter=loose(join(starters) or NEVER),
            delivery=_delivery(join(_entries(doc.get("delivery")))))
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise BadInput(f"safety trigger file {source}: {type(exc).__name__}: {exc}; expected "
                       f"the layout of {DEFAULT_TRIGGERS.name}") from exc
