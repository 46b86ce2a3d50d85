"""The one policy engine (seed 001 §3, §6, §32): capabilities by mode, RBAC, providers, cost caps.

A Policy Manifest is a versioned YAML file (the shipped one is ``workbench/policy_manifest.yml``;
another can be given by path). Every check returns a :class:`Decision`; ``require`` raises
:class:`~workbench.errors.PolicyBlock` (taxonomy ``POLICY_BLOCK``) when it is refused, and
``record`` appends the decision to the run's ledger with the manifest's version, so an auditor
sees what was allowed or refused, for whom and under which policy.

Examples
--------
>>> policy = load()
>>> policy.capability("metadata_only", "row_samples")
False
>>> policy.allows_action({"user_id": "ana", "role": "analyst"}, "release_quarantine").allowed
False
>>> policy.allows_action({"user_id": "ola", "role": "operator"}, "release_quarantine").allowed
True
>>> policy.allows_provider("offline").allowed
True
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import BadInput, PolicyBlock

DEFAULT_MANIFEST = Path(__file__).resolve().parent / "policy_manifest.yml"
MODES = ("metadata_only", "data_mode")


@dataclass(frozen=True)
class Decision:
    """The outcome of one policy check, as it goes to the ledger."""

    allowed: bool
    check: str          # capability | action | provider | cost
    subject: str        # the capability, action, provider or cap checked
    reason: str
    policy_version: str
    actor: str = ""

    def as_event(self) -> dict:
        """Return the decision as ledger fields (``decision`` accept/reject, detail)."""
        return {"decision": "accept" if self.allowed else "reject",
                "error_code": None if self.allowed else "POLICY_BLOCK",
                "detail": asdict(self)}


class Policy:
    """A loaded Policy Manifest and the checks over it."""

    def __init__(self, manifest: dict, source: str = ""):
        self.manifest = manifest
        self.source = source
        self.version = str(manifest["version"])
        self.roles: list[str] = list(manifest["roles"])
        canonical = json.dumps(manifest, sort_keys=True, default=str).encode()
        self.sha256 = hashlib.sha256(canonical).hexdigest()

    # capabilities (§3) ------------------------------------------------------------------------
    def capability(self, mode: str, name: str) -> Any:
        """Return the value of capability ``name`` in ``mode`` (False when not listed)."""
        if mode not in self.manifest["capabilities"]:
            raise BadInput(f"mode {mode!r} is not one of {sorted(self.manifest['capabilities'])}")
        return self.manifest["capabilities"][mode].get(name, False)

    def allows_capability(self, mode: str, name: str, wanted: Any = True) -> Decision:
        """Return whether ``mode`` grants capability ``name`` (at level ``wanted``)."""
        have = self.capability(mode, name)
        ok = have == wanted if not isinstance(wanted, bool) else bool(have) is wanted
        why = (f"{name} is {have!r} in {mode}" if ok else
               f"{name} is {have!r} in {mode}, not {wanted!r} (policy {self.version}); "
               f"start a new run with mode=data_mode to use it")
        return Decision(ok, "capability", f"{mode}:{name}", why, self.version)

    # RBAC (§32) -------------------------------------------------------------------------------
    def allows_action(self, actor: dict, action: str) -> Decision:
        """Return whether ``actor`` ({user_id, role}) may perform the gated ``action``."""
        role = str(actor.get("role", ""))
        who = f"{actor.get('user_id', '?')} ({role})"
        if action not in self.manifest["actions"]:
            raise BadInput(f"unknown action {action!r}; the policy gates "
                           f"{', '.join(sorted(self.manifest['actions']))}")
        if role not in self.roles:
            return Decision(False, "action", action, f"unknown role {role!r}; roles are "
                            f"{', '.join(self.roles)}", self.version, who)
        allowed = self.manifest["actions"][action]
        ok = role in allowed
        why = (f"{role} may {action}" if ok else
               f"{action} needs one of the roles {', '.join(allowed)}; {who} is {role}")
        return Decision(ok, "action", action, why, self.version, who)

    # providers (§6, §15) ----------------------------------------------------------------------
    def allows_provider(self, model: str, allow: list[str] | None = None,
                        deny: list[str] | None = None) -> Decision:
        """Return whether a model id may be called, by the manifest's and the run's lists."""
        if model in ("", "offline"):
            return Decision(True, "provider", "offline", "the offline model sends nothing",
                            self.version)
        providers = self.manifest.get("providers") or {}
        deny_all = [*(providers.get("deny") or []), *(deny or [])]
        allow_all = [*(providers.get("allow") or []), *(allow or [])]
        for pattern in deny_all:
            if _matches(model, pattern):
                return Decision(False, "provider", model, f"{model} is denied by {pattern!r}",
                                self.version)
        if allow_all and not any(_matches(model, p) for p in allow_all):
            return Decision(False, "provider", model, f"{model} is not in the allow list "
                            f"{allow_all}", self.version)
        return Decision(True, "provider", model, "allowed", self.version)

    # cost caps -------------------------------------------------------------------------------
    def allows_cost(self, *, usd: float = 0.0, tokens: int = 0) -> Decision:
        """Return whether a run's estimated spend stays under the manifest's caps."""
        caps = self.manifest.get("cost_caps") or {}
        over = []
        if caps.get("usd_per_run") is not None and usd > float(caps["usd_per_run"]):
            over.append(f"${usd:.2f} > ${float(caps['usd_per_run']):.2f}")
        if caps.get("tokens_per_run") is not None and tokens > int(caps["tokens_per_run"]):
            over.append(f"{tokens} tokens > {int(caps['tokens_per_run'])}")
        return Decision(not over, "cost", "run", "; ".join(over) or "within the caps",
                        self.version)

    # enforcement ----------------------------------------------------------------------------
    def require(self, decision: Decision, *, settings=None, run_id: str | None = None,
                stage: str | None = None) -> Decision:
        """Record ``decision`` (when a run is given) and raise PolicyBlock if it is a refusal."""
        if settings is not None and run_id:
            record(decision, settings=settings, run_id=run_id, stage=stage)
        if not decision.allowed:
            raise PolicyBlock(f"POLICY_BLOCK: {decision.reason}", detail=asdict(decision))
        return decision


def _matches(model: str, pattern: str) -> bool:
    provider = model.split(":", 1)[0].split("/", 1)[0]
    return fnmatch.fnmatchcase(model, pattern) or pattern in (provider, model)


def record(decision: Decision, *, settings, run_id: str, stage: str | None = None) -> None:
    """Append a policy decision to the run's ledger (event ``policy_decision``)."""
    from .runs import append_ledger

    append_ledger(settings, run_id=run_id, stage=stage, event="policy_decision",
                  policy_version=decision.policy_version, **decision.as_event())


def load(path: str | Path | None = None) -> Policy:
    """Return the Policy Manifest at ``path`` (default: the shipped one), validated."""
    return _load(str(Path(path).expanduser().resolve()) if path else str(DEFAULT_MANIFEST))


@lru_cache(maxsize=8)
def _load(path: str) -> Policy:
    import yaml

    p = Path(path)
    if not p.is_file():
        raise BadInput(f"policy manifest {path} does not exist")
    try:
        manifest = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BadInput(f"policy manifest {path} is not valid YAML: {exc}") from None
    missing = [k for k in ("version", "capabilities", "roles", "actions")
               if not isinstance(manifest, dict) or k not in manifest]
    if missing:
        raise BadInput(f"policy manifest {path} lacks {', '.join(missing)}")
    for mode in MODES:
        if mode not in manifest["capabilities"]:
            raise BadInput(f"policy manifest {path}: capabilities has no {mode!r}")
    for action, roles in manifest["actions"].items():
        bad = [r for r in roles if r not in manifest["roles"]]
        if bad:
            raise BadInput(f"policy manifest {path}: action {action!r} names unknown roles {bad}")
    return Policy(manifest, source=path)
