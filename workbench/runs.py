"""Runs: contract and its hash, run_id, the workspace lock, stage checkpoints, the ledger.

A contract is everything that decides a run's outputs: pipeline and version, validated
parameters, input fingerprints, model and masking-policy version. Its SHA-256 over canonical JSON
(sorted keys) names the run: ``<pipeline>-<YYYYMMDD>-<hash8>``. The same command on the same
inputs therefore finds the same run and resumes it.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import __version__, store
from .config import POLICY_VERSION, Settings
from .errors import BadInput, WorkspaceLocked
from .pipeline import Pipeline


def now() -> datetime:
    """Return the current UTC time without tzinfo (DuckDB TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def canonical_json(value: Any) -> str:
    """Return JSON with sorted keys and no whitespace: the form that is hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def contract_hash(contract: dict) -> str:
    """Return the SHA-256 of a contract, independent of key order."""
    return hashlib.sha256(canonical_json(contract).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fingerprint_inputs(paths: list[str | Path]) -> list[dict]:
    """Return path, size and sha256 of every file under the given paths; BadInput if one is missing."""
    out = []
    for raw in paths:
        p = Path(raw).expanduser()
        if not p.exists():
            raise BadInput(f"input path not found: {raw} (give an existing file or folder with --input)")
        files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")) \
            if p.is_dir() else [p]
        for f in files:
            f = f.resolve()
            out.append({"path": str(f), "size": f.stat().st_size, "sha256": file_sha256(f)})
    return out


def validate_params(pipeline: Pipeline, params: dict[str, Any]) -> dict[str, Any]:
    """Return the parameters validated and completed with defaults; BadInput names what is wrong."""
    accepted = {f["name"]: f for f in pipeline.param_help()}
    unknown = [k for k in params if k not in accepted]
    if unknown:
        listing = ", ".join(f"{n} ({f['type']})" for n, f in accepted.items()) or "none"
        raise BadInput(f"unknown parameter {unknown[0]!r} for pipeline {pipeline.name!r}; "
                       f"accepted: {listing}")
    try:
        model = pipeline.params.model_validate(params)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(x) for x in err["loc"]) or "?"
        expected = accepted.get(name, {}).get("type", "?")
        raise BadInput(f"parameter {name!r} of pipeline {pipeline.name!r}: {err['msg']} "
                       f"(got {params.get(name)!r}, expected {expected})") from None
    return json.loads(json.dumps(model.model_dump(mode="json")))


@dataclass(frozen=True)
class RunPlan:
    """A validated run, before anything is written."""

    pipeline: Pipeline
    contract: dict
    contract_hash: str
    run_id: str
    params: dict
    inputs: list[Path]
    model: str


def plan_run(pipeline: Pipeline, settings: Settings, *, inputs: list[str], params: dict,
             model: str | None = None, fresh: bool = False) -> RunPlan:
    """Validate parameters and inputs and build the contract; writes nothing."""
    clean = validate_params(pipeline, params)
    fingerprints = fingerprint_inputs(inputs)
    model = model or settings.model or "offline"
    contract = {
        "pipeline": pipeline.name,
        "pipeline_version": pipeline.version,
        "params": clean,
        "inputs_given": [{"path": str(Path(i).expanduser().resolve())} for i in inputs],
        "inputs": [{k: f[k] for k in ("path", "size", "sha256")} for f in fingerprints],
        "model": model,
        "policy_version": POLICY_VERSION,
    }
    if pipeline.param_files:
        contract["param_files"] = [{k: f[k] for k in ("path", "size", "sha256")}
                                   for f in fingerprint_inputs(pipeline.param_files(clean, settings))]
    if fresh:
        contract["fresh"] = now().isoformat()
    digest = contract_hash(contract)
    run_id = f"{pipeline.name}-{now():%Y%m%d}-{digest[:8]}"
    return RunPlan(pipeline, contract, digest, run_id, clean,
                   [Path(i["path"]) for i in contract["inputs_given"]], model)


def ensure_run(settings: Settings, plan: RunPlan) -> tuple[str, bool]:
    """Create the run row, or find the run to resume; return (run_id, resumed)."""
    with store.connect(settings) as con:
        row = con.execute(
            "SELECT run_id FROM runs WHERE contract_hash = ? ORDER BY (status = 'done'), started DESC "
            "LIMIT 1", [plan.contract_hash]).fetchone()
        if row and (row[0] == plan.run_id or _status(con, row[0]) != "done"):
            con.execute("UPDATE runs SET status = 'running', finished = NULL WHERE run_id = ?", [row[0]])
            return row[0], True
        versions = {"workbench": __version__, "policy": POLICY_VERSION,
                    "pipeline": plan.pipeline.version}
        con.execute("BEGIN")
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, 'running', ?, NULL, ?, ?)",
            [plan.run_id, plan.pipeline.name, canonical_json(plan.contract), plan.contract_hash,
             now(), plan.model, canonical_json(versions)])
        for i, s in enumerate(plan.pipeline.stages):
            con.execute("INSERT INTO stages (run_id, stage, position, status) VALUES (?, ?, ?, 'pending')",
                        [plan.run_id, s.name, i])
        for f in plan.contract["inputs"]:
            con.execute("INSERT INTO input_files VALUES (?, ?, ?, ?)",
                        [plan.run_id, f["path"], f["size"], f["sha256"]])
        con.execute("COMMIT")
    return plan.run_id, False


def _status(con, run_id: str) -> str | None:
    row = con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    return row[0] if row else None


def get_run(settings: Settings, run_id: str) -> dict:
    """Return a run row with its contract parsed; BadInput if there is no such run."""
    with store.connect(settings) as con:
        cur = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
        row = cur.fetchone()
        if not row:
            raise BadInput(f"no run {run_id!r} in workspace {settings.workspace} "
                           "(see `workbench runs`)")
        run = dict(zip([d[0] for d in cur.description], row))
    run["contract"] = json.loads(run["contract"])
    run["versions"] = json.loads(run["versions"] or "{}")
    return run


def list_runs(settings: Settings, limit: int = 50) -> list[dict]:
    """Return the latest runs, newest first."""
    if not settings.db_path.exists():
        return []
    with store.connect(settings) as con:
        cur = con.execute("SELECT run_id, pipeline, status, started, finished, model FROM runs "
                          "ORDER BY started DESC LIMIT ?", [limit])
        return [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]


def stages(settings: Settings, run_id: str) -> list[dict]:
    """Return the stage checkpoints of a run in order."""
    with store.connect(settings) as con:
        cur = con.execute("SELECT * FROM stages WHERE run_id = ? ORDER BY position", [run_id])
        return [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]


def stage_status(settings: Settings, run_id: str, stage: str) -> str | None:
    """Return the checkpoint status of one stage."""
    with store.connect(settings) as con:
        row = con.execute("SELECT status FROM stages WHERE run_id = ? AND stage = ?",
                          [run_id, stage]).fetchone()
    return row[0] if row else None


def mark_stage_running(settings: Settings, run_id: str, stage: str, inputs_hash: str) -> None:
    """Checkpoint: the stage starts (attempts + 1)."""
    with store.connect(settings) as con:
        con.execute("UPDATE stages SET status = 'running', inputs_hash = ?, started = ?, finished = NULL, "
                    "error = NULL, attempts = attempts + 1 WHERE run_id = ? AND stage = ?",
                    [inputs_hash, now(), run_id, stage])


def read_sidecar(run_dir: Path, stage: str) -> dict:
    """Return what the stage's notebook reported through ``ctx.finish`` (or {})."""
    from .stage import SIDECAR_DIR

    f = run_dir / SIDECAR_DIR / f"{stage}.json"
    return json.loads(f.read_text()) if f.exists() else {}


def record_stage_done(settings: Settings, run_id: str, stage: str, run_dir: Path,
                      inputs_hash: str | None = None) -> dict:
    """Checkpoint: the stage finished; rows and outputs hash come from its sidecar."""
    side = read_sidecar(run_dir, stage)
    with store.connect(settings) as con:
        con.execute(
            "UPDATE stages SET status = 'done', finished = ?, outputs_hash = ?, rows_in = ?, "
            "rows_out = ?, inputs_hash = coalesce(?, inputs_hash), "
            "seconds = date_diff('millisecond', coalesce(started, ?), ?) / 1000.0, "
            "started = coalesce(started, ?) WHERE run_id = ? AND stage = ?",
            [now(), side.get("outputs_hash"), side.get("rows_in"), side.get("rows_out"),
             inputs_hash, now(), now(), now(), run_id, stage])
    return side


def record_stage_failed(settings: Settings, run_id: str, stage: str, error: str) -> None:
    """Checkpoint: the stage failed with ``error`` (its first lines are kept)."""
    with store.connect(settings) as con:
        con.execute("UPDATE stages SET status = 'failed', finished = ?, error = ?, "
                    "seconds = date_diff('millisecond', started, ?) / 1000.0 "
                    "WHERE run_id = ? AND stage = ?", [now(), error[:4000], now(), run_id, stage])


def finish_run(settings: Settings, run_id: str, status: str) -> None:
    """Set the run's final status."""
    with store.connect(settings) as con:
        con.execute("UPDATE runs SET status = ?, finished = ? WHERE run_id = ?", [status, now(), run_id])


LEDGER_FIELDS = ("decision", "provider", "model", "prompt_hash", "tokens_in", "tokens_out", "usd",
                 "latency_ms", "status", "attempts", "pii_mask_applied", "error_code")


def append_ledger(settings: Settings, *, run_id: str | None, stage: str | None, event: str,
                  con=None, **fields) -> None:
    """Append one event to the ledger; unknown fields go into ``detail``."""
    row = {k: fields.pop(k, None) for k in LEDGER_FIELDS}
    detail = fields.pop("detail", None) or {}
    detail.update(fields)
    values = [run_id, stage, event, *row.values(), canonical_json(detail) if detail else None, now()]
    sql = (f"INSERT INTO ledger (run_id, stage, event, {', '.join(LEDGER_FIELDS)}, detail, \"at\") "
           f"VALUES ({', '.join('?' * (len(LEDGER_FIELDS) + 5))})")
    if con is not None:
        con.execute(sql, values)
        return
    with store.connect(settings) as c:
        c.execute(sql, values)


class WorkspaceLock:
    """An exclusive lock on a workspace, held with ``flock`` so a killed holder frees it at once.

    The lock file names the holding run, pid and host; a second run reads it to say who holds the
    lock. A lock file left by a dead process is not locked at the OS level, so it is simply taken
    over (and the takeover is reported through ``stale_holder``).
    """

    def __init__(self, settings: Settings, run_id: str):
        self.path = settings.data_dir / "workbench.lock"
        self.run_id = run_id
        self.fh = None
        self.stale_holder: dict | None = None

    def acquire(self) -> WorkspaceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held until release(), not a block
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = _parse(fh.read())
            fh.close()
            raise WorkspaceLocked(
                f"workspace {self.path.parent.parent} is locked by run {holder.get('run_id', '?')} "
                f"(pid {holder.get('pid', '?')} on {holder.get('host', '?')}, since "
                f"{holder.get('since', '?')}); wait for it to finish or stop that process",
                holder=holder) from None
        fh.seek(0)
        previous = _parse(fh.read())
        if previous:
            self.stale_holder = previous
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"run_id": self.run_id, "pid": os.getpid(), "host": socket.gethostname(),
                             "since": now().isoformat(timespec="seconds")}))
        fh.flush()
        self.fh = fh
        return self

    def release(self) -> None:
        if self.fh:
            self.fh.seek(0)
            self.fh.truncate()
            self.fh.flush()
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _parse(text: str) -> dict:
    try:
        return json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        return {}
