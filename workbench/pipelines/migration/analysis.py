"""Quality analysis (§13): logical checks in metadata_only, statistics on the sample in data_mode.

Each check is a row ``{check, target_table, target_column, status, value, threshold, detail,
recommendation}`` with status pass / warn / fail / info.

Examples
--------
>>> import numpy as np
>>> a = np.arange(1000.0)
>>> round(psi(a, a), 4), round(ks(a, a + 500), 2)
(0.0, 0.5)
"""
from __future__ import annotations

import numpy as np
import polars as pl


def row(check: str, status: str, detail: str, *, table: str | None = None,
        column: str | None = None, value: float | None = None, threshold: float | None = None,
        recommendation: str | None = None) -> dict:
    """Return one analysis row."""
    return {"check": check, "target_table": table, "target_column": column, "status": status,
            "value": None if value is None else float(value),
            "threshold": None if threshold is None else float(threshold), "detail": detail,
            "recommendation": recommendation}


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """Return the population stability index of ``actual`` against ``expected`` (quantile bins)."""
    expected, actual = _finite(expected), _finite(actual)
    if expected.size < 2 or actual.size < 2:
        return 0.0
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)))
    if edges.size < 2:
        return 0.0
    e = np.histogram(np.clip(expected, edges[0], edges[-1]), edges)[0] / expected.size
    a = np.histogram(np.clip(actual, edges[0], edges[-1]), edges)[0] / actual.size
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


def ks(a: np.ndarray, b: np.ndarray) -> float:
    """Return the two-sample Kolmogorov-Smirnov statistic."""
    a, b = np.sort(_finite(a)), np.sort(_finite(b))
    if a.size == 0 or b.size == 0:
        return 0.0
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / a.size
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def _finite(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x[np.isfinite(x)]


def _scaled(x: np.ndarray) -> np.ndarray:
    """Return ``x`` min-max scaled, so a unit conversion does not count as drift."""
    x = _finite(x)
    if x.size == 0 or x.max() == x.min():
        return x
    return (x - x.min()) / (x.max() - x.min())


def logical_checks(mappings: list[dict], targets: list[dict], sources: list[dict]) -> list[dict]:
    """Return metadata-only checks: consistency, domain coverage, feasibility."""
    out = []
    by_target = {(m["target_table"], m["target_column"]): m for m in mappings}
    for t in targets:
        m = by_target.get((t["table"], t["column"]))
        if m is None or m["strategy"] == "unmapped":
            status = "fail" if (t.get("key") or not t.get("nullable", True)) else "warn"
            out.append(row("consistency", status, "no source feeds this column"
                           + (" (a key)" if t.get("key") else " (not nullable)"
                              if not t.get("nullable", True) else ""),
                           table=t["table"], column=t["column"],
                           recommendation="map a source column in the Mapping Studio, or add an "
                                          "alias of its domain so it is found"))
    used = {s for m in mappings for s in m["source_columns"]}
    n_src = len(sources)
    high = sum(1 for s in sources if s.get("band") == "high")
    out.append(row("domain_coverage", "pass" if n_src and high / n_src >= 0.8 else "warn",
                   f"{high} of {n_src} source columns have a high-confidence domain",
                   value=high / n_src if n_src else 0.0, threshold=0.8,
                   recommendation=None if n_src and high / n_src >= 0.8 else
                   "review the borderline columns in the Domain Studio"))
    unused = [f"{s['table']}.{s['column']}" for s in sources
              if f"{s['table']}.{s['column']}" not in used]
    out.append(row("source_coverage", "info", f"{n_src - len(unused)} of {n_src} source columns "
                   f"are used; unused: {', '.join(unused[:12])}"
                   + (" …" if len(unused) > 12 else ""),
                   value=(n_src - len(unused)) / n_src if n_src else 0.0))
    for m in mappings:
        if m["strategy"] == "unmapped":
            continue
        out.append(row("feasibility", "pass" if m["dsl"] else "fail",
                       f"{m['strategy']}: {' → '.join(s['op'] for s in m['dsl']['steps']) or 'copy'}"
                       if m["dsl"] else "no plan", table=m["target_table"],
                       column=m["target_column"]))
    return out


def data_checks(mappings: list[dict], targets: list[dict], outputs: dict, inputs: dict,
                profile: dict) -> list[dict]:
    """Return data_mode checks over the transformed sample: nulls, duplicate keys, units, dates,
    PSI/KS, cross-field and foreign-key rules."""
    a = profile["analysis"]
    out = []
    tmap = {(t["table"], t["column"]): t for t in targets}
    for (table, column), series in outputs.items():
        t = tmap[(table, column)]
        n = series.len()
        if n == 0:
            continue
        nulls = series.null_count() / n
        limit = a["null_rate_max"] if not t.get("nullable", True) or t.get("key") else 1.0
        if limit < 1.0:
            out.append(row("nulls", "pass" if nulls <= limit else "fail",
                           f"{nulls:.1%} null after the transform", table=table, column=column,
                           value=nulls, threshold=limit,
                           recommendation=None if nulls <= limit else
                           "fix the plan (another date format, a cleaning step) or make the "
                           "column nullable"))
        if t.get("key"):
            filled = series.drop_nulls()
            dup = 1 - filled.n_unique() / filled.len() if filled.len() else 0.0
            out.append(row("duplicate_keys", "pass" if dup <= a["dup_key_rate_max"] else "fail",
                           f"{dup:.1%} of the sampled keys repeat", table=table, column=column,
                           value=dup, threshold=a["dup_key_rate_max"],
                           recommendation=None if dup <= a["dup_key_rate_max"] else
                           "deduplicate the source or choose a composite key"))
        if series.dtype in (pl.Date,) or isinstance(series.dtype, pl.Datetime):
            years = series.drop_nulls().dt.year()
            bad = int(((years < 1900) | (years > 2100)).sum())
            out.append(row("date_sanity", "pass" if bad == 0 else "warn",
                           f"{bad} dates outside 1900–2100", table=table, column=column,
                           value=bad, threshold=0))
        if series.dtype.is_numeric():
            vals = series.drop_nulls().to_numpy().astype(float)
            neg = int((vals < 0).sum())
            if t.get("unit"):
                out.append(row("unit_sanity", "pass" if neg == 0 else "warn",
                               f"{neg} negative values in {t['unit']}", table=table,
                               column=column, value=neg, threshold=0))
            src = inputs.get((table, column))
            if src is not None and src.dtype.is_numeric():
                s_vals = src.drop_nulls().to_numpy().astype(float)
                p, k = psi(_scaled(s_vals), _scaled(vals)), ks(_scaled(s_vals), _scaled(vals))
                status = "pass" if p <= a.get("psi_max", 0.25) and k <= a.get("ks_max", 0.2) \
                    else "warn"
                out.append(row("distribution", status,
                               f"PSI {p:.3f}, KS {k:.3f} between source and transformed (scaled)",
                               table=table, column=column, value=p,
                               threshold=a.get("psi_max", 0.25)))
    out.extend(cross_field(outputs, targets))
    return out


def cross_field(outputs: dict, targets: list[dict]) -> list[dict]:
    """Return cross-field rules: date order within a table, foreign keys across tables."""
    out = []
    by_table: dict[str, dict[str, pl.Series]] = {}
    for (table, column), s in outputs.items():
        by_table.setdefault(table, {})[column] = s
    for table, cols in by_table.items():
        dates = {c: s for c, s in cols.items() if s.dtype == pl.Date}
        birth = next((c for c in dates if "birth" in c or c in ("dob",)), None)
        if birth:
            for other, s in dates.items():
                if other == birth:
                    continue
                both = pl.DataFrame({"b": dates[birth], "o": s}).drop_nulls()
                bad = int((both["o"] < both["b"]).sum())
                out.append(row("cross_field", "pass" if bad == 0 else "warn",
                               f"{bad} rows where {other} is before {birth}", table=table,
                               column=other, value=bad, threshold=0,
                               recommendation=None if bad == 0 else
                               "check the date format of both columns (day/month swapped?)"))
    for t in targets:
        if not t.get("references"):
            continue
        ref_table, ref_col = t["references"].split(".", 1)
        child, parent = outputs.get((t["table"], t["column"])), outputs.get((ref_table, ref_col))
        if child is None or parent is None:
            continue
        keys = set(parent.drop_nulls().to_list())
        orphans = sum(1 for v in child.drop_nulls().to_list() if v not in keys)
        out.append(row("foreign_key", "pass" if orphans == 0 else "warn",
                       f"{orphans} sampled values of {t['table']}.{t['column']} have no "
                       f"{t['references']} in the sample", table=t["table"], column=t["column"],
                       value=orphans, threshold=0,
                       recommendation=None if orphans == 0 else
                       "orphans go to quarantine at migration (samples may miss parents)"))
    return out


def threshold_suggestions(domains: list[dict], profile: dict) -> list[dict]:
    """Return suggestions for τ_high/τ_low from the score distribution of this run."""
    scores = np.array([d["score"] for d in domains if d.get("side", "source") == "source"])
    if scores.size == 0:
        return []
    d = profile["domaining"]
    borderline = float(((scores >= d["tau_low"]) & (scores < d["tau_high"])).mean())
    out = [row("thresholds", "info",
               f"{borderline:.0%} of source columns are borderline at τ_high {d['tau_high']} / "
               f"τ_low {d['tau_low']}", value=borderline)]
    if borderline > 0.3:
        q = float(np.quantile(scores, 0.5))
        out.append(row("thresholds", "warn", "many borderline columns", value=borderline,
                       threshold=0.3, recommendation=f"after reviewing them, consider a "
                       f"profile with tau_high near {max(q, d['tau_low']):.2f}"))
    return out
