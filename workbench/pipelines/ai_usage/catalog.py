"""The curated AI service catalog (``catalog.yml``): match full host names and host patterns."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CATALOG_FILE = Path(__file__).with_name("catalog.yml")
NOT_AI_FILE = Path(__file__).with_name("not_ai_hosts.yml")
CATEGORIES = ("chat_assistant", "coding_assistant", "model_api", "image_generation",
              "audio_generation", "video_generation", "ai_search", "model_hub", "agent_platform",
              "writing_assistant", "translation", "meeting_assistant")
RISK_REASONS = {
    "high": "consumer AI service: prompts and uploads may be retained or used for training",
    "medium": "business or API tier: data leaves the organisation under a provider's terms",
    "low": "scoped use (model download or enterprise tenancy): limited data exposure",
}


@dataclass(frozen=True)
class Service:
    """One catalog entry."""

    service: str
    vendor: str
    category: str
    risk: str
    hosts: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]
    paths: tuple[str, ...]

    def answer(self) -> dict:
        """Return this service as a classification answer (the task's schema)."""
        return {"is_ai": True, "service": self.service, "vendor": self.vendor,
                "category": self.category, "risk_level": self.risk,
                "risk_reasons": [RISK_REASONS[self.risk]],
                "data_exposure": f"{self.category.replace('_', ' ')}: requests may carry prompts,"
                                 " files or code", "confidence": 0.95}


def _pattern(glob: str) -> re.Pattern:
    # "*." is one or more whole labels; any other "*" stays inside one label
    parts = [re.escape(p).replace(r"\*", "[^.]+") for p in glob.lower().split(".")]
    rx = r"\.".join(parts)
    if glob.startswith("*."):
        rx = r"(?:[^.]+\.)+" + r"\.".join(parts[1:])
    return re.compile(f"^{rx}$")


@dataclass(frozen=True)
class Catalog:
    """All services, indexed by exact host, with the patterns tried after."""

    version: str
    services: tuple[Service, ...]
    by_host: dict
    not_ai: frozenset[str]

    def match(self, host: str, path_template: str = "/") -> Service | None:
        """Return the service of a full host name (and path), or None; never by parent domain."""
        host = (host or "").lower().rstrip(".")
        candidates = list(self.by_host.get(host, ()))
        if not candidates:
            candidates = [s for s in self.services if any(p.match(host) for p in s.patterns)]
        for s in sorted(candidates, key=lambda s: -len(s.paths)):  # path-scoped entries first
            if not s.paths or any(path_template.startswith(p) for p in s.paths):
                return s
        return None

    def is_known_not_ai(self, host: str) -> bool:
        """Return True for hosts the catalog lists as ordinary (non-AI) sites."""
        return (host or "").lower().rstrip(".") in self.not_ai


@functools.cache
def load_catalog(path: Path = CATALOG_FILE, not_ai_path: Path = NOT_AI_FILE) -> Catalog:
    """Return the catalog parsed from its YAML files."""
    raw = yaml.safe_load(Path(path).read_text())
    services, by_host = [], {}
    for e in raw["services"]:
        s = Service(e["service"], e["vendor"], e["category"], e["risk"],
                    tuple(h.lower() for h in e.get("hosts", [])),
                    tuple(_pattern(p) for p in e.get("patterns", [])), tuple(e.get("paths", [])))
        if s.category not in CATEGORIES or s.risk not in RISK_REASONS:
            raise ValueError(f"catalog entry {s.service}: bad category or risk")
        services.append(s)
        for h in s.hosts:
            by_host.setdefault(h, []).append(s)
    not_ai = yaml.safe_load(Path(not_ai_path).read_text())["hosts"]
    return Catalog(str(raw["version"]), tuple(services), by_host, frozenset(not_ai))
