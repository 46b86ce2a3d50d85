"""Reports: stage pages without code, the run's index.html, Excel/JSON/CSV writers, offline charts.

Every page is self-contained: charts are inline SVG rendered by vl-convert (no Vega scripts from a
CDN), and whatever nbconvert's template would fetch from the network is dropped after rendering.
"""
from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from typing import Any

# <script src=http…>, <link href=http…>, and @import url(http…) — anything a page would fetch
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*['\"]?(?:https?:)?//[^>]*>\s*</script>", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*['\"]?(?:https?:)?//[^>]*>", re.IGNORECASE)
_REMOTE_IMPORT = re.compile(r"@import\s+url\(['\"]?(?:https?:)?//[^)]*\);?", re.IGNORECASE)
_MATHJAX_BLOCK = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
REMOTE_REF = re.compile(r"""(?:src|href)\s*=\s*['"]?\s*(?:https?:)?//""", re.IGNORECASE)


def make_self_contained(page: str) -> str:
    """Return the page without any script, stylesheet or import fetched from the network."""
    page = _MATHJAX_BLOCK.sub("", page)
    page = _REMOTE_SCRIPT.sub("", page)
    page = _REMOTE_LINK.sub("", page)
    return _REMOTE_IMPORT.sub("", page)


def remote_references(page: str) -> list[str]:
    """Return every src/href in the page that points at a network address (should be empty)."""
    return [page[m.start(): m.start() + 80] for m in REMOTE_REF.finditer(page)]


# ---- notebook-side display helpers ----------------------------------------------------------

def chart_svg(chart) -> str:
    """Return an Altair chart rendered to an inline SVG string (no network, no scripts)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())


def show_chart(chart) -> None:
    """Display an Altair chart as inline SVG so it shows in JupyterLab and in the HTML report."""
    from IPython.display import SVG, display

    display(SVG(chart_svg(chart)))


def table_html(df, max_rows: int = 20) -> str:
    """Return a Polars frame (or list of dicts) as an escaped HTML table, first ``max_rows`` rows."""
    import polars as pl

    if not isinstance(df, pl.DataFrame):
        df = pl.DataFrame(df)
    head = df.head(max_rows)
    cols = "".join(f"<th>{html.escape(str(c))}</th>" for c in head.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in head.iter_rows())
    more = (f"<caption>first {max_rows} of {df.height:,} rows</caption>"
            if df.height > max_rows else "")
    return f'<table class="wb">{more}<thead><tr>{cols}</tr></thead><tbody>{body}</tbody></table>'


def _cell(v: Any) -> str:
    if v is None:
        return '<span class="null">—</span>'
    if isinstance(v, float):
        return f"{v:,.4g}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return html.escape(str(v))


def show_table(df, max_rows: int = 20) -> None:
    """Display a table in the notebook and the report."""
    from IPython.display import HTML, display

    display(HTML(table_html(df, max_rows)))


def show_summary(items: dict[str, Any]) -> None:
    """Display the reviewer's summary of a stage as a two-column table."""
    from IPython.display import HTML, display

    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{_cell(v)}</td></tr>"
                   for k, v in items.items())
    display(HTML(f'<table class="wb summary">{rows}</table>'))


# ---- artifact writers -----------------------------------------------------------------------

def write_json(path: Path, obj: Any) -> Path:
    """Write deterministic JSON (sorted keys, UTF-8); return the path."""
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n")
    return path


def write_csv(path: Path, df) -> Path:
    """Write a Polars frame as CSV; return the path."""
    df.write_csv(path)
    return path


def write_excel(path: Path, sheets: dict[str, Any]) -> Path:
    """Write Polars frames as sheets of one workbook in constant memory; return the path."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False,
                                          "default_date_format": "yyyy-mm-dd hh:mm:ss"})
    bold = wb.add_format({"bold": True, "bg_color": "#eef2f7"})
    try:
        for name, df in sheets.items():
            ws = wb.add_worksheet(name[:31])
            ws.write_row(0, 0, df.columns, bold)
            for r, row in enumerate(df.iter_rows(), start=1):  # rows go out in order: constant memory
                ws.write_row(r, 0, [_xlsx(v) for v in row])
            ws.freeze_panes(1, 0)
            for c, col in enumerate(df.columns):
                ws.set_column(c, c, min(max(len(col) + 2, 10), 50))
    finally:
        wb.close()
    return path


def _xlsx(v: Any) -> Any:
    if v is None or isinstance(v, (int, float, str, bool)):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    return json.dumps(v, default=str)


# ---- pages ------------------------------------------------------------------------------------

def warm_up() -> None:
    """Import the page and chart renderers ahead of first use (the runner does it in a thread)."""
    _exporter()
    import vl_convert  # noqa: F401


@functools.cache
def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    exporter.mathjax_url = ""
    return exporter


def render_stage_html(executed_ipynb: Path, out_html: Path, title: str) -> Path:
    """Render an executed notebook to a self-contained HTML page without code; return its path."""
    import nbformat

    nb = nbformat.read(executed_ipynb, as_version=4)
    nb.metadata.pop("widgets", None)  # widget state would make the page load a widget manager
    for cell in nb.cells:  # parameter cells only echo inputs: keep the page to the evidence
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            cell["outputs"] = [] if cell.cell_type == "code" else cell.get("outputs")
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data") or {}
            if WIDGET_MIME in data:  # an interactive widget (a studio): a note, not a fetch
                data.pop(WIDGET_MIME)
                data["text/plain"] = ("[interactive widget: open this stage notebook in "
                                      "JupyterLab (make lab) to use it]")
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    nav = (f'<nav style="font:13px system-ui,sans-serif;padding:.6rem 1.2rem;'
           f'border-bottom:1px solid #dde3ea"><a href="index.html">&larr; run index</a> · '
           f'{html.escape(title)}</nav>')
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    out_html.write_text(make_self_contained(body))
    return out_html


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("workbench", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))


def render_index(settings, run_id: str) -> Path:
    """Render ``reports/<pipeline>/<run_id>/index.html`` from the store; return its path."""
    import altair as alt
    import polars as pl

    from . import runs, store

    run = runs.get_run(settings, run_id)
    stage_rows = runs.stages(settings, run_id)
    run_dir = settings.run_dir(run["pipeline"], run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    with store.connect(settings, read_only=True) as con:
        ledger = con.execute(
            "SELECT event, coalesce(status, '') AS status, coalesce(model, '') AS model, "
            "count(*) AS events, sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out, "
            "sum(usd) AS usd, bool_or(coalesce(pii_mask_applied, false)) AS masked "
            "FROM ledger WHERE run_id = ? GROUP BY ALL ORDER BY event, status", [run_id]).pl()
        pii = con.execute(
            "SELECT stage, entity_type, action, sum(count)::BIGINT AS count FROM pii_audit "
            "WHERE run_id = ? GROUP BY ALL ORDER BY stage, count DESC", [run_id]).pl()
        quarantine = con.execute(
            "SELECT stage, reason, count(*) AS rows FROM quarantine WHERE run_id = ? "
            "GROUP BY ALL ORDER BY rows DESC", [run_id]).pl()
        inputs = con.execute("SELECT path, size, sha256 FROM input_files WHERE run_id = ? "
                             "ORDER BY path", [run_id]).pl()
    from .pipelines.registry import all_pipelines

    pipeline = all_pipelines().get(run["pipeline"])
    stages = []
    for i, s in enumerate(stage_rows, start=1):
        page = f"{i:02d}_{s['stage']}.html"
        stages.append({**s, "page": page if (run_dir / page).exists() else None,
                       "side": runs.read_sidecar(run_dir, s["stage"]).get("summary", {})})
    timing_svg = None
    timed = [s for s in stage_rows if s.get("seconds") is not None]
    if timed:
        chart = alt.Chart(pl.DataFrame({"stage": [s["stage"] for s in timed],
                                        "seconds": [s["seconds"] for s in timed],
                                        "status": [s["status"] for s in timed]})).mark_bar().encode(
            x=alt.X("seconds:Q", title="seconds"), y=alt.Y("stage:N", sort=None, title=None),
            color=alt.Color("status:N", scale=alt.Scale(domain=["done", "failed", "running"],
                                                        range=["#4c78a8", "#e45756", "#f2cf5b"])),
        ).properties(width=480, height=24 * len(timed), title="Stage timings")
        timing_svg = chart_svg(chart)
    sections = []
    sec_dir = run_dir / ".sections"
    if sec_dir.exists():
        sections = [json.loads(f.read_text()) for f in sorted(sec_dir.glob("*.json"))]
    artifacts = [a for a in (pipeline.artifacts if pipeline else ()) if (run_dir / a).exists()]
    failed = next((s for s in stages if s["status"] == "failed"), None)
    page = _env().get_template("index.html.j2").render(
        run=run, contract_json=json.dumps(run["contract"], indent=2, sort_keys=True),
        stages=stages, failed=failed, timing_svg=timing_svg, sections=sections,
        ledger=table_html(ledger, 50) if ledger.height else None,
        ledger_total=_ledger_total(ledger),
        pii=table_html(pii, 50) if pii.height else None,
        quarantine=table_html(quarantine, 50) if quarantine.height else None,
        inputs=table_html(inputs, 50) if inputs.height else None,
        artifacts=artifacts, engine=_pii_engine(run_dir))
    out = run_dir / "index.html"
    out.write_text(make_self_contained(page))
    return out


def _ledger_total(ledger) -> dict:
    if not ledger.height:
        return {"events": 0, "tokens": 0, "usd": None, "model_calls": 0, "offline": 0}
    usd = ledger["usd"].drop_nulls()
    calls = ledger.filter(ledger["event"] == "llm_call")["events"].sum() if "event" in ledger.columns else 0
    offline = ledger.filter(ledger["status"] == "offline")["events"].sum()
    return {"events": int(ledger["events"].sum()),
            "tokens": int((ledger["tokens_in"].fill_null(0) + ledger["tokens_out"].fill_null(0)).sum()),
            "usd": float(usd.sum()) if usd.len() else None, "model_calls": int(calls or 0),
            "offline": int(offline or 0)}


def _pii_engine(run_dir: Path) -> str | None:
    side_dir = run_dir / ".stages"
    for f in sorted(side_dir.glob("*.json")) if side_dir.exists() else []:
        engine = json.loads(f.read_text()).get("summary", {}).get("pii_engine")
        if engine:
            return engine
    return None
