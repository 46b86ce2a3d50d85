"""Stage 6, classify: unknown signatures -> catalog, then the LLM task; one writer UPSERTs.

Known AI hosts are answered by the curated catalog before any model call (source ``catalog``).
The rest go through ``workbench.llm``: a model's answer is ``model``; the task's offline answer
(the catalog's list of ordinary hosts) is ``offline``; everything else stays ``unknown`` - the
offline path never guesses.
"""
from __future__ import annotations

import json
from datetime import timedelta

import polars as pl

from ...runs import now
from . import lake
from .catalog import CATEGORIES, load_catalog
from .lookup import ACTIVE_SQL

TASK_VERSION = "1"
SCHEMA = {
    "type": "object",
    "required": ["is_ai", "service", "vendor", "category", "risk_level", "risk_reasons",
                 "data_exposure", "confidence"],
    "properties": {
        "is_ai": {"type": ["boolean", "null"]},
        "service": {"type": ["string", "null"]},
        "vendor": {"type": ["string", "null"]},
        "category": {"enum": [*CATEGORIES, "not_ai", None]},
        "risk_level": {"enum": ["low", "medium", "high", None]},
        "risk_reasons": {"type": "array", "items": {"type": "string"}},
        "data_exposure": {"type": ["string", "null"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
}
PROMPT = (
    "You classify web destinations seen in a company's proxy logs.\n"
    "Host: {host}\nPath template: {path_template}\nQuery keys: {query_keys}\n"
    "Is this an AI service (chat assistant, coding assistant, model API, image/audio/video "
    "generation, AI search, model hub, agent platform, AI writing, translation or meeting "
    "assistant)? If so which service and vendor, which category, the risk level for company "
    "data with reasons, and notes on what data is exposed. Judge the full host name, not its "
    "parent domain. Answer null fields when you do not know; give your confidence from 0 to 1.")
FIELDS = ("is_ai", "service", "vendor", "category", "risk_level", "confidence", "source")


def offline_answer(inputs: dict) -> dict:
    """Return the catalog's answer for a host, or an explicit unknown (never a guess)."""
    cat = load_catalog()
    s = cat.match(inputs.get("host", ""), inputs.get("path_template", "/"))
    if s:
        return s.answer()
    if cat.is_known_not_ai(inputs.get("host", "")):
        return {"is_ai": False, "service": None, "vendor": None, "category": "not_ai",
                "risk_level": None, "risk_reasons": [], "data_exposure": None,
                "confidence": 0.9}
    return {"is_ai": None, "service": None, "vendor": None, "category": None,
            "risk_level": None, "risk_reasons": [], "data_exposure": None, "confidence": 0.0}


def task():
    """Return the classification Task (lazy: workbench.llm is imported on use)."""
    from ...llm import Task

    return Task(name="ai_usage.classify", version=TASK_VERSION, prompt=PROMPT, schema=SCHEMA,
                offline=offline_answer, expected_output_tokens=250)


def _cache_row(sig: dict, out: dict | None, source: str, status: str, ctx, *, model=None,
               error_code=None) -> dict:
    out = out or {}
    ttl = float(ctx.params.get("cache_ttl_days", 30))
    return {"url_signature": sig["url_signature"], "host": sig["host"],
            "path_template": sig["path_template"], "is_ai": out.get("is_ai"),
            "service": out.get("service"), "vendor": out.get("vendor"),
            "category": out.get("category"), "risk_level": out.get("risk_level"),
            "risk_reasons": json.dumps(out.get("risk_reasons") or []),
            "data_exposure": out.get("data_exposure"),
            "confidence": float(out.get("confidence") or 0.0), "source": source,
            "status": status, "model": model, "task_version": TASK_VERSION,
            "catalog_version": load_catalog().version, "error_code": error_code,
            "run_id": ctx.run_id, "updated_at": now(),
            "expires_at": now() + timedelta(days=ttl) if source == "model" else None}


def classify(unknown: list[dict], ctx) -> tuple[list[dict], dict]:
    """Return cache rows for the unknown signatures and the spend/outcome summary."""
    cat = load_catalog()
    rows, rest = [], []
    for sig in unknown:
        s = cat.match(sig["host"], sig["path_template"] or "/")
        if s:
            rows.append(_cache_row(sig, s.answer(), "catalog", "active", ctx, model="catalog"))
        else:
            rest.append(sig)
    summary = {"catalog": len(rows), "sent": 0, "usd": 0.0, "tokens": 0, "skipped": 0}
    if rest:
        from ...llm import Budget, run_tasks

        p = ctx.params
        budget = Budget(max_usd=p.get("llm_budget_usd"), max_tokens=p.get("llm_budget_tokens"))
        items = [{"host": r["host"], "path_template": r["path_template"] or "/",
                  "query_keys": r["query_keys"] or "(none)"} for r in rest]
        results = run_tasks(task(), items, model=ctx.model, budget=budget, run_id=ctx.run_id,
                            stage=ctx.stage, settings=ctx.settings)
        for sig, res in zip(rest, results, strict=True):
            summary["usd"] += res.usd or 0.0
            summary["tokens"] += (res.tokens_in or 0) + (res.tokens_out or 0)
            summary["sent"] += int(res.status == "ok")
            if res.status in ("ok", "cached") and res.output:
                known = res.output.get("is_ai") is not None
                rows.append(_cache_row(sig, res.output, "model" if known else "unknown",
                                       "active" if known else "unknown", ctx, model=res.model))
            elif res.status == "offline" and res.output and res.output.get("is_ai") is not None:
                rows.append(_cache_row(sig, res.output, "offline", "active", ctx,
                                       model="offline"))
            elif res.status == "skipped":
                summary["skipped"] += 1
                rows.append(_cache_row(sig, None, "unknown", "skipped", ctx, model=res.model,
                                       error_code=res.error_code))
            else:
                rows.append(_cache_row(sig, None, "unknown", "unknown", ctx, model=res.model))
    return rows, summary


def upsert_cache(con, rows: list[dict]) -> int:
    """UPSERT cache rows in one transaction (the single writer of ``analysis_cache``)."""
    if not rows:
        return 0
    df = pl.DataFrame(rows)
    con.execute("BEGIN")
    con.register("_ai_rows", df.to_arrow())
    cols = ", ".join(df.columns)
    con.execute(f"INSERT OR REPLACE INTO analysis_cache ({cols}) SELECT {cols} FROM _ai_rows")
    con.unregister("_ai_rows")
    con.execute("COMMIT")
    return df.height


def final_signatures(con, run_id: str, catalog_version: str) -> pl.DataFrame:
    """Return this run's signature rows with classification from the cache (active entries)."""
    return con.execute(
        "SELECT s.* EXCLUDE (is_ai, service, vendor, category, risk_level, confidence, source), "
        "c.is_ai, c.service, c.vendor, c.category, c.risk_level, c.confidence, c.source "
        "FROM ai_usage_signatures s LEFT JOIN analysis_cache c "
        f"ON c.url_signature = s.url_signature AND {ACTIVE_SQL} WHERE s.run_id = ? "
        "ORDER BY s.url_signature", [catalog_version, run_id]).pl()


def fill_unselected(df: pl.DataFrame) -> pl.DataFrame:
    """Return rows without a cached answer filled from the catalog (free) or marked unknown."""
    cat = load_catalog()
    filled = []
    for r in df.iter_rows(named=True):
        if r["source"] is None:
            out = offline_answer({"host": r["host"], "path_template": r["path_template"] or "/"})
            if out["is_ai"] is None:
                r.update(is_ai=None, service=None, vendor=None, category=None, risk_level=None,
                         confidence=0.0, source="unknown")
            else:
                src = "catalog" if cat.match(r["host"], r["path_template"] or "/") else "offline"
                r.update({k: out[k] for k in ("is_ai", "service", "vendor", "category",
                                              "risk_level", "confidence")}, source=src)
        filled.append(r)
    return pl.DataFrame(filled, schema=df.schema)


def run(ctx) -> dict:
    """Classify the unknown set, UPSERT the cache, complete ``ai_usage_signatures``."""
    unknown = pl.read_parquet(ctx.run_lake_path(lake.UNKNOWN)) \
        if lake.exists(ctx, lake.UNKNOWN) else pl.DataFrame()
    rows, summary = classify(unknown.to_dicts() if unknown.height else [], ctx)
    version = load_catalog().version
    with ctx.connect() as con:
        upsert_cache(con, rows)
        sigs = final_signatures(con, ctx.run_id, version)
    sigs = fill_unselected(sigs)
    ctx.replace_rows("ai_usage_signatures", sigs)
    by_source = {k: int(v) for k, v in sigs.group_by("source").len().sort("source").iter_rows()}
    summary.update(by_source={k or "none": v for k, v in by_source.items()},
                   model=ctx.model, unknown_in=unknown.height)
    ctx.ledger("classify", decision="accept", status="ok", model=ctx.model,
               usd=round(summary["usd"], 6), detail=summary)
    ctx.output("signatures", sigs.select("url_signature", "is_ai", "service", "source"))
    ctx.finish(rows_in=unknown.height, rows_out=len(rows), **summary)
    return {"rows": rows, "signatures": sigs, **summary}
