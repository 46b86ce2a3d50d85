"""Runs a pipeline: validate → contract → lock → each stage notebook through papermill → reports.

Resume is by checkpoint: a stage whose checkpoint is ``done`` with the same inputs hash (contract,
notebook bytes, previous stage's outputs) is skipped; a failed or killed one runs again. The DuckDB
file is only opened between notebook executions, never across one.
"""
from __future__ import annotations

import hashlib
import json
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import config, report, runs
from .errors import EXIT_OK, EXIT_STAGE_FAILED, BadInput
from .pipelines.registry import get

KERNEL_NAME = "workbench"


@dataclass
class Outcome:
    """What a run ended with."""

    run_id: str
    status: str
    exit_code: int
    index: Path
    resumed: bool
    failed_stage: str | None = None
    error: str | None = None


def ensure_kernel() -> str:
    """Install (once) a kernelspec that runs this interpreter, so notebooks use the virtualenv."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (workbench)", prefix=sys.prefix)
    return KERNEL_NAME


class Progress:
    """Stage n/N with timings and an ETA on a terminal; silent when quiet."""

    def __init__(self, total: int, stream: TextIO | None, quiet: bool):
        self.total, self.stream, self.quiet = total, stream or sys.stderr, quiet
        self.durations: list[float] = []

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def start(self, n: int, stage: str) -> None:
        eta = ""
        if self.durations:
            left = (self.total - n + 1) * (sum(self.durations) / len(self.durations))
            eta = f" (ETA {left:.0f}s)"
        self.say(f"[{n}/{self.total}] {stage} …{eta}")

    def within(self, stage: str, report: dict, elapsed: float) -> None:
        """Show a stage's own progress report (rows done of total, rate, ETA)."""
        done, total, unit = report.get("done", 0), report.get("total"), report.get("unit", "rows")
        rate = done / elapsed if elapsed > 0 else 0
        if total:
            eta = f", ETA {(total - done) / rate:.0f}s" if rate and done < total else ""
            self.say(f"      {stage}: {done:,}/{total:,} {unit} ({100 * done / total:.0f}%){eta}")
        else:
            self.say(f"      {stage}: {done:,} {unit} ({rate:,.0f}/s)")

    def done(self, n: int, stage: str, seconds: float, side: dict) -> None:
        self.durations.append(seconds)
        rows = ""
        if side.get("rows_in") is not None or side.get("rows_out") is not None:
            rows = f", rows {side.get('rows_in', '—')} → {side.get('rows_out', '—')}"
        self.say(f"[{n}/{self.total}] {stage} done in {seconds:.1f}s{rows}")


def check_model(model: str | None) -> None:
    """Raise BadInput when a model of the (comma-separated) chain is unknown to `llm`."""
    chain = [m.strip() for m in (model or "offline").split(",") if m.strip()]
    unknown = []
    for m in chain:
        if m == "offline":
            continue
        import llm

        try:
            llm.get_model(m)
        except llm.UnknownModelError:
            unknown.append(m)
    if unknown:
        raise BadInput(f"unknown model {unknown[0]!r}: use 'offline' or a model id or alias that "
                       "`llm models` lists (install a plugin such as llm-anthropic or llm-ollama "
                       "for more)")


def sample_inputs(pipeline, out_dir: Path) -> list[Path]:
    """Return the pipeline's sample inputs in ``out_dir``, writing them on first use."""
    marker = out_dir / ".written"
    if marker.exists():
        return [Path(p) for p in json.loads(marker.read_text())]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [Path(p).resolve() for p in pipeline.samples(out_dir)]
    marker.write_text(json.dumps([str(p) for p in paths]))
    return paths


def _notebook_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stage_inputs_hash(contract_hash: str, notebook: Path, previous_outputs: str | None) -> str:
    return hashlib.sha256(f"{contract_hash}|{_notebook_hash(notebook)}|{previous_outputs or ''}"
                          .encode()).hexdigest()


class _Terminated(Exception):
    pass


def _on_term(signum, frame):  # SIGTERM: stop like Ctrl-C so the checkpoint and lock are released
    raise _Terminated(f"terminated by signal {signum}")


def run_pipeline(name: str, *, workspace: str | None = None, inputs: list[str] | None = None,
                 params: dict | None = None, model: str | None = None, fresh: bool = False,
                 quiet: bool = False, stream: TextIO | None = None) -> Outcome:
    """Run (or resume) a pipeline and render its reports; return the outcome with its exit code."""
    pipeline = get(name)
    settings = config.load(workspace)
    inputs = list(inputs or [])
    runs.validate_params(pipeline, params or {})  # bad parameters fail before anything is written
    check_model(model or settings.model)
    if not inputs and pipeline.samples:  # no --input: the pipeline's built-in sample data
        sample_dir = settings.data_dir / "samples" / pipeline.name
        inputs = [str(p) for p in sample_inputs(pipeline, sample_dir)]
    plan = runs.plan_run(pipeline, settings, inputs=inputs, params=params or {}, model=model,
                         fresh=fresh)  # raises BadInput before anything is written
    for s in pipeline.stages:
        if not Path(s.notebook).is_file():
            raise BadInput(f"stage {s.name!r} of pipeline {name!r}: notebook {s.notebook} not found")
    kernel = ensure_kernel()
    progress = Progress(len(pipeline.stages), stream, quiet)
    pages = _PageRenderer()
    previous_handler = signal.signal(signal.SIGTERM, _on_term)
    with runs.WorkspaceLock(settings, plan.run_id) as lock:
        if lock.stale_holder and lock.stale_holder.get("run_id"):
            progress.say(f"took over a stale lock left by run {lock.stale_holder['run_id']} "
                         f"(pid {lock.stale_holder.get('pid')}, no longer running)")
        run_id, resumed = runs.ensure_run(settings, plan)
        run_dir = settings.run_dir(pipeline.name, run_id)
        (run_dir / ".executed").mkdir(parents=True, exist_ok=True)
        progress.say(("resuming" if resumed else "starting") + f" run {run_id} → {run_dir}")
        checkpoints = {s["stage"]: s for s in runs.stages(settings, run_id)}
        previous_outputs = None
        try:
            for n, stage in enumerate(pipeline.stages, start=1):
                nb = Path(stage.notebook)
                inputs_hash = _stage_inputs_hash(plan.contract_hash, nb, previous_outputs)
                cp = checkpoints.get(stage.name, {})
                if cp.get("status") == "done" and cp.get("inputs_hash") == inputs_hash:
                    progress.say(f"[{n}/{len(pipeline.stages)}] {stage.name} already done (skipped)")
                    previous_outputs = cp.get("outputs_hash")
                    continue
                progress.start(n, stage.name)
                sidecar = run_dir / ".stages" / f"{stage.name}.json"
                sidecar.unlink(missing_ok=True)
                runs.mark_stage_running(settings, run_id, stage.name, inputs_hash)
                executed = run_dir / ".executed" / f"{n:02d}_{stage.name}.ipynb"
                page = run_dir / f"{n:02d}_{stage.name}.html"
                t0 = time.perf_counter()
                error = _execute_watched(nb, executed, kernel, settings, run_id, plan,
                                         run_dir / ".stages" / f"{stage.name}.progress", progress,
                                         stage.name)
                seconds = time.perf_counter() - t0
                if executed.exists():
                    pages.render(executed, page, f"{pipeline.name} · {stage.name}")
                if error:
                    runs.record_stage_failed(settings, run_id, stage.name, error)
                    runs.finish_run(settings, run_id, "failed")
                    pages.wait()
                    index = report.render_index(settings, run_id)
                    progress.say(f"[{n}/{len(pipeline.stages)}] {stage.name} FAILED after "
                                 f"{seconds:.1f}s: {error.splitlines()[0]}\n  see {page}")
                    return Outcome(run_id, "failed", EXIT_STAGE_FAILED, index, resumed,
                                   stage.name, error)
                side = runs.record_stage_done(settings, run_id, stage.name, run_dir, inputs_hash)
                previous_outputs = side.get("outputs_hash")
                progress.done(n, stage.name, seconds, side)
            runs.finish_run(settings, run_id, "done")
            pages.wait()
            index = report.render_index(settings, run_id)
            progress.say(f"done: {index}")
            return Outcome(run_id, "done", EXIT_OK, index, resumed)
        except (KeyboardInterrupt, _Terminated) as exc:
            for s in runs.stages(settings, run_id):
                if s["status"] == "running":
                    runs.record_stage_failed(settings, run_id, s["stage"], f"interrupted: {exc!r}")
            runs.finish_run(settings, run_id, "failed")
            pages.wait()
            report.render_index(settings, run_id)
            raise
        finally:
            pages.close()
            signal.signal(signal.SIGTERM, previous_handler)


class _PageRenderer:
    """Renders stage pages on a background thread, overlapping the next stage's execution.

    It starts by importing nbconvert and the chart renderer, which would otherwise sit on the
    critical path of the first stage (about a second each).
    """

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wb-render")
        self.futures = [self.pool.submit(report.warm_up)]

    def render(self, executed: Path, page: Path, title: str) -> None:
        self.futures.append(self.pool.submit(report.render_stage_html, executed, page, title))

    def wait(self) -> None:
        """Block until every page is written; re-raise a rendering error."""
        futures, self.futures = self.futures, []
        for f in futures:
            f.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)


def _kernel_manager_class():
    """Return a kernel manager on local IPC sockets: sensitive data never crosses TCP, even loopback."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

    return IPCKernelManager


def _execute_watched(notebook: Path, output: Path, kernel: str, settings, run_id: str, plan,
                     progress_file: Path, progress: Progress, stage: str) -> str | None:
    """Execute a stage notebook while relaying the progress it reports through ``ctx.progress``.

    papermill stays on the main thread (so Ctrl-C and SIGTERM stop it); a daemon thread watches
    the progress file the notebook writes.
    """
    import threading

    progress_file.unlink(missing_ok=True)
    stop = threading.Event()
    t0 = time.perf_counter()

    def watch() -> None:
        seen = None
        while not stop.wait(2.0):
            try:
                report = json.loads(progress_file.read_text())
            except (OSError, ValueError):
                continue
            if report != seen:
                seen = report
                progress.within(stage, report, time.perf_counter() - t0)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return _execute(notebook, output, kernel, settings, run_id, plan)
    finally:
        stop.set()


def _execute(notebook: Path, output: Path, kernel: str, settings, run_id: str, plan) -> str | None:
    """Execute one stage notebook with papermill; return None, or the error text if it raised."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    parameters = {"run_id": run_id, "workspace": str(settings.workspace),
                  "inputs": [str(p) for p in plan.inputs], "model": plan.model, **plan.params}
    try:
        pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=kernel,
                            progress_bar=False, log_output=False, cwd=str(notebook.parent),
                            request_save_on_cell_execute=False,
                            kernel_manager_class=_kernel_manager_class(),
                            # the kernel's own log (e.g. the interrupt jupyter_client sends at
                            # shutdown) is noise here: errors reach us through the notebook
                            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except PapermillExecutionError as exc:
        return f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    except Exception as exc:  # noqa: BLE001 - kernel died, notebook unreadable, …
        return f"{type(exc).__name__}: {exc}"
    return None


def describe(outcome: Outcome) -> str:
    """Return a one-paragraph summary of an outcome for the CLI."""
    return json.dumps({"run_id": outcome.run_id, "status": outcome.status,
                       "report": str(outcome.index)})
