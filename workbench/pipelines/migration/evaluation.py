"""Golden-set evaluation (§43): domain precision/recall/F1, High coverage, top-1 matching.

The golden set (``golden.py``) is generated: labelled legacy columns with values, and schema
pairs with their true correspondences. Matching is compared with a name-similarity baseline
(n-gram similarity of the raw headers only) computed in the same call.

Examples
--------
>>> m = domain_metrics([("a", "a", "high"), ("b", None, "low"), ("unknown", None, "low")])
>>> m["precision"], m["recall"], m["high_share_known"]
(1.0, 0.5, 0.5)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .domaining import ColumnEvidence, score_columns
from .mapping import relation
from .matching import pair_scores
from .vectors import name_vectors


def domain_metrics(rows: list[tuple[str, str | None, str]]) -> dict:
    """Return precision, recall, F1 and the share of known columns assigned High.

    ``rows`` are (truth, predicted domain or None, band); truth ``unknown`` means no domain.
    """
    tp = sum(1 for t, p, _ in rows if p is not None and p == t)
    fp = sum(1 for t, p, _ in rows if p is not None and p != t)
    known = [(t, p, b) for t, p, b in rows if t != "unknown"]
    fn = sum(1 for t, p, _ in known if p != t)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(known) if known else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    high = sum(1 for t, p, b in known if b == "high" and p == t)
    return {"columns": len(rows), "known": len(known), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "false_negatives": fn,
            "high_share_known": round(high / len(known), 4) if known else 0.0}


def evaluate_domains(columns, catalog, profile, *, use_values: bool = True) -> dict:
    """Return domain metrics of the scorer on golden columns."""
    evidence = [ColumnEvidence(c.table, c.column, _dtype(c.values), values=list(c.values),
                               description=c.description) for c in columns]
    results = score_columns(evidence, catalog, profile, use_values=use_values)
    rows = [(c.domain, r["domain"], r["band"]) for c, r in zip(columns, results, strict=True)]
    return domain_metrics(rows)


def _dtype(values) -> str:
    import polars as pl

    from .catalog import infer_type

    return infer_type(pl.Series([None if v is None else str(v) for v in values],
                                dtype=pl.Utf8))["dtype"]


def evaluate_matching(cases, catalog, profile) -> dict:
    """Return top-1 accuracy of the matcher and of a name-similarity baseline on schema pairs."""
    ours = base = total = 0
    for case in cases:
        sources = [c for cols in case.source.values() for c in cols]
        s_ev = [ColumnEvidence(c.table, c.column, _dtype(c.values), values=list(c.values))
                for c in sources]
        s_res = score_columns(s_ev, catalog, profile)
        targets = [(t["name"], col) for t in case.target["tables"] for col in t["columns"]]
        t_ev = [ColumnEvidence(tn, col["name"], col.get("type") or "string",
                               description=col.get("description") or "",
                               unit=col.get("unit") or "") for tn, col in targets]
        t_res = score_columns(t_ev, catalog, profile, use_values=False)
        s_views = [{"table": c.table, "column": c.column, "dtype": e.dtype,
                    "alternatives": r["evidence"]["alternatives"],
                    "unit_cue": r["evidence"]["unit_cue"], "values": list(c.values)}
                   for c, e, r in zip(sources, s_ev, s_res, strict=True)]
        t_views = [{"table": tn, "column": col["name"], "type": col.get("type") or "string",
                    "description": col.get("description") or "", "unit": col.get("unit") or "",
                    "enum": col.get("enum") or [], "alternatives": r["evidence"]["alternatives"]}
                   for (tn, col), r in zip(targets, t_res, strict=True)]
        pairs = pair_scores(s_views, t_views, relation(catalog))
        names = name_vectors([c.column.lower() for c in sources]) @ \
            name_vectors([col["name"].lower() for _, col in targets]).T
        for i, c in enumerate(sources):
            truth = case.truth.get((c.table, c.column))
            if truth is None:
                continue
            total += 1
            best = max(pairs[i], key=lambda m: m["score"])
            ours += (best["target_table"], best["target_column"]) == tuple(truth)
            j = int(np.argmax(names[i]))
            base += (targets[j][0], targets[j][1]["name"]) == tuple(truth)
    return {"pairs": total, "top1": round(ours / total, 4) if total else 0.0,
            "baseline_top1": round(base / total, 4) if total else 0.0}


@lru_cache(maxsize=2)
def _golden(seed: int):
    from .golden import golden_columns, matching_cases

    return golden_columns(seed), matching_cases(seed)


def golden_summary(catalog, profile, seed: int = 11) -> dict:
    """Return the golden-set figures the analysis report shows (held-out seed)."""
    columns, cases = _golden(seed)
    return {"seed": seed, "catalog_version": catalog.version,
            "domains": evaluate_domains(columns, catalog, profile),
            "domains_metadata_only": evaluate_domains(columns, catalog, profile,
                                                      use_values=False),
            "matching": evaluate_matching(cases, catalog, profile)}
