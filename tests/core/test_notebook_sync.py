"""`workbench notebooks sync|new`: boilerplate derived from Params, every other cell kept as written."""
from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import nbformat
import pytest
from cli_runner import run_cli
from pydantic import Field

from workbench.errors import BadInput
from workbench.notebook_sync import (
    OPEN_TAG,
    PARAMETERS_TAG,
    literal,
    new_notebook,
    parameters_source,
    sync_notebook,
)
from workbench.pipeline import Params, Pipeline, Stage


class _P1(Params):
    n: int = Field(3, description="how many")
    label: str = "x"


class _P2(_P1):
    depth: float = Field(0.5, description="new knob")


def _pipeline(tmp_path: Path, params=_P1) -> Pipeline:
    return Pipeline(name="nbtest", version="1", description="sync test",
                    stages=(Stage("load", tmp_path / "01_load.ipynb"),
                            Stage("sum", tmp_path / "02_sum.ipynb")), params=params)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def test_literals_are_python():
    assert literal("a\"b") == '"a\\"b"'
    assert literal([1, 2.5, None, False, {"k": "v"}]) == '[1, 2.5, None, False, {"k": "v"}]'
    with pytest.raises(BadInput, match="not a JSON type"):
        literal(Path("x"))


def test_parameters_cell_lists_every_param_once_with_its_description(tmp_path):
    src = parameters_source(_pipeline(tmp_path))
    assert 'run_id = ""' in src and "inputs = []" in src
    assert "n = 3  # how many" in src and 'label = "x"' in src
    ns: dict = {}
    exec(src, ns)  # noqa: S102 - the cell is valid Python with the defaults
    assert ns["n"] == 3 and ns["label"] == "x" and ns["run_id"] == ""


def test_new_then_sync_keeps_edits_and_adds_a_new_param(tmp_path):
    p1 = _pipeline(tmp_path)
    path = new_notebook(p1, "load", title="Load things")
    assert sync_notebook(p1, "load", check=True).changed is False  # born synced
    nb = nbformat.read(path, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert [PARAMETERS_TAG] in tags and [OPEN_TAG] in tags
    assert nb.cells[0].source.startswith("# nbtest · 1 · Load things")

    # an analyst edits the narrative in JupyterLab, runs a cell (outputs, counts, metadata)
    nb.cells[0].source = "# Load\n\nMy own words about this stage."
    code = next(c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("tags"))
    code.source = "result = ctx.finish(rows_in=1, rows_out=1)  # edited"
    code.outputs = [nbformat.v4.new_output("stream", text="hello")]
    code.execution_count = 7
    code.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11"}
    nbformat.write(nb, path)
    assert sync_notebook(p1, "load", check=True).changed is True  # outputs are not allowed

    assert sync_notebook(p1, "load").changed is True
    cells = _cells(path)
    assert cells[0]["source"] == ["# Load\n", "\n", "My own words about this stage."]
    edited = next(c for c in cells if "# edited" in "".join(c["source"]))
    assert edited["outputs"] == [] and edited["execution_count"] is None
    assert edited["metadata"] == {}
    assert json.loads(path.read_text())["metadata"] == {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}

    # one line in Params + the sync
    p2 = _pipeline(tmp_path, _P2)
    assert sync_notebook(p2, "load", check=True).changed is True
    sync_notebook(p2, "load")
    params_cell = next(c for c in _cells(path) if PARAMETERS_TAG in c["metadata"].get("tags", []))
    assert "".join(params_cell["source"]).endswith("depth = 0.5  # new knob")
    assert "# edited" in path.read_text() and "My own words" in path.read_text()
    assert sync_notebook(p2, "load", check=True).changed is False


def test_legacy_open_cell_is_replaced_not_duplicated(tmp_path):
    p = _pipeline(tmp_path)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Old"),
        nbformat.v4.new_code_cell("run_id = ''\nn = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import workbench as wb\nctx = wb.open_stage('nbtest', 'sum', "
                                  "run_id=run_id, params={'n': n})"),
        nbformat.v4.new_code_cell("x = 1"),
    ])
    nbformat.write(nb, p.stage("sum").notebook)
    sync_notebook(p, "sum")
    sources = ["".join(c["source"]) for c in _cells(p.stage("sum").notebook)]
    assert sum("open_stage(" in s for s in sources) == 1
    assert sources[2] == 'import workbench as wb\n\nctx = wb.open_stage("nbtest", "sum", globals())'
    assert sources[3] == "x = 1"


def test_missing_notebook_and_existing_new_are_clear_errors(tmp_path):
    p = _pipeline(tmp_path)
    with pytest.raises(BadInput, match="workbench notebooks new nbtest sum"):
        sync_notebook(p, "sum")
    new_notebook(p, "sum")
    with pytest.raises(BadInput, match="already exists"):
        new_notebook(p, "sum")


def test_required_param_without_default_is_refused(tmp_path):
    class NoDefault(Params):
        must: int

    with pytest.raises(BadInput, match="'must'.*no default"):
        parameters_source(_pipeline(tmp_path, NoDefault))


def test_every_stage_notebook_is_synced(toy_env):
    r = run_cli("notebooks", "sync", "--check", env=toy_env)
    assert r.returncode == 0, (r.stdout + r.stderr
                               + "\nrun `workbench notebooks sync` (or `make notebooks`)")
    assert "up to date" in r.stdout


def test_check_names_the_stale_notebook_and_the_fix(tmp_path, toy_env):
    (tmp_path / "nbplug.py").write_text(textwrap.dedent(f"""
        from pathlib import Path
        from workbench.pipeline import Params, Pipeline, Stage

        class P(Params):
            n: int = 1
            added: bool = False

        NB = Path({str(tmp_path)!r})
        PIPELINE = Pipeline(name="nbplug", version="1", description="d",
                            stages=(Stage("only", NB / "01_only.ipynb"),), params=P)

        def register_pipelines(register):
            register(PIPELINE)
    """))
    env = {**toy_env, "WORKBENCH_PLUGINS": "nbplug:register_pipelines",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), toy_env.get("PYTHONPATH", "")])}
    r = run_cli("notebooks", "new", "nbplug", "only", env=env)
    assert r.returncode == 0, r.stderr
    path = tmp_path / "01_only.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", []))
    cell.source = cell.source.replace("\nadded = False", "")  # as if `added` was just declared
    nbformat.write(nb, path)
    r = run_cli("notebooks", "sync", "nbplug", "--check", env=env)
    assert r.returncode == 1
    assert "01_only.ipynb" in r.stdout and "workbench notebooks sync nbplug" in r.stderr
    assert run_cli("notebooks", "sync", "nbplug", env=env).returncode == 0
    assert "added = False" in path.read_text()
    assert run_cli("notebooks", "sync", "nbplug", "--check", env=env).returncode == 0
