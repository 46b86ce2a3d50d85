"""Golden-set evaluation (§43): domain precision/recall/F1, High coverage, top-1 matching.

The golden set (``golden.py``) is generated: labelled legacy columns with values, and schema
pairs with their true correspondences. Columns get the type and hints the ingest stage would give
them (``catalog.infer_type``'s rules, computed for all columns at once by :func:`infer_types`:
one Polars frame, one DSL ``date_parse`` per format) and are scored like the pipeline scores
them: with values, and metadata-only (regex rates on the values, no value similarity).
Matching is compared with a name-similarity baseline (n-gram similarity of the raw headers
only) computed in the same call.

The domain scorer's calibration (``domaining.calibration`` in the threshold profile) is fitted
here: :func:`calibration_rows` records the winner's evidence and whether it is right,
:func:`fit_calibration` fits a logistic regression on it and rescales it to the profile's
bands. Fit on one seed, measure on others::

    python -m workbench.pipelines.migration.evaluation fit 7
    python -m workbench.pipelines.migration.evaluation summary 11 3 23

Examples
--------
>>> m = domain_metrics([("a", "a", "high"), ("b", None, "low"), ("unknown", None, "low")])
>>> m["precision"], m["recall"], m["high_share_known"]
(1.0, 0.5, 0.5)
>>> [t["dtype"] for t in infer_types([["1", "2"], ["05.01.2023", None], [" x", ""], []])]
['integer', 'date', 'string', 'string']
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .domaining import ColumnEvidence, score_columns
from .mapping import relation
from .matching import pair_scores
from .vectors import name_vectors, similarity

MONEY_TEXT_RE = r"^[-+]?[$€£¥]?\s*[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?$"


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


def infer_types(columns: list) -> list[dict]:
    """Return per column of text values what ``catalog.infer_type`` returns for it.

    The same rules (integer, float, boolean, money text, date/timestamp formats, whitespace),
    evaluated for every column in one frame: the DSL ``date_parse`` plans run once per format
    over all values instead of once per format and column.
    """
    import polars as pl

    from ... import transform
    from . import catalog as sc

    cid, raw = [], []
    for i, values in enumerate(columns):
        for v in values:
            cid.append(i)
            raw.append(None if v is None else str(v))
    frame = pl.DataFrame({"cid": cid, "raw": raw}, schema={"cid": pl.Int32, "raw": pl.Utf8})
    s = pl.col("s")
    present = frame.filter(pl.col("raw").is_not_null()).with_columns(
        s=pl.col("raw").str.strip_chars())
    spaced = present.group_by("cid").agg(
        ((pl.col("raw") != s) | s.str.contains("  ")).any().alias("ws"))
    text = present.filter(s != "")
    stats = text.group_by("cid").agg(
        pl.len().alias("n"), s.str.contains(sc.INT_RE).all().alias("int"),
        ((s.str.len_chars() > 1) & s.str.starts_with("0")).any().alias("lead0"),
        s.str.contains(sc.FLOAT_RE).all().alias("float"),
        s.str.to_lowercase().is_in(list(sc.BOOL_WORDS)).all().alias("bool"),
        s.str.contains(MONEY_TEXT_RE).mean().alias("money"),
        s.str.contains(sc.MONTH_NAME_RE).sum().alias("named"))
    formats = (*sc.DATE_FORMATS, *sc.TIMESTAMP_FORMATS)
    values = pl.DataFrame({"v": text["s"]})
    parsed = text.select("cid").with_columns(**{
        f"f{k}": transform.apply(values, {
            "inputs": ["v"], "output": "d", "steps": [{"op": "date_parse", "args": {
                "format": fmt, "to": "timestamp" if "%H" in fmt else "date"}}]}).is_not_null()
        for k, fmt in enumerate(formats)})
    hits = parsed.group_by("cid").agg(
        *[pl.col(f"f{k}").sum() for k in range(len(formats))],
        pl.any_horizontal([pl.col(f"f{k}") for k in range(len(formats))]).sum().alias("cov"))
    ws = {r["cid"]: r["ws"] for r in spaced.iter_rows(named=True)}
    by_col = {r["cid"]: r for r in stats.iter_rows(named=True)}
    dates = {r["cid"]: r for r in hits.iter_rows(named=True)}
    out = []
    for i in range(len(columns)):
        st = by_col.get(i)
        if st is None:
            out.append({"dtype": "string", "hints": ["empty"]})
            continue
        hints = ["whitespace"] if ws.get(i) else []
        if st["int"]:
            out.append({"dtype": "string", "hints": [*hints, "leading_zeros"]} if st["lead0"]
                       else {"dtype": "integer", "hints": hints})
            continue
        if st["float"] or st["bool"]:
            out.append({"dtype": "float" if st["float"] else "boolean", "hints": hints})
            continue
        if st["money"] >= 0.9:
            hints.append("money_text")
        d, n, named = dates[i], st["n"], st["named"]
        found = {f: d[f"f{k}"] for k, f in enumerate(formats) if d[f"f{k}"]}
        found = dict(sorted(found.items(), key=lambda kv: -kv[1]))
        best = max(found.values(), default=0)
        if best and (sum(found.values()) >= 0.8 * n or best + named >= 0.8 * n):
            hints.append("formats:" + ",".join(found))
            if d["cov"] < n:
                hints.append(f"unparsed:{n - d['cov']}")
            if named:
                hints.append(f"month_names:{named}")
            out.append({"dtype": "timestamp" if "%H" in next(iter(found)) else "date",
                        "hints": hints, "formats": found, "unparsed": n - d["cov"]})
            continue
        out.append({"dtype": "string", "hints": hints})
    return out


def _evidence(columns, types) -> list[ColumnEvidence]:
    return [ColumnEvidence(c.table, c.column, t["dtype"], values=list(c.values),
                           hints=list(t["hints"]), description=c.description)
            for c, t in zip(columns, types, strict=True)]


def evaluate_domains(columns, catalog, profile, *, use_values: bool = True, types=None) -> dict:
    """Return domain metrics of the scorer on golden columns (``types``: their inferred types)."""
    types = types if types is not None else infer_types([c.values for c in columns])
    results = score_columns(_evidence(columns, types), catalog, profile, use_values=use_values)
    rows = [(c.domain, r["domain"], r["band"]) for c, r in zip(columns, results, strict=True)]
    return domain_metrics(rows)


def evaluate_matching(cases, catalog, profile) -> dict:
    """Return top-1 accuracy of the matcher and of a name-similarity baseline on schema pairs."""
    ours = base = total = 0
    all_sources = [[c for cols in case.source.values() for c in cols] for case in cases]
    flat = infer_types([c.values for sources in all_sources for c in sources])
    for case, sources in zip(cases, all_sources, strict=True):
        s_types, flat = flat[:len(sources)], flat[len(sources):]
        s_ev = _evidence(sources, s_types)
        s_res = score_columns(s_ev, catalog, profile)
        targets = [(t["name"], col) for t in case.target["tables"] for col in t["columns"]]
        t_ev = [ColumnEvidence(tn, col["name"], col.get("type") or "string",
                               description=col.get("description") or "",
                               unit=col.get("unit") or "") for tn, col in targets]
        t_res = score_columns(t_ev, catalog, profile, use_values=False)
        s_views = [{"table": c.table, "column": c.column, "dtype": e.dtype, "hints": e.hints,
                    "alternatives": r["evidence"]["alternatives"],
                    "unit_cue": r["evidence"]["unit_cue"], "values": list(c.values)}
                   for c, e, r in zip(sources, s_ev, s_res, strict=True)]
        t_views = [{"table": tn, "column": col["name"], "type": col.get("type") or "string",
                    "description": col.get("description") or "", "unit": col.get("unit") or "",
                    "enum": col.get("enum") or [], "alternatives": r["evidence"]["alternatives"]}
                   for (tn, col), r in zip(targets, t_res, strict=True)]
        pairs = pair_scores(s_views, t_views, relation(catalog))
        names = similarity(name_vectors([c.column.lower() for c in sources]),
                           name_vectors([col["name"].lower() for _, col in targets]))
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


def calibration_rows(columns, catalog, profile, types=None,
                     modes=("values", "metadata", "header", "opaque")) -> list[dict]:
    """Return the calibration features and correctness of the scorer's winner per golden column,
    scored with values, metadata-only (regex rates only), by header alone (no values) and/or
    by values alone (the header replaced by a placeholder, as ``col7``)."""
    from .domaining import _score

    raw = {**profile, "domaining": {k: v for k, v in profile["domaining"].items()
                                    if k != "calibration"}}
    types = types if types is not None else infer_types([c.values for c in columns])
    rows = []
    for mode in modes:
        evidence = _evidence(columns, types)
        if mode == "header":
            for e in evidence:
                e.values, e.regex_values = [], []
        elif mode == "opaque":
            for k, e in enumerate(evidence):
                e.name, e.description = f"col{k + 1}", ""
        results, trace = _score(evidence, catalog, raw, mode == "values")
        rows += [{"mode": mode, "ok": float(r["candidate"] == c.domain),
                  "known": c.domain != "unknown", **f}
                 for c, r, f in zip(columns, results, trace, strict=True)]
    return rows


def fit_calibration(catalog, profile, seeds=(7,), positive_weight: float = 3.0,
                    precision_floor: float = 0.915, l2: float = 0.01,
                    modes=("values", "metadata", "header", "opaque")) -> dict:
    """Return logistic calibration weights (``domaining.calibration``) fitted on golden seeds.

    The training columns are scored four ways (see :func:`calibration_rows`), so that the rarer
    cases (a placeholder header, a target column without values) are well represented. First a
    logistic regression of "the winning domain is right" (a golden column of no domain
    never is) on the winner's evidence: Newton steps on the L2-regularized log-loss, right
    answers weighing ``positive_weight``. Then its logit is rescaled (``a·z + b``) to the
    profile's bands: the rescaling that puts the most known columns in High while the columns
    assigned a domain (High or borderline) stay at least ``precision_floor`` right on the
    training seeds. A handful of weights, stored in the threshold profile; held-out seeds
    measure them.
    """
    from .domaining import CAL_FEATURES

    rows = [r for seed in seeds
            for r in calibration_rows(_golden(seed)[0], catalog, profile, modes=modes)]
    known = np.array([r["known"] for r in rows])
    x = np.array([[r[k] for k in CAL_FEATURES] + [1.0] for r in rows])
    y = np.array([r["ok"] for r in rows])
    sw = np.where(y > 0, positive_weight, 1.0)
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (sw * (p - y)) + l2 * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    conf = profile["domaining"]
    hi, lo = float(conf["tau_high"]), float(conf["tau_low"])
    on = np.array([r["mode"] == "values" for r in rows])
    z, ok, kn = x[on] @ w, y[on] > 0, known[on]
    best = (-1.0, 1.0, 0.0)
    for a in np.arange(0.5, 3.01, 0.1):
        for b in np.arange(-3.0, 3.01, 0.1):
            p = 1.0 / (1.0 + np.exp(-(a * z + b)))
            assigned = p >= lo
            precision = (assigned & ok).sum() / max(assigned.sum(), 1)
            high = ((p >= hi) & ok & kn).sum() / max(kn.sum(), 1)
            if precision >= precision_floor and high > best[0] + 1e-9:
                best = (high, a, b)
    _, a, b = best
    w = a * w
    w[-1] += b
    return {**{k: round(float(v), 3) for k, v in zip(CAL_FEATURES, w[:-1], strict=True)},
            "bias": round(float(w[-1]), 3)}


@lru_cache(maxsize=2)
def _golden(seed: int):
    from .golden import golden_columns, matching_cases

    return golden_columns(seed), matching_cases(seed)


def golden_summary(catalog, profile, seed: int = 11) -> dict:
    """Return the golden-set figures the analysis report shows (held-out seed)."""
    columns, cases = _golden(seed)
    types = infer_types([c.values for c in columns])
    return {"seed": seed, "catalog_version": catalog.version,
            "domains": evaluate_domains(columns, catalog, profile, types=types),
            "domains_metadata_only": evaluate_domains(columns, catalog, profile,
                                                      use_values=False, types=types),
            "matching": evaluate_matching(cases, catalog, profile)}


if __name__ == "__main__":  # python -m workbench.pipelines.migration.evaluation fit 7
    import argparse
    import json

    from .contract import load_profile
    from .domain_catalog import load_catalog

    ap = argparse.ArgumentParser(description="golden-set figures; fit the domain calibration")
    ap.add_argument("command", choices=["summary", "fit"])
    ap.add_argument("seeds", nargs="*", type=int, default=[7])
    ap.add_argument("--positive-weight", type=float, default=3.0)
    ap.add_argument("--precision-floor", type=float, default=0.915)
    ap.add_argument("--modes", default="values,metadata,header,opaque")
    args = ap.parse_args()
    if args.command == "fit":
        print(json.dumps(fit_calibration(load_catalog(), load_profile(), seeds=args.seeds,
                                         positive_weight=args.positive_weight,
                                         precision_floor=args.precision_floor,
                                         modes=tuple(args.modes.split(",")))))
    else:
        for seed in args.seeds:
            print(seed, json.dumps(golden_summary(load_catalog(), load_profile(), seed=seed)))
