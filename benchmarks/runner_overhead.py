"""Per-stage overhead of the runner against executing the same notebook code in-process.

The runner pays for a kernel start per stage (papermill), checkpoints in DuckDB and the HTML render.
The baseline runs each stage notebook's code cells with ``exec`` in this process, in order, with the
same parameters. Both run the test suite's toy pipeline (3 stages) on a fresh workspace.

    .venv/bin/python benchmarks/runner_overhead.py [--repeat N] [--quick]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ["WORKBENCH_PLUGINS"] = "toy_pipeline:register_pipelines"
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "tests"),
                                                         os.environ.get("PYTHONPATH")]))


def in_process(workspace: Path, params: dict) -> float:
    """Run the toy notebooks' code cells in this process; return seconds."""
    import nbformat

    from workbench import config, runs
    from workbench.pipelines.registry import get

    pipeline = get("toy")
    plan = runs.plan_run(pipeline, config.load(workspace), inputs=[], params=params)
    runs.ensure_run(config.load(workspace), plan)
    t0 = time.perf_counter()
    for stage in pipeline.stages:
        nb = nbformat.read(stage.notebook, as_version=4)
        ns: dict = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, str(stage.notebook), "exec"), ns)  # noqa: S102
            if "parameters" in cell.metadata.get("tags", []):
                ns.update(run_id=plan.run_id, workspace=str(workspace), **params)
    return time.perf_counter() - t0


def through_runner(workspace: Path, params: dict) -> float:
    """Run the toy pipeline through the runner (papermill, checkpoints, HTML); return seconds."""
    from workbench.runner import run_pipeline

    t0 = time.perf_counter()
    outcome = run_pipeline("toy", workspace=str(workspace), params=params, quiet=True)
    assert outcome.exit_code == 0, outcome.error
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one repetition")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    from workbench.runner import ensure_kernel

    ensure_kernel()
    params = {"n_rows": 1000}
    base, runner = [], []
    for i in range(repeat):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            base.append(in_process(Path(a), {**params, "label": f"b{i}"}))
            runner.append(through_runner(Path(b), {**params, "label": f"r{i}"}))
    stages = 3
    b, r = min(base), min(runner)
    print(f"in-process  : {b:.2f}s for {stages} stages ({b / stages:.2f}s/stage)")
    print(f"runner      : {r:.2f}s for {stages} stages ({r / stages:.2f}s/stage)")
    print(f"overhead    : {(r - b) / stages:.2f}s per stage (target < 2 s)")
    print(f"ratio runner/in-process: {r / b:.1f}x  (best of {repeat})")


if __name__ == "__main__":
    main()
