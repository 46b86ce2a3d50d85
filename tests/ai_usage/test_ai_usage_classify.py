"""Classification through a scripted `llm` model and offline; the single-writer cache UPSERT."""
from __future__ import annotations

import scripted_model

from workbench import config, store
from workbench.pipelines.ai_usage.classify import classify, upsert_cache
from workbench.pipelines.ai_usage.lookup import lookup
from workbench.pipelines.registry import get
from workbench.stage import StageContext

UNKNOWN = [
    {"url_signature": "s1", "host": "claude.ai", "path_template": "/new", "query_keys": ""},
    {"url_signature": "s2", "host": "api.obscure-llm-startup.io", "path_template": "/v1/gen",
     "query_keys": "prompt"},
    {"url_signature": "s3", "host": "ml.vendor-unknown.net",
     "path_template": "/u/jane.doe@acme.example/run", "query_keys": ""},
]
ANSWER = {"is_ai": True, "service": "Obscure LLM", "vendor": "Obscure", "category": "model_api",
          "risk_level": "high", "risk_reasons": ["unvetted provider"], "data_exposure": "prompts",
          "confidence": 0.7}


def _ctx(tmp_path, model):
    settings = config.load(tmp_path)
    return StageContext(get("ai_usage"), "classify", "ai_usage-test-1", settings,
                        {"cache_ttl_days": 30, "llm_budget_usd": 1.0}, [], model)


def test_scripted_model_answers_unknowns_catalog_first(tmp_path):
    model = scripted_model.script("scripted", "not json at all", ANSWER,
                                  {**ANSWER, "is_ai": False, "service": None, "vendor": None,
                                   "category": "not_ai", "risk_level": None, "confidence": 0.6})
    ctx = _ctx(tmp_path, "scripted")
    rows, summary = classify(UNKNOWN, ctx)
    by = {r["url_signature"]: r for r in rows}
    assert by["s1"]["source"] == "catalog" and by["s1"]["service"] == "Claude"
    assert {by["s2"]["source"], by["s3"]["source"]} == {"model"}
    assert summary["catalog"] == 1 and model.calls == 3      # one re-ask after invalid JSON
    assert "claude.ai" not in "".join(model.sent)             # catalog hosts cost nothing
    assert "jane.doe@acme.example" not in "".join(model.sent)  # PII never leaves
    with store.connect(ctx.settings) as con:
        assert upsert_cache(con, rows) == 3
        assert upsert_cache(con, rows) == 3                   # UPSERT: still one row each
        n, active = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'active') "
                                "FROM analysis_cache").fetchone()
    assert (n, active) == (3, 3)


def test_offline_unknown_hosts_stay_unknown(tmp_path):
    ctx = _ctx(tmp_path, "offline")
    rows, summary = classify(UNKNOWN, ctx)
    by = {r["url_signature"]: r for r in rows}
    assert by["s1"]["source"] == "catalog"
    for s in ("s2", "s3"):
        assert by[s]["source"] == "unknown" and by[s]["is_ai"] is None
        assert by[s]["status"] == "unknown"                   # not active: asked again later
    assert summary["sent"] == 0 and summary["usd"] == 0


def test_cache_lookup_counts_only_active_entries(tmp_path):
    ctx = _ctx(tmp_path, "offline")
    rows, _ = classify(UNKNOWN, ctx)
    with store.connect(ctx.settings) as con:
        upsert_cache(con, rows)
        for i, sig in enumerate(("s1", "s2", "s3", "s4")):
            con.execute("INSERT INTO ai_usage_signatures (run_id, url_signature, host, "
                        "selection) VALUES ('r2', ?, 'h', ?)", [sig, "A" if i % 2 else "C"])
        found = lookup(con, "r2", "3")
    assert dict(zip(found["url_signature"], found["cached"], strict=True)) == {
        "s1": True, "s2": False, "s3": False, "s4": False}
