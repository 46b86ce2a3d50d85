"""Stage notebooks: the `.ipynb` files are the source; their boilerplate is derived from the pipeline.

A stage notebook has two cells that belong to the pipeline declaration, not to the notebook's
author, and are rewritten by ``workbench notebooks sync``:

- the ``parameters`` cell (tag ``parameters``): ``run_id``, ``workspace``, ``inputs``, ``model``
  and one line per field of the pipeline's ``Params`` with its default;
- the open-stage cell (tag ``open-stage``): ``ctx = wb.open_stage("<pipeline>", "<stage>",
  globals())``, which reads those values from the notebook's namespace.

Every other cell (narrative, calls, evidence, summary) is the author's and is kept exactly as it
is; the sync only strips outputs and execution counts and normalizes metadata. A parameter is
therefore declared once, in ``Params``, and reaches every stage notebook with one sync.

>>> literal({"a": [1, None, True], "b": "x"})
'{"a": [1, None, True], "b": "x"}'
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .errors import BadInput
from .pipeline import Pipeline

PARAMETERS_TAG = "parameters"
OPEN_TAG = "open-stage"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
# cell metadata worth keeping; JupyterLab's execution timings, scroll state etc. are dropped
KEPT_CELL_METADATA = ("tags", "jupyter", "slideshow")
RUN_FIELDS = (
    ("run_id", "", "set by the runner; empty: run alone on sample data in a scratch workspace"),
    ("workspace", "", "workspace directory (the runner's; empty: scratch)"),
    ("inputs", [], "input files or folders (empty: the pipeline's sample data)"),
    ("model", "", "llm model id or fallback chain (empty: offline)"),
)
SYNC_HINT = "workbench notebooks sync {pipeline}  (or: make notebooks)"


def literal(value: Any) -> str:
    """Return a Python literal for a JSON-typed value (strings in double quotes)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise BadInput(f"parameter default {value!r} is not a JSON type (str, int, float, bool, list, "
                   "dict or None): papermill cannot inject it")


def param_defaults(pipeline: Pipeline) -> list[tuple[str, Any, str]]:
    """Return (name, default, description) of every parameter of the pipeline's ``Params``."""
    out = []
    for (name, f), helped in zip(pipeline.params.model_fields.items(), pipeline.param_help(),
                                 strict=True):
        if f.is_required():
            raise BadInput(f"parameter {name!r} of pipeline {pipeline.name!r} has no default: a "
                           "stage notebook must run alone, so every parameter needs one")
        out.append((name, helped["default"], f.description or ""))
    return out


def parameters_source(pipeline: Pipeline) -> str:
    """Return the text of the parameters cell derived from the pipeline's ``Params``."""
    header = (f"# written by `workbench notebooks sync` from {pipeline.params.__name__}: change "
              "the parameters there, not here")
    lines = [header]
    for name, default, desc in (*RUN_FIELDS, *param_defaults(pipeline)):
        line = f"{name} = {literal(default)}"
        if desc and "=" in desc + line[len(name) + 3:]:
            lines += [f"# {desc}", line]  # papermill skips an assignment line with a second '='
        else:
            lines.append(f"{line}  # {desc}" if desc else line)
    return "\n".join(lines)


def open_source(pipeline: Pipeline, stage: str) -> str:
    """Return the text of the cell that opens the stage (parameters read from the namespace)."""
    return f'import workbench as wb\n\nctx = wb.open_stage("{pipeline.name}", "{stage}", globals())'


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _find(cells, tag: str, legacy: str | None = None) -> int | None:
    for i, c in enumerate(cells):
        if c.cell_type == "code" and tag in _tags(c):
            return i
    if legacy:
        for i, c in enumerate(cells):
            if c.cell_type == "code" and legacy in c.source:
                return i
    return None


def _code_cell(source: str, tag: str, cell_id: str):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [tag]})
    cell["id"] = cell_id
    return cell


def _normalize_cell(cell, fallback_id: str, taken: set[str]) -> None:
    meta = {k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.get("metadata", {})}
    cell["metadata"] = nbformat.from_dict(meta)
    if cell.cell_type == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
        if not cell.get("attachments"):
            cell.pop("attachments", None)
    cid = cell.get("id")
    if not cid or cid in taken:
        cid = fallback_id
        n = 1
        while cid in taken:
            cid, n = f"{fallback_id}-{n}", n + 1
        cell["id"] = cid
    taken.add(cid)


def synced(nb, pipeline: Pipeline, stage: str):
    """Return the notebook with its boilerplate cells rewritten and every cell normalized."""
    cells = list(nb.cells)
    p = _find(cells, PARAMETERS_TAG)
    params_cell = _code_cell(parameters_source(pipeline), PARAMETERS_TAG, "parameters")
    if p is None:  # after the leading markdown (the title and narrative)
        p = next((i for i, c in enumerate(cells) if c.cell_type != "markdown"), len(cells))
        cells.insert(p, params_cell)
    else:
        params_cell["id"] = cells[p].get("id") or "parameters"
        params_cell.metadata["tags"] = sorted(set(_tags(cells[p])) | {PARAMETERS_TAG})
        cells[p] = params_cell
    o = _find(cells, OPEN_TAG, legacy="open_stage(")
    open_cell = _code_cell(open_source(pipeline, stage), OPEN_TAG, "open-stage")
    if o is None or o < p:
        if o is not None:
            del cells[o]
            p -= 1
        cells.insert(p + 1, open_cell)
    else:
        open_cell["id"] = cells[o].get("id") or "open-stage"
        cells[o] = open_cell
    taken: set[str] = set()
    for i, cell in enumerate(cells):
        digest = hashlib.sha256(cell.source.encode()).hexdigest()[:8]
        _normalize_cell(cell, f"{stage}-{digest}" if cell.source else f"{stage}-{i:02d}", taken)
    nb.cells = cells
    nb.metadata = nbformat.from_dict({"kernelspec": dict(KERNELSPEC)})
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def render(nb) -> str:
    """Return a notebook as the canonical JSON text it is stored in."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


@dataclass(frozen=True)
class SyncResult:
    """What a sync did (or, with check, would do) to one stage notebook."""

    pipeline: str
    stage: str
    path: Path
    changed: bool


def sync_notebook(pipeline: Pipeline, stage: str, *, check: bool = False) -> SyncResult:
    """Return whether the stage's notebook differs from its synced form (rewritten unless check)."""
    path = pipeline.stage(stage).notebook
    if not path.exists():
        raise BadInput(f"stage notebook {path} of {pipeline.name}.{stage} does not exist; create it "
                       f"with: workbench notebooks new {pipeline.name} {stage}")
    before = path.read_text(encoding="utf-8")
    try:
        nb = nbformat.reads(before, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds for a broken file
        raise BadInput(f"{path} is not a readable notebook: {exc}") from None
    after = render(synced(nb, pipeline, stage))
    if after != before and not check:
        path.write_text(after, encoding="utf-8")
    return SyncResult(pipeline.name, stage, path, after != before)


def sync_pipeline(pipeline: Pipeline, *, check: bool = False) -> list[SyncResult]:
    """Return the sync result of every stage notebook of a pipeline."""
    return [sync_notebook(pipeline, s.name, check=check) for s in pipeline.stages]


def skeleton(pipeline: Pipeline, stage: str, title: str = "") -> str:
    """Return a new stage notebook's text: title, narrative, parameters, open-stage, summary."""
    heading = title or stage.replace("_", " ").capitalize()
    position = next((i for i, s in enumerate(pipeline.stages, 1) if s.name == stage),
                    len(pipeline.stages) + 1)
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {pipeline.name} · {position} · {heading}\n\nWhat this stage does and why, for the "
            "reviewer who reads the report: its inputs, what it decides, what it writes."),
        nbformat.v4.new_markdown_cell("## Work\nCall the package: the logic lives in "
                                      f"`workbench/pipelines/{pipeline.name}/`."),
        nbformat.v4.new_code_cell(f"result = ctx.finish(rows_in=0, rows_out=0)  # replace with "
                                  f"the {stage} stage's function"),
        nbformat.v4.new_markdown_cell("## Summary for the reviewer"),
        nbformat.v4.new_code_cell("wb.show_summary({'rows in': result['rows_in'], 'rows out': "
                                  "result['rows_out'], 'quarantined': 0, 'masked': 0, "
                                  "'cost': '0 USD'})"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    return render(synced(nb, pipeline, stage))


def new_notebook(pipeline: Pipeline, stage: str, title: str = "") -> Path:
    """Write a new stage notebook skeleton (the declared stage's path, else the next NN_); return it."""
    try:
        path = pipeline.stage(stage).notebook
    except KeyError:
        folder = _notebook_dir(pipeline)
        taken = [int(p.name[:2]) for p in folder.glob("[0-9][0-9]_*.ipynb")] if folder.exists() \
            else []
        path = folder / f"{max(taken, default=0) + 1:02d}_{stage}.ipynb"
    if path.exists():
        raise BadInput(f"{path} already exists; edit it in JupyterLab and run "
                       f"`workbench notebooks sync {pipeline.name}`")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(pipeline, stage, title), encoding="utf-8")
    return path


def _notebook_dir(pipeline: Pipeline) -> Path:
    if pipeline.stages:
        return pipeline.stages[0].notebook.parent
    from .pipeline import NOTEBOOKS_DIR

    return NOTEBOOKS_DIR / pipeline.name
