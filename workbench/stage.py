"""The handle a stage notebook works through: ``ctx = workbench.open_stage(...)``.

Under the runner, papermill injects ``run_id`` and ``workspace`` and the context points at that run.
Alone (``run_id == ""``, e.g. Run All in JupyterLab or nbval), the context makes a scratch
workspace, writes the pipeline's sample inputs, creates the run exactly as the runner would and
runs every earlier stage's package function in-process, so the notebook always has its inputs.

Writes through the context are idempotent per run and stage (replace, never append), so a stage
that is re-executed after a failure or a kill writes nothing twice.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import config, store
from .pipeline import Pipeline

SIDECAR_DIR = ".stages"


@dataclass
class StageContext:
    """A stage of one run: identifiers, paths, parameters and idempotent writers."""

    pipeline: Pipeline
    stage: str
    run_id: str
    settings: config.Settings
    params: dict[str, Any]
    inputs: list[Path]
    model: str = "offline"
    _outputs: dict[str, str] = field(default_factory=dict)

    # identifiers and paths -------------------------------------------------------------------
    @property
    def seed(self) -> int:
        """Return the run's sampling seed (derived from run_id, recorded in the report)."""
        return int(hashlib.sha256(self.run_id.encode()).hexdigest()[:8], 16)

    @property
    def run_dir(self) -> Path:
        """Return ``reports/<pipeline>/<run_id>/`` (created)."""
        d = self.settings.run_dir(self.pipeline.name, self.run_id)
        d.mkdir(parents=True, exist_ok=True)
        return d

    def artifact(self, name: str) -> Path:
        """Return the path of a report artifact (xlsx, json, csv) in the run directory."""
        return self.run_dir / name

    def lake_path(self, dataset: str) -> Path:
        """Return the lake directory of a dataset (all runs)."""
        return self.settings.lake_dir / dataset

    def run_lake_path(self, dataset: str) -> Path:
        """Return this run's partition of a lake dataset."""
        return self.lake_path(dataset) / f"run_id={self.run_id}"

    def connect(self, read_only: bool = False):
        """Return a short-lived DuckDB connection context (close it before long work)."""
        return store.connect(self.settings, read_only=read_only)

    # idempotent writers ----------------------------------------------------------------------
    def write_lake(self, dataset: str, df, partition_by: list[str] | None = None) -> Path:
        """Replace this run's partition of a lake dataset with ``df`` (Polars); return its path."""
        import shutil

        target = self.run_lake_path(dataset)
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if partition_by:
            df.write_parquet(tmp, partition_by=partition_by)
        else:
            df.write_parquet(tmp / "part-0.parquet")
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        return target

    def replace_rows(self, table: str, df, *, key: dict[str, Any] | None = None) -> int:
        """Replace the rows of ``table`` for this run (and ``key`` columns) by ``df``; return rows.

        Key columns ``df`` lacks (``run_id`` and those of ``key``) are filled with their values.
        """
        key = {"run_id": self.run_id, **(key or {})}
        where = " AND ".join(f'"{k}" = ?' for k in key)
        with self.connect() as con:
            con.execute("BEGIN")
            con.execute(f'DELETE FROM "{table}" WHERE {where}', list(key.values()))
            if df is not None and df.height:
                import polars as pl

                missing = [pl.lit(v).alias(k) for k, v in key.items() if k not in df.columns]
                df = df.with_columns(missing) if missing else df
                con.register("_wb_rows", df.to_arrow())
                cols = ", ".join(f'"{c}"' for c in df.columns)
                con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _wb_rows')
                con.unregister("_wb_rows")
            con.execute("COMMIT")
        return 0 if df is None else df.height

    def quarantine(self, df) -> int:
        """Replace this stage's quarantine rows (source, locator, reason, masked_preview)."""
        import polars as pl

        df = df.with_columns(pl.lit(self.run_id).alias("run_id"), pl.lit(self.stage).alias("stage"),
                             pl.lit(_now()).alias("at"))
        return self.replace_rows("quarantine", df, key={"stage": self.stage})

    def pii_audit(self, rows) -> int:
        """Replace this stage's PII audit rows (source, entity_type, count, action; no values)."""
        import polars as pl

        df = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(
            list(rows), schema={"source": pl.Utf8, "entity_type": pl.Utf8, "count": pl.Int64,
                                "action": pl.Utf8})
        df = df.with_columns(pl.lit(self.run_id).alias("run_id"), pl.lit(self.stage).alias("stage"),
                             pl.lit(_now()).alias("at"))
        return self.replace_rows("pii_audit", df, key={"stage": self.stage})

    def ledger(self, event: str, **fields) -> None:
        """Append one event to the run's ledger."""
        from .runs import append_ledger

        append_ledger(self.settings, run_id=self.run_id, stage=self.stage, event=event, **fields)

    def add_index_section(self, title: str, html: str, order: int = 50) -> Path:
        """Add an HTML fragment (already escaped, self-contained) to the run's index page."""
        d = self.run_dir / ".sections"
        d.mkdir(parents=True, exist_ok=True)
        slug = "".join(ch if ch.isalnum() else "_" for ch in title.lower())[:40]
        f = d / f"{order:03d}_{self.stage}_{slug}.json"
        f.write_text(json.dumps({"title": title, "html": html}))
        return f

    # checkpoint ------------------------------------------------------------------------------
    def output(self, name: str, value) -> str:
        """Record an output of the stage (a path, a Polars frame or JSON); return its hash."""
        digest = content_hash(value)
        self._outputs[name] = digest
        return digest

    def progress(self, done: int, total: int | None = None, unit: str = "rows") -> None:
        """Report progress of long work; the runner shows it on the terminal (n/total, ETA)."""
        import time

        now = time.monotonic()
        if now - getattr(self, "_progress_at", 0.0) < 0.5 and (total is None or done < total):
            return  # at most two writes a second
        self._progress_at = now
        d = self.run_dir / SIDECAR_DIR
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f"{self.stage}.progress.tmp"
        tmp.write_text(json.dumps({"done": done, "total": total, "unit": unit, "at": time.time()}))
        tmp.replace(d / f"{self.stage}.progress")

    def finish(self, rows_in: int | None = None, rows_out: int | None = None, **summary) -> dict:
        """Write the stage's checkpoint sidecar that the runner records; return it."""
        outputs_hash = hashlib.sha256(json.dumps(self._outputs, sort_keys=True).encode()).hexdigest()
        payload = {"stage": self.stage, "rows_in": rows_in, "rows_out": rows_out,
                   "outputs": self._outputs, "outputs_hash": outputs_hash,
                   "summary": _jsonable(summary)}
        d = self.run_dir / SIDECAR_DIR
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{self.stage}.json").write_text(json.dumps(payload, indent=2, sort_keys=True))
        return payload


def content_hash(value) -> str:
    """Return a SHA-256 of a file/directory's bytes, a Polars frame's rows, or a JSON value."""
    h = hashlib.sha256()
    if isinstance(value, Path):
        files = sorted(p for p in value.rglob("*") if p.is_file()) if value.is_dir() else [value]
        for f in files:
            h.update(str(f.relative_to(value) if value.is_dir() else f.name).encode())
            with open(f, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        return h.hexdigest()
    if type(value).__name__ == "DataFrame" and hasattr(value, "hash_rows"):
        h.update(",".join(f"{c}:{t}" for c, t in value.schema.items()).encode())
        if value.height:
            h.update(str(value.hash_rows(seed=0).sort().to_list()).encode())
        return h.hexdigest()
    h.update(json.dumps(_jsonable(value), sort_keys=True).encode())
    return h.hexdigest()


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)


def open_stage(pipeline: str, stage: str, namespace: dict[str, Any] | None = None, *,
               run_id: str = "", workspace: str = "", inputs: list[str] | None = None,
               model: str = "", params: dict | None = None) -> StageContext:
    """Return the context of ``stage``; alone (empty run_id) prepare a scratch run on sample data.

    A stage notebook passes ``globals()`` as ``namespace``: ``run_id``, ``workspace``, ``inputs``,
    ``model`` and every field of the pipeline's ``Params`` are read from it, so the parameters
    cell (written by ``workbench notebooks sync``) is the only place they appear.
    """
    from . import runs
    from .pipelines.registry import get

    p = get(pipeline)
    if namespace is not None:
        run_id = namespace.get("run_id", run_id) or ""
        workspace = namespace.get("workspace", workspace) or ""
        inputs = namespace.get("inputs", inputs)
        model = namespace.get("model", model) or ""
        params = {**{k: namespace[k] for k in p.params.model_fields if k in namespace},
                  **(params or {})}
    if run_id:
        settings = config.load(workspace or None)
        run = runs.get_run(settings, run_id)
        contract = run["contract"]
        return StageContext(p, stage, run_id, settings, contract["params"],
                            [Path(i["path"]) for i in contract["inputs_given"]],
                            contract.get("model") or "offline")
    # standalone: a scratch workspace, sample inputs, the same contract the runner would build
    ws = Path(workspace) if workspace else Path(tempfile.mkdtemp(prefix=f"workbench-{pipeline}-"))
    settings = config.load(ws)
    if not inputs and p.samples:
        inputs = [str(x) for x in p.samples(ws / "data" / "samples" / pipeline)]
    plan = runs.plan_run(p, settings, inputs=inputs or [], params=params or {},
                         model=model or "offline")
    runs.ensure_run(settings, plan)
    names = [s.name for s in p.stages]
    for earlier in p.stages[: names.index(stage)]:
        if earlier.run and runs.stage_status(settings, plan.run_id, earlier.name) != "done":
            ctx = StageContext(p, earlier.name, plan.run_id, settings, plan.params,
                               plan.inputs, plan.model)
            earlier.run(ctx)
            runs.record_stage_done(settings, plan.run_id, earlier.name, ctx.run_dir)
    return StageContext(p, stage, plan.run_id, settings, plan.params, plan.inputs, plan.model)
