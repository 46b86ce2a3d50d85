"""One request's traces: parsed, tier-1 evaluated, masked, stored, and read back per organization.

Order for new traces, as in the pipeline's ingest stage: ``shapes.normalize`` → the raw-text
tier-1 modules (``needs_raw``, e.g. ``pii_leak``) on the raw text, in memory → ``mask_traces``
→ the other tier-1 modules on the masked text → one transaction (traces + results) → commit
(fsync) → answer. A trace id the organization already stored is not evaluated again: the stored
results are returned and the item is marked ``duplicate``.

``ingest_jobs`` does this for several requests (jobs, of any organizations) at once: their new
traces in one tier-1 evaluation, one masking pass and one transaction, each job's outcome the
same as if it had been ingested alone after the ones before it. Tier-1 modules and masking are
per trace (a row's result depends on that row only), so the rows and the stored values do not
depend on what was evaluated alongside.

Every query names the organization: another organization's trace id is simply not found.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path

import polars as pl

from .._fields import ShapeError
from ..ingest import mask_traces
from ..registry import TIER_SCHEMA, all_modules, evaluate_tier
from ..shapes import TRACE_SCHEMA, normalize, to_frame
from .store import RESULT_COLUMNS, TRACE_COLUMNS, connect, iso, now_us


@dataclass
class Item:
    """The outcome of one submitted item (one JSON object; an OTLP export may hold several traces)."""

    index: int
    status: str = "accepted"               # accepted | rejected
    trace_ids: list[str] = _field(default_factory=list)
    duplicates: list[str] = _field(default_factory=list)
    reason: str | None = None
    field: str | None = None
    skipped_spans: int = 0
    rejected_spans: list[dict] = _field(default_factory=list)


@dataclass
class Job:
    """One request's items, parsed: the records to store and the item each belongs to."""

    org: str
    items: list[Item] = _field(default_factory=list)
    records: list[dict] = _field(default_factory=list)
    owner: list[Item] = _field(default_factory=list)


def field_of(message: str) -> str:
    """Return the field a shape error names (``plain: 'prompt' must be a string`` → prompt)."""
    import re

    m = re.search(r"'([A-Za-z_][\w.]*)'", message)
    return m.group(1) if m else "body"


def _result_dict(row: tuple) -> dict:
    tier, module, version, passed, severity, score, reason = row
    return {"tier": tier, "module": module, "module_version": version,
            "passed": None if passed is None else bool(passed), "severity": severity,
            "score": score, "reason": reason}


class TraceService:
    """The server's side of the store: the one writer connection and per-thread readers."""

    def __init__(self, path: Path, settings=None, module_config: dict | None = None, *,
                 eval_threads: int = 1) -> None:
        self.path, self.settings = path, settings
        self.config = module_config or {}
        self.eval_threads, self._executor = int(eval_threads), None
        self._writer = connect(path)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self.raw_modules = {n for n, m in all_modules(1).items()
                            if getattr(m, "needs_raw", False)}

    def reader(self):
        """Return this thread's read connection (WAL: sees committed data, blocks nobody)."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = connect(self.path)
            self._local.con = con
        return con

    def close(self) -> None:
        """Close the writer (WAL checkpoint on a clean shutdown)."""
        if self._executor is not None:
            self._executor.shutdown()
        with self._write_lock:
            self._writer.close()

    # --- writes ---------------------------------------------------------------------------

    def prepare(self, org: str, objs: list) -> Job:
        """Return a request's items parsed into unified records (nothing evaluated or stored)."""
        job = Job(org)
        for i, obj in enumerate(objs):
            item = Item(i)
            job.items.append(item)
            try:
                norm = normalize(obj)
            except ShapeError as exc:
                item.status, item.reason, item.field = "rejected", str(exc), field_of(str(exc))
                continue
            except Exception as exc:  # noqa: BLE001 - a record we cannot read is rejected
                item.status, item.field = "rejected", "body"
                item.reason = f"unexpected record structure ({type(exc).__name__})"
                continue
            item.skipped_spans = norm.skipped_spans
            item.rejected_spans = [{"part": p, "reason": r, "field": field_of(r)}
                                   for p, r in norm.errors]
            if not norm.records:
                item.status = "rejected"
                item.reason = (norm.errors[0][1] if norm.errors else
                               "no GenAI span in the export" if norm.skipped_spans else
                               "no trace in the record")
                item.field = field_of(item.reason) if norm.errors else "resourceSpans"
            for rec in norm.records:
                item.trace_ids.append(rec["trace_id"])
                job.records.append(rec)
                job.owner.append(item)
        return job

    def ingest(self, org: str, objs: list) -> tuple[list[Item], dict[str, list[dict]]]:
        """Store the items' new traces; return per-item outcomes and tier-1 results by trace id."""
        return self.ingest_jobs([self.prepare(org, objs)])[0]

    def ingest_jobs(self, jobs: list[Job]) -> list[tuple[list[Item], dict[str, list[dict]]]]:
        """Store the new traces of several requests (any organizations) in one transaction.

        One tier-1 evaluation and one masking pass over all their new traces, one commit; then
        each job's outcome exactly as if it had been ingested alone, in order: a trace id an
        earlier job of the same organization carries is this job's duplicate.
        """
        seen: dict[str, set[str]] = {}
        for job in jobs:
            for item in job.items:   # a job run again after a failed round starts afresh
                item.duplicates.clear()
            ids = list(dict.fromkeys(r["trace_id"] for r in job.records))
            if ids:
                seen.setdefault(job.org, set()).update(self._existing(job.org, ids))
        fresh, orgs = [], []
        for job in jobs:
            known = seen.get(job.org)
            for rec, item in zip(job.records, job.owner, strict=True):
                if rec["trace_id"] in known:
                    item.duplicates.append(rec["trace_id"])
                    continue
                known.add(rec["trace_id"])
                fresh.append(rec)
                orgs.append(job.org)
        computed = self._store(fresh, orgs) if fresh else {}
        out = []
        for job in jobs:
            if not job.records:
                out.append((job.items, {}))
                continue
            ids = list(dict.fromkeys(r["trace_id"] for r in job.records))
            results = {t: computed[job.org, t] for t in ids if (job.org, t) in computed}
            missing = [t for t in ids if t not in results]
            if missing:
                results.update(self.results(job.org, missing))
            out.append((job.items, results))
        return out

    def _existing(self, org: str, ids: list[str]) -> set[str]:
        found: set[str] = set()
        con = self.reader()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found |= {r[0] for r in con.execute(
                f"SELECT trace_id FROM traces WHERE org = ? AND trace_id IN "
                f"({','.join('?' * len(chunk))})", [org, *chunk])}
        return found

    def _evaluate(self, records: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Return (masked traces, tier-1 rows) of records whose trace ids are distinct.

        The same rows as ``evaluate_tier`` over the raw batch (``needs_raw`` modules) and over
        the masked one (the others), concatenated. With ``eval_threads`` > 1 the modules run in
        a thread pool: a small batch costs each module a fixed Polars planning time that runs
        without the GIL, so they overlap (the raw-text modules also with the masking). Modules
        were already run from several threads at once when requests were ingested in parallel.
        """
        df = to_frame(records)
        names = list(all_modules(1))
        pool = self._pool()
        if pool is None or len(names) < 2:
            parts = []
            if self.raw_modules:  # in memory, before masking: the raw text is never written
                parts.append(evaluate_tier(df, 1, self.config, only=self.raw_modules))
            masked, _audit = mask_traces(df, settings=self.settings)
            parts.append(evaluate_tier(masked, 1, self.config, skip=self.raw_modules))
            return masked, pl.concat(parts)
        raw = [pool.submit(evaluate_tier, df, 1, self.config, only={n})
               for n in names if n in self.raw_modules]
        masked, _audit = mask_traces(df, settings=self.settings)
        rest = [pool.submit(evaluate_tier, masked, 1, self.config, only={n})
                for n in names if n not in self.raw_modules]
        return masked, pl.concat([f.result() for f in (*raw, *rest)])

    def _pool(self):
        if self.eval_threads <= 1:
            return None
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(self.eval_threads,
                                                thread_name_prefix="trace-eval")
        return self._executor

    def _store(self, records: list[dict], orgs: list[str]
               ) -> dict[tuple[str, str], list[dict]]:
        """Evaluate, mask and commit new traces (``orgs[i]`` owns ``records[i]``) at once.

        Results are keyed by (org, trace id). Two organizations may use the same trace id: the
        records are evaluated in rounds of distinct ids (usually one), as the modules key their
        rows by trace id; every module's rows depend on their own trace only.
        """
        rounds: list[tuple[list[dict], list[str], set[str]]] = []
        for rec, org in zip(records, orgs, strict=True):
            for recs, owners, ids in rounds:
                if rec["trace_id"] not in ids:
                    ids.add(rec["trace_id"])
                    recs.append(rec)
                    owners.append(org)
                    break
            else:
                rounds.append(([rec], [org], {rec["trace_id"]}))
        evaluated = [(recs, owners, *self._evaluate(recs)) for recs, owners, _ids in rounds]
        at = now_us()
        cols = ("org", "trace_id", "received_at", *TRACE_COLUMNS)
        trace_rows: list[tuple] = []
        result_rows: list[tuple] = []
        out: dict[tuple[str, str], list[dict]] = {}
        for recs, owners, masked, rows in evaluated:
            ids = [r["trace_id"] for r in recs]
            trace_rows += masked.select(
                pl.Series("org", owners, pl.Utf8), "trace_id",
                pl.lit(at, pl.Int64).alias("received_at"),
                *[pl.col(c).dt.epoch("us") if c == "started_at" else pl.col(c)
                  for c in TRACE_COLUMNS]).rows()
            # the order the store answers in: by trace, tier, module
            rows = rows.sort(["tier", "module"], maintain_order=True)
            org_of = pl.col("trace_id").replace_strict(ids, owners, return_dtype=pl.Utf8)
            result_rows += rows.select(
                org_of.alias("org"), "trace_id", *RESULT_COLUMNS,
                pl.lit(at, pl.Int64).alias("evaluated_at")).rows()
        for r in result_rows:
            out.setdefault((r[0], r[1]), []).append(_result_dict(r[2:9]))
        with self._write_lock:
            con = self._writer
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany(f"INSERT OR IGNORE INTO traces ({', '.join(cols)}) VALUES "
                                f"({','.join('?' * len(cols))})", trace_rows)
                con.executemany("INSERT OR IGNORE INTO results VALUES (?,?,?,?,?,?,?,?,?,?)",
                                result_rows)
                con.execute("COMMIT")   # synchronous=FULL: on disk when this returns
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return out

    # --- reads ----------------------------------------------------------------------------

    def results(self, org: str, ids: list[str], tiers: tuple[int, ...] = (1,)
                ) -> dict[str, list[dict]]:
        """Return the stored results of ``ids`` by trace id (tier-1 by default)."""
        out: dict[str, list[dict]] = {}
        con = self.reader()
        marks_t = ",".join("?" * len(tiers))
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in con.execute(
                    f"SELECT trace_id, {', '.join(RESULT_COLUMNS)} FROM results WHERE org = ? "
                    f"AND tier IN ({marks_t}) AND trace_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY trace_id, tier, module", [org, *tiers, *chunk]):
                out.setdefault(r[0], []).append(_result_dict(r[1:]))
        return out

    def get_trace(self, org: str, trace_id: str) -> dict | None:
        """Return one stored (masked) trace of ``org``, or None."""
        con = self.reader()
        cols = ("trace_id", "received_at", *TRACE_COLUMNS)
        row = con.execute(f"SELECT {', '.join(cols)} FROM traces WHERE org = ? AND trace_id = ?",
                          [org, trace_id]).fetchone()
        if row is None:
            return None
        rec = dict(zip(cols, row, strict=True))
        rec["received_at"], rec["started_at"] = iso(rec["received_at"]), iso(rec["started_at"])
        return rec

    def stats(self, org: str, since_us: int) -> dict:
        """Return counts, failure rates per module and the hourly trend of ``org`` since then."""
        con = self.reader()
        traces = con.execute("SELECT count(*) FROM traces WHERE org = ? AND received_at >= ?",
                             [org, since_us]).fetchone()[0]
        modules = [{"module": m, "tier": t, "evaluated": n, "flagged": f or 0,
                    "failure_rate": round((f or 0) / n, 4) if n else 0.0}
                   for m, t, n, f in con.execute(
                       "SELECT module, tier, count(passed), sum(passed = 0) FROM results "
                       "WHERE org = ? AND evaluated_at >= ? GROUP BY module, tier "
                       "ORDER BY tier, module", [org, since_us])]
        hour = 3_600_000_000
        flagged = dict(con.execute(
            "SELECT evaluated_at / ? AS h, count(DISTINCT trace_id) FROM results WHERE org = ? "
            "AND evaluated_at >= ? AND passed = 0 GROUP BY h", [hour, org, since_us]).fetchall())
        trend = [{"hour": iso(h * hour), "traces": n, "flagged_traces": flagged.get(h, 0)}
                 for h, n in con.execute(
                     "SELECT received_at / ? AS h, count(*) FROM traces WHERE org = ? AND "
                     "received_at >= ? GROUP BY h ORDER BY h", [hour, org, since_us])]
        return {"org": org, "since": iso(since_us), "traces": traces,
                "flagged_traces": sum(t["flagged_traces"] for t in trend),
                "modules": modules, "trend": trend}


def trace_frame(rows: list[tuple], org: str) -> pl.DataFrame:
    """Return stored trace rows ``(seq, trace_id, *TRACE_COLUMNS)`` as a ``TRACE_SCHEMA`` frame."""
    recs = [{"trace_id": r[1], **dict(zip(TRACE_COLUMNS, r[2:], strict=True)),
             "source_file": f"store:{org}", "line_no": r[0]} for r in rows]
    return to_frame(recs).select(list(TRACE_SCHEMA))


def result_frame(rows: list[tuple]) -> pl.DataFrame:
    """Return stored result rows ``(trace_id, *RESULT_COLUMNS)`` as a ``TIER_SCHEMA`` frame."""
    data = [{"trace_id": r[0], **dict(zip(RESULT_COLUMNS, r[1:], strict=True))} for r in rows]
    for d in data:
        d["passed"] = None if d["passed"] is None else bool(d["passed"])
    return pl.DataFrame(data or None, schema=TIER_SCHEMA).select(list(TIER_SCHEMA))


STORE_MARKER = "_store_source.json"  # in a store-sourced run's lake partition of traces


def batch_results(settings, org: str, trace_id: str) -> list[dict]:
    """Return the tier-2/3 rows of ``trace_id`` written by ``source=store`` batch runs of ``org``.

    Read from the runs' Parquet parts in the lake (never from DuckDB, which the batch run may be
    writing); a run is ``org``'s when its marker file says so. Later runs come after earlier ones.
    """
    import json

    out: list[dict] = []
    traces_root = settings.lake_dir / "trace_eval_traces"
    results_root = settings.lake_dir / "trace_eval_results"
    markers = []
    for marker in traces_root.glob(f"run_id=*/{STORE_MARKER}"):
        try:
            meta = json.loads(marker.read_text())
        except (OSError, ValueError):
            continue
        if meta.get("org") == org:
            markers.append((meta.get("snapshot_at", 0), marker.parent.name.removeprefix("run_id=")))
    for _, run_id in sorted(markers):
        for tier in (2, 3):
            files = sorted((results_root / f"run_id={run_id}" / f"tier={tier}").glob("*.parquet"))
            if not files:
                continue
            try:
                rows = pl.scan_parquet(files).filter(pl.col("trace_id") == trace_id).collect()
            except Exception:  # noqa: BLE001, S112 - a part being rewritten: skip it this time
                continue
            for r in rows.iter_rows(named=True):
                out.append({"tier": r["tier"], "module": r["module"],
                            "module_version": r["module_version"], "passed": r["passed"],
                            "severity": r["severity"], "score": r["score"],
                            "reason": r["reason"], "run_id": run_id})
    return out
