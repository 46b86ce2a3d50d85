"""Writes the toy pipeline's three stage notebooks (run once; the .ipynb files are committed)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent / "notebooks"
PARAMS = ('run_id = ""\nworkspace = ""\ninputs = []\nmodel = ""\n'
          'n_rows = 50\nfail_once = False\nsleep_s = 0.0\nlabel = "toy"')
OPEN = ('import toy_pipeline\n\nimport workbench as wb\n\n'
        'ctx = wb.open_stage("toy", "{stage}", run_id=run_id, workspace=workspace, inputs=inputs, '
        'model=model,\n                   params={{"n_rows": n_rows, "fail_once": fail_once, '
        '"sleep_s": sleep_s, "label": label}})')

STAGES = {
    "01_make": ("make", ("result = toy_pipeline.make(ctx)\n"
                         "wb.show_summary({'rows out': result['rows_out']})")),
    "02_flaky": ("flaky", "result = toy_pipeline.flaky(ctx)\nresult['rows_out']"),
    "03_total": ("total", ("import altair as alt\nimport polars as pl\n\n"
                           "result = toy_pipeline.total(ctx)\n"
                           "df = pl.read_parquet(ctx.run_lake_path('toy_numbers') / '*.parquet')\n"
                           "wb.show_table(df, max_rows=5)\n"
                           "wb.show_chart(alt.Chart(df).mark_bar().encode(x='i:O', y='value:Q'))")),
}

for name, (stage, body) in STAGES.items():
    params = new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[new_markdown_cell(f"# Toy stage `{stage}`"), params,
                             new_code_cell(OPEN.format(stage=stage)), new_code_cell(body)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    HERE.mkdir(exist_ok=True)
    nbformat.write(nb, HERE / f"{name}.ipynb")
