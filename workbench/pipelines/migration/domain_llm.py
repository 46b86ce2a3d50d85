"""Borderline columns to a model (§10 arbitration), through the ``workbench.llm`` gateway.

The prompt holds the (standardized) header, its type, the rules' top candidates with their
catalog descriptions (the project's own text: a ``trusted`` input of the task) and,
in data_mode only, a tiny sketch of *masked* values (their shapes and a few masked examples).
The model must answer one of the candidates or ``unknown``; a candidate it names with
confidence at or above τ_high makes the column high, decided by ``model:<id>``. Offline, the
task's answer is the rules' own best candidate: the column stays borderline and the ledger and
the report say no model was asked. The provider is checked against the policy first.
"""
from __future__ import annotations

from collections import Counter

from ...llm import Budget, Task, run_tasks
from ...pii import mask
from .vectors import shape

SCHEMA = {"type": "object", "required": ["domain", "confidence", "rationale"],
          "properties": {"domain": {"type": "string"},
                         "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                         "rationale": {"type": "string", "maxLength": 400}},
          "additionalProperties": False}
PROMPT = """You assign a semantic domain to one column of a legacy table.
Table: {table}
Column header: {header} (type {dtype})
Candidate domains (id: description):
{candidates}
{sketch}
Answer with one candidate id, or "unknown" when none fits, your confidence (0-1) and a short
rationale. Answer JSON only."""


def _offline(inputs: dict) -> dict:
    return {"domain": inputs["rules_choice"], "confidence": float(inputs["rules_score"]),
            "rationale": "offline: the rules' best candidate; no model was asked"}


TASK = Task(name="migration.domain", version="1", prompt=PROMPT, schema=SCHEMA,
            offline=_offline, expected_output_tokens=120,
            trusted=("candidates",))


def sketch(values: list, settings, limit: int = 5) -> str:
    """Return a masked value sketch: the commonest shapes and a few masked examples."""
    vals = [str(v) for v in values if v is not None and str(v).strip()]
    if not vals:
        return ""
    shapes = ", ".join(f"{s} ×{n}" for s, n in Counter(shape(v)[:24] for v in vals)
                       .most_common(3))
    examples = [mask(v[:60], "redact", settings=settings).text for v in dict.fromkeys(vals)]
    return f"Value shapes: {shapes}\nMasked examples: {'; '.join(examples[:limit])}"


def arbitrate(ctx, results: list[dict], stds: list, catalog, profile: dict, *,
              use_values: bool) -> dict:
    """Send borderline columns to the run's model (if allowed); update results; return a summary."""
    from ...policy import load as load_policy

    p = ctx.params
    chosen = [i for i, r in enumerate(results) if r["band"] == "borderline"][: p["llm_borderline"]]
    model = ctx.model or "offline"
    summary = {"borderline": sum(1 for r in results if r["band"] == "borderline"),
               "sent": 0, "model": model, "status": "offline", "promoted": 0}
    if not chosen:
        summary["status"] = "none borderline"
        return summary
    policy = load_policy(p.get("policy") or None)
    allowed = policy.allows_provider(model, p["provider_allowlist"], p["provider_denylist"])
    if model != "offline":
        policy.require(allowed, settings=ctx.settings, run_id=ctx.run_id, stage=ctx.stage)
    items = []
    for i in chosen:
        r, (_, col) = results[i], stds[i]
        cands = [a["domain"] for a in r["evidence"]["alternatives"]]
        items.append({"table": r["table"], "header": col["name"], "dtype": col["dtype"],
                      "candidates": "\n".join(f"- {c}: {catalog.get(c).description}"
                                              for c in cands),
                      "sketch": sketch(_values_of(ctx, r, stds[i]), ctx.settings)
                      if use_values else "(metadata_only: no values)",
                      "rules_choice": r["candidate"], "rules_score": r["score"]})
    caps = (p.get("budget_caps") or {}).get("domains") or {}
    budget = Budget(max_tokens=caps.get("tokens"), max_usd=caps.get("usd"))
    answers = run_tasks(TASK, items, model=model, budget=budget, run_id=ctx.run_id,
                        stage=ctx.stage, settings=ctx.settings)
    tau_high = profile["domaining"]["tau_high"]
    for i, res in zip(chosen, answers, strict=True):
        r = results[i]
        r["evidence"]["model"] = {"status": res.status, "model": res.model,
                                  "error_code": res.error_code}
        if not res.from_model or not res.output:
            continue
        summary["sent"] += 1
        out = res.output
        valid = {a["domain"] for a in r["evidence"]["alternatives"]}
        r["evidence"]["model"].update(answer=out["domain"], confidence=out["confidence"],
                                      rationale=mask(out["rationale"], "redact",
                                                     settings=ctx.settings).text)
        if out["domain"] == "unknown":
            r.update(domain=None, band="low", decided_by=f"model:{res.model}")
        elif out["domain"] in valid and out["confidence"] >= tau_high:
            r.update(domain=out["domain"], candidate=out["domain"], band="high",
                     decided_by=f"model:{res.model}")
            summary["promoted"] += 1
    summary["status"] = "model" if summary["sent"] else "offline"
    return summary


def _values_of(ctx, r: dict, std_col) -> list:
    from .frames import raw_sample

    std, col = std_col
    import polars as pl

    return raw_sample(ctx, std, []).get_column(col["name"]).cast(pl.Utf8).drop_nulls() \
        .head(50).to_list()
