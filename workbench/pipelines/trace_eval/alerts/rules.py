"""Alert rules and the delivery policy: YAML files validated with pydantic.

>>> rs = load_rules()
>>> [r.name for r in rs.rules][:2], rs.policy.routing["critical"].mode
(['pii_leak', 'safety_critical'], 'immediate')
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ....errors import BadInput

Channel = Literal["webhook", "slack", "email"]
AlertSeverity = Literal["low", "medium", "high", "critical"]
ResultSeverity = Literal["none", "low", "medium", "high", "critical"]
GroupColumn = Literal["module", "model", "tier"]
CHANNELS: tuple[str, ...] = ("webhook", "slack", "email")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rate(_Strict):
    """A failure-rate condition over tumbling windows of ``started_at``."""

    window_minutes: int = Field(gt=0, le=7 * 24 * 60)
    threshold: float = Field(ge=0, le=1)
    min_traces: int = Field(default=10, ge=1)


class When(_Strict):
    """Which tier-result rows a rule matches."""

    module: str | list[str] | None = None
    tier: int | None = Field(default=None, ge=1, le=3)
    min_severity: ResultSeverity | None = None
    min_score: float | None = None
    rate: Rate | None = None

    @model_validator(mode="after")
    def _check(self) -> When:
        if self.module is None and self.rate is None:
            raise ValueError("give a module, a rate, or both")
        if self.rate is not None and self.min_score is not None:
            raise ValueError("min_score cannot be combined with rate")
        return self

    @property
    def modules(self) -> list[str] | None:
        """Return the module names matched, or None for every module."""
        if self.module is None:
            return None
        return [self.module] if isinstance(self.module, str) else list(self.module)


class Rule(_Strict):
    """One alert rule: a condition, the alert's severity, optional channels and grouping."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    when: When
    severity: AlertSeverity
    channels: list[Channel] | None = None
    group_by: list[GroupColumn] = Field(default_factory=list)
    enabled: bool = True
    description: str = ""


class Route(_Strict):
    """Where alerts of one severity go, and whether at once or in the digest."""

    channels: list[Channel]
    mode: Literal["immediate", "digest"] = "immediate"


class Escalation(_Strict):
    """``repeats`` occurrences of one fingerprint within ``window_minutes`` → one level up."""

    repeats: int = Field(default=3, ge=2)
    window_minutes: int = Field(default=60, gt=0)


def _default_routing() -> dict[str, Route]:
    return {"critical": Route(channels=list(CHANNELS)),
            "high": Route(channels=["webhook", "slack"]),
            "medium": Route(channels=["slack", "email"], mode="digest"),
            "low": Route(channels=["email"], mode="digest")}


class Policy(_Strict):
    """Routing, batching, deduplication, escalation and rate limits of alert delivery."""

    routing: dict[AlertSeverity, Route] = Field(default_factory=_default_routing)
    batch_minutes: int = Field(default=15, gt=0)
    dedup_minutes: int = Field(default=60, ge=0)
    escalation: Escalation = Field(default_factory=Escalation)
    rate_limit_per_minute: int | dict[Channel, int] = 10
    max_excerpts: int = Field(default=5, ge=0, le=5)
    excerpt_chars: int = Field(default=200, ge=20, le=200)

    def route(self, severity: str) -> Route:
        """Return the route of ``severity`` (no channels when the policy names none)."""
        return self.routing.get(severity, Route(channels=[], mode="digest"))

    def rate_limit(self, channel: str) -> int:
        """Return the messages per minute allowed on ``channel``."""
        limit = self.rate_limit_per_minute
        return limit if isinstance(limit, int) else limit.get(channel, 10)


class RuleSet(_Strict):
    """The enabled rules and the policy, as loaded."""

    rules: list[Rule]
    policy: Policy = Field(default_factory=Policy)
    sources: list[str] = Field(default_factory=list)


def _field(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(rule)"


def _bad(what: str, source: str, err: ValidationError) -> BadInput:
    first = err.errors()[0]
    msg = first["msg"]
    if "input" in first and first["type"] != "missing" and not isinstance(first["input"], dict):
        msg += f" (got {first['input']!r})"
    return BadInput(f"{what} in {source}, field '{_field(first['loc'])}': {msg}",
                    detail={"source": source, "field": _field(first["loc"]), "errors":
                            [{"field": _field(e["loc"]), "msg": e["msg"]} for e in err.errors()]})


def _read(path: Path | str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) if path else None
    except FileNotFoundError:
        raise BadInput(f"alert rules file {source} not found; give an existing YAML file") from None
    except yaml.YAMLError as exc:
        raise BadInput(f"alert rules file {source} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise BadInput(f"alert rules file {source} must be a mapping with a 'rules' list")
    unknown = set(data) - {"rules", "policy", "replace_shipped"}
    if unknown:
        raise BadInput(f"alert rules file {source}: unknown key(s) {sorted(unknown)}; "
                       "expected rules, policy, replace_shipped")
    return data


def _rules(raw: list, source: str) -> list[Rule]:
    out = []
    for i, item in enumerate(raw):
        name = item.get("name") if isinstance(item, dict) else None
        label = f"alert rule '{name}'" if name else f"alert rule #{i + 1}"
        try:
            out.append(Rule.model_validate(item))
        except ValidationError as err:
            raise _bad(label, source, err) from None
    return out


def parse_rules(layers: list[tuple[str, dict[str, Any]]]) -> RuleSet:
    """Return the RuleSet of YAML layers (source, data), later layers overriding earlier ones."""
    by_name: dict[str, Rule] = {}
    policy: dict[str, Any] = {}
    for source, data in layers:
        if data.get("replace_shipped"):
            by_name = {}
        seen: set[str] = set()
        for rule in _rules(data.get("rules") or [], source):
            if rule.name in seen:
                raise BadInput(f"alert rule '{rule.name}' is defined twice in {source}")
            seen.add(rule.name)
            by_name[rule.name] = rule
        raw_policy = data.get("policy") or {}
        if not isinstance(raw_policy, dict):
            raise BadInput(f"alert policy in {source} must be a mapping")
        routing = {**policy.get("routing", {}), **(raw_policy.get("routing") or {})}
        policy = {**policy, **raw_policy, **({"routing": routing} if routing else {})}
        try:
            Policy.model_validate(policy)
        except ValidationError as err:
            raise _bad("alert policy", source, err) from None
    return RuleSet(rules=[r for r in by_name.values() if r.enabled],
                   policy=Policy.model_validate(policy), sources=[s for s, _ in layers])


def shipped_rules_path() -> Path:
    """Return the path of the rules file shipped in the package."""
    return Path(str(resources.files(__package__) / "rules.yml"))


def load_rules(path: str | Path | None = None, *, shipped: bool = True) -> RuleSet:
    """Return the shipped rules overridden by the user file at ``path`` (if any)."""
    layers = []
    if shipped:
        layers.append(("rules.yml (shipped)", _read(shipped_rules_path(), "rules.yml (shipped)")))
    if path is not None:
        layers.append((str(path), _read(path, str(path))))
    return parse_rules(layers)
