"""The run contract of seed 001 §28, the threshold profile (§29) and the version tuple (§27).

Examples
--------
>>> profile = load_profile("tp_default_v1")
>>> profile["domaining"]["tau_high"], profile["mapping"]["accept_rate_min"]
(0.82, 0.95)
>>> band(0.9, profile), band(0.6, profile), band(0.2, profile)
('high', 'borderline', 'low')
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from ...errors import BadInput

HERE = Path(__file__).resolve().parent
ROADMAP_VERSION = "1.1.0"
PROFILE_KEYS = {"domaining": ("tau_high", "tau_low", "weights"),
                "mapping": ("accept_rate_min", "near_match_window", "top_k"),
                "analysis": ("null_rate_max", "dup_key_rate_max"),
                "migration": ("batch_size", "validation_checks")}


def load_profile(name: str = "tp_default_v1") -> dict:
    """Return a threshold profile: a shipped id (``tp_default_v1``) or the path of a YAML file."""
    return json.loads(json.dumps(_profile(name)))  # a copy: callers may not change the cache


@lru_cache(maxsize=8)
def _profile(name: str) -> dict:
    import yaml

    path = Path(name).expanduser() if name.endswith((".yml", ".yaml")) else HERE / f"{name}.yml"
    if not path.is_file():
        raise BadInput(f"threshold_profile {name!r}: no such profile (shipped: tp_default_v1; "
                       f"or give the path of a profile YAML)")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for section, keys in PROFILE_KEYS.items():
        missing = [k for k in keys if k not in (data.get(section) or {})]
        if missing:
            raise BadInput(f"threshold profile {path}: {section} lacks {', '.join(missing)}")
    if not 0 <= data["domaining"]["tau_low"] <= data["domaining"]["tau_high"] <= 1:
        raise BadInput(f"threshold profile {path}: need 0 <= tau_low <= tau_high <= 1")
    data.setdefault("profile_id", path.stem)
    return data


def band(score: float, profile: dict) -> str:
    """Return the confidence band of a score: high (≥ τ_high), low (< τ_low) or borderline."""
    d = profile["domaining"]
    return "high" if score >= d["tau_high"] else "low" if score < d["tau_low"] else "borderline"


def actor_of(params: dict) -> dict:
    """Return the run's actor ``{user_id, role}``, the OS user when no user id was given."""
    import getpass

    actor = dict(params.get("actor") or {})
    actor["user_id"] = actor.get("user_id") or getpass.getuser()
    actor.setdefault("role", "analyst")
    return actor


def sha256_json(value) -> str:
    """Return the SHA-256 of canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def run_contract(ctx, *, lhs: dict, rhs: dict) -> dict:
    """Return the §28 run contract of this run, with its SHA-256 under ``contract_hash``."""
    from ...policy import load as load_policy

    p = ctx.params
    profile = load_profile(p["threshold_profile"])
    contract = {
        "run_id": ctx.run_id, "roadmap_version": ROADMAP_VERSION, "mode": p["mode"],
        "lane_hint": p.get("lane_hint") or None, "lhs": lhs, "rhs": rhs,
        "pii_policy": p["pii_policy"], "budget_caps": p["budget_caps"],
        "routing_profile": p["routing_profile"],
        "provider_allowlist": p["provider_allowlist"], "provider_denylist": p["provider_denylist"],
        "threshold_profile_id": profile["profile_id"], "dsl_version": p["dsl_version"],
        "sample_caps": p["sample_caps"] if p["mode"] == "data_mode" else None,
        "cache_scope": {"run": ctx.run_id, "tab": ctx.stage, "filters": {}},
        "human_confirm_required": p["human_confirm_required"], "rbac_actor": actor_of(p),
        "audit_tags": p["audit_tags"], "policy_version": load_policy(p["policy"] or None).version,
    }
    return {**contract, "contract_hash": sha256_json(contract)}


def versions(ctx, **extra) -> dict:
    """Return the version tuple every artifact records (§27): policy, DSL, profile, catalog."""
    from ...config import POLICY_VERSION
    from ...policy import load as load_policy

    p = ctx.params
    return {"policy_version": load_policy(p["policy"] or None).version,
            "pii_policy_version": POLICY_VERSION, "dsl_version": p["dsl_version"],
            "threshold_profile_id": load_profile(p["threshold_profile"])["profile_id"],
            "run_id": ctx.run_id, **extra}
