"""Human decisions of the studios: a JSON file in the workspace and a ledger event each.

A decision is ``{kind, key, action, ..., actor, at}``: kind ``domain`` (key
``table.column``; action approve | unknown | set with ``domain``) or ``mapping`` (key
``table.column`` of the target; action accept | hold | fix, optionally with a replacement
``dsl`` plan). The latest decision per (kind, key) wins. Headless runs apply the file: it is
part of the run contract, so recording a decision makes the next run a new one.

Examples
--------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "decisions.json"
>>> _ = append(f, {"kind": "domain", "key": "customers.dob", "action": "set",
...                "domain": "person.birth_date", "actor": {"user_id": "ana", "role": "analyst"}})
>>> latest(f)[("domain", "customers.dob")]["domain"]
'person.birth_date'
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ...errors import BadInput

ACTIONS = {"domain": ("approve", "unknown", "set"), "mapping": ("accept", "hold", "fix")}
GATES = {"domain": "decide_domain", "mapping": "decide_mapping"}


def decisions_path(settings, params: dict | None = None) -> Path:
    """Return the decisions file of a run: the ``decisions`` parameter, else the workspace's."""
    if params and params.get("decisions"):
        return Path(params["decisions"]).expanduser()
    return settings.data_dir / "migration" / "decisions.json"


def read(path: Path) -> list[dict]:
    """Return every recorded decision, oldest first."""
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadInput(f"decisions file {path} is not valid JSON: {exc}") from None
    return list(data.get("decisions", []))


def latest(path: Path) -> dict[tuple[str, str], dict]:
    """Return the latest decision per (kind, key)."""
    out: dict[tuple[str, str], dict] = {}
    for d in read(path):
        out[(d["kind"], d["key"])] = d
    return out


def append(path: Path, decision: dict) -> dict:
    """Validate and append one decision to the file (atomically); return it."""
    kind, action = decision.get("kind"), decision.get("action")
    if kind not in ACTIONS or action not in ACTIONS[kind]:
        raise BadInput(f"decision {kind!r}/{action!r}: kind is one of {sorted(ACTIONS)} with "
                       f"actions {ACTIONS.get(kind, ACTIONS['domain'])}")
    if kind == "domain" and action == "set" and not decision.get("domain"):
        raise BadInput("a domain decision 'set' needs the domain id")
    if decision.get("dsl"):
        from ... import transform

        decision["dsl"] = transform.validate(decision["dsl"])  # DSL_REJECT on a bad plan
    decision = {**decision, "at": decision.get("at") or
                datetime.now(UTC).isoformat(timespec="seconds")}
    items = [*read(path), decision]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"decisions": items}, indent=1, ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(path)
    return decision


def record(ctx, kind: str, key: str, action: str, *, actor: dict | None = None, **extra) -> dict:
    """Record a studio decision: RBAC-checked, in the decisions file and in the run's ledger."""
    from ...policy import load as load_policy
    from .contract import actor_of

    actor = dict(actor or actor_of(ctx.params))
    policy = load_policy(ctx.params.get("policy") or None)
    policy.require(policy.allows_action(actor, GATES[kind]), settings=ctx.settings,
                   run_id=ctx.run_id, stage=ctx.stage)
    d = append(decisions_path(ctx.settings, ctx.params),
               {"kind": kind, "key": key, "action": action, "actor": actor,
                "run_id": ctx.run_id, **extra})
    ctx.ledger("human_decision", decision={"approve": "accept", "set": "fix",
                                           "unknown": "reject"}.get(action, action),
               policy_version=policy.version,
               detail={"kind": kind, "key": key, "action": action, "actor": actor,
                       **{k: v for k, v in extra.items() if k != "dsl"},
                       "human_confirmation": {"required": bool(
                           ctx.params.get("human_confirm_required")), "actor": actor,
                           "timestamp": d["at"]}})
    return d
