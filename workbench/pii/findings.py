"""The value types of PII detection: a finding (a typed span) and a masked text."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected PII span: ``text[start:end]`` is a value of ``entity_type``."""

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Masked:
    """A masked text and the number of values replaced per entity type."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Return the number of values replaced."""
        return sum(self.counts.values())
