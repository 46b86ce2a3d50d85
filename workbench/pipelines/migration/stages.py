"""The stages of ``migration``: ingest → domains → mapping → analysis.

Every stage checks the policy first (RBAC for the actor, the capability matrix for the mode)
and records each decision in the ledger. Tables hold no raw values: the catalog holds counts
and types, domain evidence holds header words, rates and scores, and the Sample Pack (data_mode
only) is masked before it is written.
"""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from ...policy import load as load_policy
from ...report import write_json
from . import analysis as checks
from .catalog import choose_key
from .contract import actor_of, load_profile, run_contract, sha256_json, versions
from .decisions import decisions_path, latest
from .domain_catalog import load_catalog
from .domaining import ColumnEvidence, score_columns, unit_cue
from .frames import raw_sample, sources_of
from .mapping import compiled, decide, evaluate, plan_target, relation, table_pairs
from .masking import mask_sample
from .matching import pair_scores
from .target import find_target

SAMPLES = "migration_samples"


def _policy(ctx):
    return load_policy(ctx.params.get("policy") or None)


def _mode(ctx) -> str:
    return ctx.params["mode"]


def _values(series: pl.Series, limit: int = 400) -> list:
    return series.cast(pl.Utf8).drop_nulls().head(limit).to_list()


def _keys(ctx) -> dict[str, list[str]]:
    with ctx.connect(read_only=True) as con:
        rows = con.execute("SELECT source_table, source_column FROM migration_catalog "
                           "WHERE run_id = ? AND is_key ORDER BY position", [ctx.run_id]).fetchall()
    out: dict[str, list[str]] = {}
    for t, c in rows:
        out.setdefault(t, []).append(c)
    return out


def _target(ctx):
    p = ctx.params
    return find_target(list(ctx.inputs), p.get("target", ""), p.get("target_url", ""))


# 1. ingest ---------------------------------------------------------------------------------------
def ingest(ctx) -> dict:
    """Stage 1: the Standard Schema Catalog and, in data_mode, the masked Sample Pack."""
    p, policy, mode = ctx.params, _policy(ctx), _mode(ctx)
    policy.require(policy.allows_action(actor_of(p), "create_run"), settings=ctx.settings,
                   run_id=ctx.run_id, stage=ctx.stage)
    target = _target(ctx)
    tables = sources_of(ctx)
    samples_allowed = policy.allows_capability(mode, "row_samples")
    if mode == "data_mode":
        policy.require(samples_allowed, settings=ctx.settings, run_id=ctx.run_id,
                       stage=ctx.stage)
    domains = load_catalog(ctx.settings)
    profile = load_profile(p["threshold_profile"])
    rows, doc_tables, audit, sample_rows_total = [], [], [], 0
    sample_dir = ctx.run_lake_path(SAMPLES)
    for std in tables:
        key = choose_key(std.columns, std.table.primary_key)
        sample = raw_sample(ctx, std, key)
        guess = score_columns([ColumnEvidence(std.table.name, c["raw"], c["dtype"],
                                              values=_values(sample[c["name"]]),
                                              hints=c["inferred"]["hints"])
                               for c in std.columns], domains, profile)
        for i, c in enumerate(std.columns):
            st = c["stats"]
            rows.append({"source_table": std.table.name, "source_column": c["name"],
                         "raw_name": c["raw"], "position": i, "dtype": c["dtype"],
                         "physical_type": std.table.physical_types.get(c["raw"], "text")
                         if std.table.kind in ("csv", "sql") else c["physical"],
                         "nullable": st["null_count"] > 0, "null_count": st["null_count"],
                         "row_count": std.row_count, "distinct_estimate": st["distinct_estimate"],
                         "is_key": c["name"] in key,
                         "semantic_hints": json.dumps(c["inferred"]["hints"] +
                                                      ([f"unit:{u}"] if (u := unit_cue(
                                                          ColumnEvidence(std.table.name,
                                                                         c["raw"]))) else [])),
                         "shim": json.dumps(c["plan"], sort_keys=True)})
        doc_tables.append({**std.table.describe(), "row_count": std.row_count,
                           "stats_from": std.stats_from, "key": key,
                           "foreign_keys": std.table.foreign_keys,
                           "columns": [{k: r[k] for k in ("source_column", "raw_name", "dtype",
                                                          "nullable", "null_count",
                                                          "distinct_estimate", "is_key")}
                                       | {"hints": json.loads(r["semantic_hints"]),
                                          "shim": json.loads(r["shim"])}
                                       for r in rows if r["source_table"] == std.table.name]})
        if mode == "data_mode":
            doms = {c["name"]: g["candidate"] if g["band"] != "low" else None
                    for c, g in zip(std.columns, guess, strict=True)}
            masked, a = mask_sample(sample, doms, ctx.settings, std.table.name)
            audit.extend(a)
            out = sample_dir / f"table={std.table.name}"
            out.mkdir(parents=True, exist_ok=True)
            masked.write_parquet(out / "part-0.parquet")
            sample_rows_total += masked.height
    catalog_doc = {"tables": doc_tables, "target": {"location": target.location,
                                                   "sha256": target.sha256}}
    catalog_version = sha256_json(catalog_doc)[:16]
    catalog_doc["versions"] = versions(ctx, catalog_version=catalog_version,
                                       domain_catalog_version=domains.version)
    df = pl.DataFrame(rows).with_columns(pl.lit(catalog_version).alias("catalog_version"))
    ctx.replace_rows("migration_catalog", df)
    path = write_json(ctx.artifact("catalog.json"), catalog_doc)
    digest = _sha256_file(path)
    (ctx.artifact("catalog.json.sha256")).write_text(f"{digest}  catalog.json\n")
    contract = run_contract(ctx, lhs={"sources": [t.table.describe() for t in tables]},
                            rhs={"location": target.location, "sha256": target.sha256})
    write_json(ctx.artifact("run_contract.json"), contract)
    ctx.pii_audit(audit)
    if mode != "data_mode":
        from ...policy import record
        record(samples_allowed, settings=ctx.settings, run_id=ctx.run_id, stage=ctx.stage)
    ctx.ledger("catalog_built", decision="accept", outputs_hash=digest,
               policy_version=policy.version, pii_mask_applied=mode == "data_mode",
               detail={"tables": len(tables), "columns": len(rows), "mode": mode,
                       "catalog_version": catalog_version, "contract_hash":
                       contract["contract_hash"], "sample_rows": sample_rows_total,
                       "seed": ctx.seed})
    ctx.output("catalog", catalog_doc)
    ctx.finish(rows_in=sum(t.row_count for t in tables), rows_out=len(rows),
               tables=len(tables), columns=len(rows), sample_rows=sample_rows_total,
               masked=sum(a["count"] for a in audit), catalog_sha256=digest)
    return {"catalog": df, "tables": doc_tables, "sample_rows": sample_rows_total,
            "catalog_sha256": digest, "contract": contract, "masked": audit}


def _sha256_file(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def catalog_frame(ctx) -> pl.DataFrame:
    """Return this run's catalog rows."""
    with ctx.connect(read_only=True) as con:
        return con.execute("SELECT * FROM migration_catalog WHERE run_id = ? ORDER BY "
                           "source_table, position", [ctx.run_id]).pl()


def sample_pack(ctx, table: str) -> pl.DataFrame:
    """Return the masked Sample Pack of a source table; POLICY_BLOCK in metadata_only."""
    policy = _policy(ctx)
    policy.require(policy.allows_capability(_mode(ctx), "row_samples"), settings=ctx.settings,
                   run_id=ctx.run_id, stage=ctx.stage)
    f = ctx.run_lake_path(SAMPLES) / f"table={table}" / "part-0.parquet"
    return pl.read_parquet(f) if f.is_file() else pl.DataFrame()


# 2. domains --------------------------------------------------------------------------------------
def _evidence(ctx, use_values: bool) -> tuple[list[ColumnEvidence], list]:
    keys = _keys(ctx)
    cols, stds = [], []
    for std in sources_of(ctx):
        sample = raw_sample(ctx, std, keys.get(std.table.name, []))
        for c in std.columns:
            vals = _values(sample[c["name"]])
            cols.append(ColumnEvidence(std.table.name, c["raw"], c["dtype"],
                                       values=vals if use_values else [],
                                       regex_values=vals, hints=c["inferred"]["hints"]))
            stds.append((std, c))
    return cols, stds


def domains(ctx) -> dict:
    """Stage 2: a domain, score, band and evidence for every source and target column."""
    from .domain_llm import arbitrate

    p, policy, mode = ctx.params, _policy(ctx), _mode(ctx)
    profile, catalog = load_profile(p["threshold_profile"]), load_catalog(ctx.settings)
    use_values = bool(policy.capability(mode, "value_sketches"))
    cols, stds = _evidence(ctx, use_values)
    extra = None
    if p.get("embedding_model"):
        from .embeddings import name_similarity

        policy.require(policy.allows_provider(p["embedding_model"], p["provider_allowlist"],
                                              p["provider_denylist"]),
                       settings=ctx.settings, run_id=ctx.run_id, stage=ctx.stage)
        extra = name_similarity(cols, catalog, p["embedding_model"], ctx.settings,
                                run_id=ctx.run_id, stage=ctx.stage)
    results = score_columns(cols, catalog, profile, use_values=use_values, extra_name=extra)
    target = _target(ctx)
    t_cols = [ColumnEvidence(c.table, c.name, c.type, description=c.description, unit=c.unit)
              for c in target.columns]
    t_results = score_columns(t_cols, catalog, profile, use_values=False)
    for r, (_, c) in zip(results, stds, strict=True):
        r["column"] = c["name"]
    arbitration = arbitrate(ctx, results, stds, catalog, profile, use_values=use_values)
    made = latest(decisions_path(ctx.settings, p))
    applied = 0
    for r in results:
        r.setdefault("decided_by", "rules")
        d = made.get(("domain", f"{r['table']}.{r['column']}"))
        if d is None:
            continue
        applied += 1
        who = f"human:{d['actor'].get('user_id', '?')}"
        if d["action"] == "unknown":
            r.update(domain=None, band="low", decided_by=who)
        elif d["action"] == "set":
            r.update(domain=d["domain"], candidate=d["domain"], band="high", decided_by=who)
        else:
            r.update(domain=r["candidate"], band="high", decided_by=who)
    rows = [{"side": side, "source_table": r["table"], "source_column": r["column"],
             "domain": r["domain"], "score": r["score"], "band": r["band"],
             "evidence": json.dumps(r["evidence"], sort_keys=True),
             "decided_by": r.get("decided_by", "rules"), "catalog_version": catalog.version}
            for side, group in (("source", results), ("target", t_results)) for r in group]
    ctx.replace_rows("migration_domains", pl.DataFrame(rows))
    bands = {b: sum(1 for r in results if r["band"] == b) for b in ("high", "borderline", "low")}
    write_json(ctx.artifact("domains.json"), {
        "versions": versions(ctx, domain_catalog_version=catalog.version,
                             domain_catalog_sha256=catalog.sha256),
        "mode": mode, "value_sketches": use_values, "bands": bands,
        "arbitration": arbitration, "decisions_applied": applied,
        "columns": rows})
    ctx.ledger("domains_assigned", decision="accept", policy_version=policy.version,
               detail={"bands": bands, "decisions_applied": applied,
                       "catalog_version": catalog.version, **arbitration})
    ctx.output("domains", rows)
    ctx.finish(rows_in=len(results), rows_out=len(rows), **bands,
               decisions_applied=applied, model_status=arbitration["status"])
    return {"domains": pl.DataFrame(rows), "bands": bands, "arbitration": arbitration}


def domains_frame(ctx, side: str = "source") -> pl.DataFrame:
    """Return this run's domain assignments of one side."""
    with ctx.connect(read_only=True) as con:
        return con.execute("SELECT * FROM migration_domains WHERE run_id = ? AND side = ? "
                           "ORDER BY source_table, source_column", [ctx.run_id, side]).pl()


def _column_views(ctx, with_values: bool) -> tuple[list[dict], list[dict], dict]:
    """Return (source columns, target columns, raw samples) joined with their domains."""
    keys = _keys(ctx)
    dom = {(r["source_table"], r["source_column"]): r
           for r in domains_frame(ctx).iter_rows(named=True)}
    tdom = {(r["source_table"], r["source_column"]): r
            for r in domains_frame(ctx, "target").iter_rows(named=True)}
    sources, samples = [], {}
    for std in sources_of(ctx):
        sample = raw_sample(ctx, std, keys.get(std.table.name, []))
        samples[std.table.name] = sample
        for c in std.columns:
            d = dom[(std.table.name, c["name"])]
            ev = json.loads(d["evidence"])
            alts = ev["alternatives"] if d["domain"] or d["band"] != "low" else []
            if d["decided_by"].startswith("human") and d["domain"]:
                alts = [{"domain": d["domain"], "score": 1.0}]
            sources.append({"table": std.table.name, "column": c["name"], "dtype": c["dtype"],
                            "physical": c["physical"], "hints": c["inferred"]["hints"],
                            "formats": c["inferred"].get("formats") or {},
                            "unit_cue": ev.get("unit_cue", ""), "candidate":
                            (alts[0]["domain"] if alts else None), "band": d["band"],
                            "score": d["score"], "alternatives": alts,
                            "values": _values(sample[c["name"]]) if with_values else []})
    targets = []
    for c in _target(ctx).columns:
        d = tdom[(c.table, c.name)]
        ev = json.loads(d["evidence"])
        targets.append({"table": c.table, "column": c.name, "type": c.type, "unit": c.unit,
                        "enum": list(c.enum), "description": c.description, "key": c.key,
                        "nullable": c.nullable, "references": c.references,
                        "candidate": ev["alternatives"][0]["domain"], "band": d["band"],
                        "score": d["score"], "alternatives": ev["alternatives"]})
    return sources, targets, samples


# 3. mapping --------------------------------------------------------------------------------------
def mapping(ctx) -> dict:
    """Stage 3: top-k matches per source column and one decided DSL plan per target column."""
    p, policy, mode = ctx.params, _policy(ctx), _mode(ctx)
    profile, catalog = load_profile(p["threshold_profile"]), load_catalog(ctx.settings)
    executes = policy.capability(mode, "transform_preview") == "sample"
    sources, targets, samples = _column_views(ctx, with_values=executes)
    rel = relation(catalog)
    pairs = pair_scores(sources, targets, rel)
    k = int(profile["mapping"].get("top_k", 3))
    matches = []
    for s, scored in zip(sources, pairs, strict=True):
        ranked = sorted(scored, key=lambda m: (-m["score"], m["target_table"],
                                               m["target_column"]))[:k]
        matches += [{"source_table": s["table"], "source_column": s["column"],
                     "target_table": m["target_table"], "target_column": m["target_column"],
                     "score": m["score"], "rank": r, "evidence": json.dumps(m["evidence"])}
                    for r, m in enumerate(ranked, 1)]
    ctx.replace_rows("migration_matches", pl.DataFrame(matches))
    pairing = table_pairs(pairs, sources, targets)
    made = latest(decisions_path(ctx.settings, p))
    mappings, previews = [], {}
    for j, t in enumerate(targets):
        src_table = pairing.get(t["table"])
        cands = [(pairs[i][j]["score"], s) for i, s in enumerate(sources)
                 if s["table"] == src_table]
        result = plan_target(t, cands, catalog, profile)
        row = _mapping_row(ctx, t, result, samples.get(src_table), catalog, profile, mode,
                           executes, previews)
        human = made.get(("mapping", f"{t['table']}.{t['column']}"))
        if human:
            _apply_human(row, human, samples.get(src_table), t, executes)
        mappings.append(row)
    df = pl.DataFrame(mappings, infer_schema_length=None)
    ctx.replace_rows("migration_mappings", df.drop("source_table"))
    decisions = {d: sum(1 for m in mappings if m["decision"] == d)
                 for d in ("accept", "hold", "fix")}
    write_json(ctx.artifact("mapping_plan.json"), {
        "versions": versions(ctx), "mode": mode, "table_pairs": pairing,
        "decisions": decisions, "mappings": [
            {**{k2: v for k2, v in m.items() if k2 not in ("dsl", "source_columns")},
             "dsl": json.loads(m["dsl"]) if m["dsl"] else None,
             "source_columns": json.loads(m["source_columns"]),
             "preview": previews.get((m["target_table"], m["target_column"]), [])}
            for m in mappings]})
    for m in mappings:
        policy_ok = m["dsl"] is not None
        ctx.ledger("mapping_decided", decision=m["decision"], policy_version=policy.version,
                   detail={"target": f"{m['target_table']}.{m['target_column']}",
                           "strategy": m["strategy"], "dsl_hash": m["dsl_hash"],
                           "dsl_version": p["dsl_version"], "decided_by": m["decided_by"],
                           "validated": policy_ok, "success_rate": m["success_rate"]})
    ctx.output("mappings", df.drop("sql", "polars"))
    ctx.finish(rows_in=len(sources), rows_out=len(mappings), matches=len(matches), **decisions)
    return {"matches": pl.DataFrame(matches), "mappings": df, "decisions": decisions}


def _mapping_row(ctx, t: dict, result: dict, sample, catalog, profile: dict, mode: str,
                 executes: bool, previews: dict) -> dict:
    quality = None
    c = compiled(result["plan"]) if result["plan"] else {"dsl": None, "dsl_hash": None,
                                                         "sql": None, "polars": None}
    if executes and c["dsl"] is not None and sample is not None:
        pattern = catalog.get(t["candidate"]).pattern_any_case if t["band"] == "high" else None
        quality = evaluate(c["dsl"], sample, t, pattern if t["type"] == "string" else None)
        previews[(t["table"], t["column"])] = _preview(ctx, c["dsl"], sample)
    decision, rationale = decide(result, quality, profile, mode)
    return {"target_table": t["table"], "target_column": t["column"],
            "source_table": result["sources"][0]["table"] if result["sources"] else None,
            "strategy": result["strategy"],
            "source_columns": json.dumps([f"{s['table']}.{s['column']}"
                                          for s in result["sources"]]),
            "dsl": json.dumps(c["dsl"], sort_keys=True) if c["dsl"] else None,
            "dsl_hash": c["dsl_hash"], "sql": c["sql"], "polars": c["polars"],
            "confidence": round(float(result["confidence"]), 4),
            "success_rate": quality["success_rate"] if quality else None,
            "near_rate": quality["near_rate"] if quality else None,
            "decision": decision, "rationale": rationale, "decided_by": "rules"}


def _apply_human(row: dict, human: dict, sample, t: dict, executes: bool) -> None:
    """Apply a recorded Mapping Studio decision (and its replacement plan) to a mapping row."""
    row["decision"] = human["action"]
    row["decided_by"] = f"human:{human['actor'].get('user_id', '?')}"
    row["rationale"] = f"{human.get('reason') or 'decided in the Mapping Studio'} " \
                       f"(rules said: {row['rationale']})"
    if human.get("dsl"):  # a fix with a replacement plan: the person's plan is accepted
        row["decision"] = "accept"
        c = compiled(human["dsl"])
        row.update(dsl=json.dumps(c["dsl"], sort_keys=True), dsl_hash=c["dsl_hash"],
                   sql=c["sql"], polars=c["polars"],
                   source_columns=json.dumps([f"{row['source_table']}.{i if isinstance(i, str) else i['name']}"
                                              for i in c["dsl"]["inputs"]]))
        if executes and sample is not None:
            q = evaluate(c["dsl"], sample, t, None)
            row.update(success_rate=q["success_rate"], near_rate=q["near_rate"])


def _preview(ctx, plan: dict, sample: pl.DataFrame, n: int = 5) -> list[dict]:
    """Return a few masked before/after pairs of a plan on the sample."""
    from ...pii import mask
    from ...transform import apply as apply_plan

    names = [i if isinstance(i, str) else i["name"] for i in plan["inputs"]]
    rows = sample.select(names).head(n)
    out = apply_plan(rows, plan).to_list()
    return [{"before": {k: mask(str(v), "redact", settings=ctx.settings).text if v is not None
                        else None for k, v in r.items()},
             "after": mask(str(o), "redact", settings=ctx.settings).text if o is not None
             else None}
            for r, o in zip(rows.iter_rows(named=True), out, strict=True)]


def mappings_frame(ctx) -> pl.DataFrame:
    """Return this run's mapping plan rows."""
    with ctx.connect(read_only=True) as con:
        return con.execute("SELECT * FROM migration_mappings WHERE run_id = ? ORDER BY "
                           "target_table, target_column", [ctx.run_id]).pl()


# 4. analysis -------------------------------------------------------------------------------------
def analysis(ctx) -> dict:
    """Stage 4: logical checks (both modes) and sample statistics (data_mode)."""
    from ...transform import apply as apply_plan

    p, policy, mode = ctx.params, _policy(ctx), _mode(ctx)
    profile = load_profile(p["threshold_profile"])
    stats = policy.capability(mode, "analysis") == "stats"
    sources, targets, samples = _column_views(ctx, with_values=False)
    rows_m = [dict(r, source_columns=json.loads(r["source_columns"]),
                   dsl=json.loads(r["dsl"]) if r["dsl"] else None)
              for r in mappings_frame(ctx).iter_rows(named=True)]
    out = checks.logical_checks(rows_m, targets, sources)
    if stats:
        outputs, inputs = {}, {}
        for m in rows_m:
            if not m["dsl"]:
                continue
            table = m["source_columns"][0].split(".", 1)[0]
            frame = samples[table]
            outputs[(m["target_table"], m["target_column"])] = apply_plan(frame, m["dsl"])
            first = m["dsl"]["inputs"][0]
            name = first if isinstance(first, str) else first["name"]
            if frame.schema[name].is_numeric():
                inputs[(m["target_table"], m["target_column"])] = frame[name]
        out += checks.data_checks(rows_m, targets, outputs, inputs, profile)
    out += checks.threshold_suggestions(sources, profile)
    df = pl.DataFrame(out, infer_schema_length=None)
    ctx.replace_rows("migration_analysis", df)
    status = {s: sum(1 for r in out if r["status"] == s) for s in ("pass", "warn", "fail", "info")}
    from .evaluation import golden_summary

    golden = golden_summary(load_catalog(ctx.settings), profile)
    write_json(ctx.artifact("analysis.json"), {"versions": versions(ctx), "mode": mode,
                                               "status": status, "checks": out,
                                               "golden": golden})
    ctx.ledger("analysis_done", decision="accept" if not status["fail"] else "hold",
               policy_version=policy.version, detail={**status, "golden": golden["domains"]})
    ctx.output("analysis", out)
    ctx.finish(rows_in=len(rows_m), rows_out=len(out), **status)
    return {"analysis": df, "status": status, "golden": golden, "mappings": rows_m}


# 5. migrate --------------------------------------------------------------------------------------
ENGINE_PARAMS = ("batch_size", "strategy", "quarantine_rate_max", "progress_every", "key_index")


def migration_sources(ctx) -> dict:
    """Return the engine's sources: Parquet read in place (the catalog's shims as SQL), other
    tables read whole and standardized (no statistics: the ingest stage has them)."""
    from .catalog import standardize
    from .migrate import Source
    from .sources import discover

    p = ctx.params
    with ctx.connect(read_only=True) as con:
        rows = con.execute("SELECT source_table, source_column, shim FROM migration_catalog "
                           "WHERE run_id = ? ORDER BY source_table, position", [ctx.run_id]
                           ).fetchall()
    shims: dict[str, dict] = {}
    for table, column, shim in rows:
        shims.setdefault(table, {})[column] = json.loads(shim)
    out = {}
    for t in discover(list(ctx.inputs), p.get("source_url", ""), list(p.get("source_tables") or [])):
        if t.kind == "parquet" and t.name in shims:
            out[t.name] = Source(t.name, "parquet", path=t.location, shims=shims[t.name])
        else:
            out[t.name] = standardize(t.read())[0]
    return out


def _progress(ctx):
    """Return the engine's progress callback: the runner's sidecar and one line per report."""
    from .migrate import format_progress

    def report(info: dict) -> None:
        ctx.progress(info["rows_done"], info["rows_total"] or None)
        print(format_progress(info), flush=True)
    return report


def migrate(ctx) -> dict:
    """Stage 5: pre-flight, then a dry run (metadata_only) or the checkpointed migration."""
    from .migrate import migrate as run_engine

    p = ctx.params
    engine = {k: v for k, v in p.items() if k not in ENGINE_PARAMS or v not in (None, "", 0, "auto")}
    summary = run_engine(ctx, params=engine, sources=migration_sources(ctx), target=_target(ctx),
                         progress=_progress(ctx))
    chunks = chunks_frame(ctx)
    hashes = {"chunks": sha256_json(chunks.select("chunk_id", "content_hash").rows())
              if chunks.height else None,
              "plans": sha256_json(mappings_frame(ctx).select(
                  "target_table", "target_column", "dsl_hash").rows())}
    write_json(ctx.artifact("migration_run.json"), {
        "versions": versions(ctx), "contract_sha256": _contract_hash(ctx), "hashes": hashes,
        **summary})
    ctx.output("migration", summary)
    tables = summary.get("tables") or {}
    ctx.finish(rows_in=sum(int(v.get("rows_in", v.get("estimated_rows", 0)) or 0)
                           for v in tables.values()),
               rows_out=sum(int(v.get("rows_out", 0) or 0) for v in tables.values()),
               status=summary["status"], strategy=summary["strategy"]["chosen"])
    return {"summary": summary, "chunks": chunks}


def _contract_hash(ctx) -> str | None:
    path = ctx.artifact("run_contract.json")
    return _sha256_file(path) if path.is_file() else None


def chunks_frame(ctx) -> pl.DataFrame:
    """Return this run's chunk checkpoints (mirrored from the target)."""
    with ctx.connect(read_only=True) as con:
        return con.execute("SELECT * FROM migration_chunks WHERE run_id = ? ORDER BY "
                           "target_table, chunk_no", [ctx.run_id]).pl()


def ledger_frame(ctx) -> pl.DataFrame:
    """Return this run's ledger events in order (detail as JSON text)."""
    with ctx.connect(read_only=True) as con:
        return con.execute("SELECT event_id, stage, event, decision, error_code, "
                           "CAST(detail AS VARCHAR) AS detail, \"at\" FROM ledger WHERE "
                           "run_id = ? ORDER BY event_id", [ctx.run_id]).pl()


def quarantine_frame(ctx) -> pl.DataFrame:
    """Return this run's quarantined rows of the migrate stage (masked)."""
    from .migrate import quarantine_rows

    return quarantine_rows(ctx.settings, ctx.run_id)
