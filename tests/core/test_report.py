import json
import zipfile

import altair as alt
import polars as pl

from workbench import report


def test_remote_assets_are_removed_and_detected():
    page = ('<html><head><script src="https://cdn.example.org/require.js"></script>'
            '<link rel="stylesheet" href="//fonts.example.org/x.css">'
            '<style>@import url(https://fonts.example.org/y.css);</style>'
            '<script>var local = 1;</script></head><body><a href="02_x.html">x</a></body></html>')
    assert len(report.remote_references(page)) == 2
    clean = report.make_self_contained(page)
    assert report.remote_references(clean) == []
    assert "var local = 1" in clean and "02_x.html" in clean and "@import" not in clean


def test_chart_svg_renders_offline():
    df = pl.DataFrame({"service": ["a", "b"], "events": [3, 5]})
    svg = report.chart_svg(alt.Chart(df).mark_bar().encode(x="service:N", y="events:Q"))
    assert svg.lstrip().startswith("<svg") and "</svg>" in svg
    assert report.remote_references(svg) == []


def test_table_html_escapes_and_truncates():
    df = pl.DataFrame({"v": ["<script>x</script>"] * 30, "n": list(range(30))})
    html = report.table_html(df, max_rows=5)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "first 5 of 30 rows" in html


def test_excel_json_csv_writers(tmp_path):
    df = pl.DataFrame({"service": ["chatgpt", "claude"], "events": [10, 4], "share": [0.7, 0.3]})
    x = report.write_excel(tmp_path / "r.xlsx", {"summary": df, "services": df.head(1)})
    with zipfile.ZipFile(x) as z:
        names = z.namelist()
        assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names
        shared = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else \
            z.read("xl/worksheets/sheet1.xml").decode()
        assert "chatgpt" in shared
    j = report.write_json(tmp_path / "d.json", {"b": 1, "a": [1, 2]})
    assert j.read_text().index('"a"') < j.read_text().index('"b"')
    assert json.loads(j.read_text()) == {"a": [1, 2], "b": 1}
    c = report.write_csv(tmp_path / "e.csv", df)
    assert pl.read_csv(c).equals(df)


def test_widget_outputs_become_a_note_not_a_widget_manager_fetch(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from workbench.report import WIDGET_MIME, render_stage_html

    cell = new_code_cell("display(studio)")
    cell.outputs = [new_output("display_data", data={
        WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": "VBox(...)"})]
    nb = new_notebook(cells=[cell])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    src = tmp_path / "s.ipynb"
    nbformat.write(nb, src)
    page = render_stage_html(src, tmp_path / "s.html", "studio").read_text()
    assert WIDGET_MIME not in page and "widget-state" not in page
    assert "open this stage notebook in JupyterLab" in page
