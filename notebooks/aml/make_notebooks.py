"""Write the aml stage notebooks (no outputs, no execution counts): python make_notebooks.py."""
from __future__ import annotations

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parent
PARAMS = ('run_id = ""\nworkspace = ""\ninputs = []\nmodel = ""\n'
          "train = False\ntune = False\nn_trials = 15\ntop_k = 20\nseed = 7\nfolds = 5\n"
          "num_threads = 2")
OPEN = ('import workbench as wb\nfrom workbench.pipelines.aml import stages\n\n'
        'ctx = wb.open_stage("aml", "{stage}", run_id=run_id, workspace=workspace, '
        'inputs=inputs,\n                    model=model, params={{"train": train, "tune": tune, '
        '"n_trials": n_trials,\n                    "top_k": top_k, "seed": seed, "folds": folds, '
        '"num_threads": num_threads}})')

STAGES = {
    "01_features": ("features", [
        ("md", ("# AML · 1 · Features\n\nReads the alert batch (alerts, money flows, clusters, "
               "account features, labels), validates every table against its schema and sends "
               "bad rows to quarantine, then builds the alert, network, temporal, statistical, "
               "account and cluster features the models score. Money is summed as integer cents "
               "so every feature is exact and independent of row order.")),
        ("code", "result = stages.features(ctx)"),
        ("md", "## Data checks\nRows read, kept and quarantined per table."),
        ("code", "wb.show_table(result.checks)\nwb.show_table(result.quarantine, max_rows=20)"),
        ("md", "## Features\nOne row per alert; names carry their group as a prefix."),
        ("code", "wb.show_table(result.features.drop('account_id'), max_rows=10)"),
        ("code", ("import altair as alt\n\n"
                 "hist = result.features.select('alert_amount_log')\n"
                 "wb.show_chart(alt.Chart(hist).mark_bar().encode("
                 "x=alt.X('alert_amount_log:Q', bin=alt.Bin(maxbins=30)), y='count()')"
                 ".properties(title='Alert amount (log USD)', width=420, height=180))")),
        ("md", "## Summary for the reviewer"),
        ("code", ("wb.show_summary({'alerts in': sum(c['rows_in'] for c in result.checks "
                 "if c['table'] == 'alerts'),\n                 'alerts with features': "
                 "result.features.height,\n                 'clusters': result.clusters.height,\n"
                 "                 'rows quarantined': result.quarantine.height,\n"
                 "                 'PII masked': 'account ids never leave the lake; previews "
                 "mask them',\n                 'cost': '0 USD (no model calls)'})")),
    ]),
    "02_train": ("train", [
        ("md", ("# AML · 2 · Train or evaluate\n\nWith `train=true` this trains the alert scorer "
               "(binary, cross-validated with early stopping, features selected by importance "
               "and correlation), the alert ranker (lambdarank, one query per day) and the "
               "cluster scorer, each seeded and single-threaded so the same data and seed give "
               "the same model file. Without it, a batch with labels evaluates the active model "
               "instead: models change only when someone asks for it.")),
        ("code", "summary = stages.train(ctx)\nsummary['mode']"),
        ("md", "## Metrics\nCross-validated (out-of-fold) metrics beside the baselines."),
        ("code", ("import polars as pl\n\n"
                 "keys = ['auc', 'pr_auc', 'precision_at_20', 'recall_at_100']\n"
                 "rows = []\n"
                 "if summary['mode'] == 'trained':\n"
                 "    rows.append({'model': 'alert_scorer', **{k: summary['alert_scorer'][k] "
                 "for k in keys}})\n"
                 "    rows += [{'model': f'baseline: {n}', **{k: m[k] for k in keys}}\n"
                 "             for n, m in summary['baselines'].items()]\n"
                 "elif summary['mode'] == 'evaluated':\n"
                 "    rows.append({'model': 'active model on this batch', "
                 "**{k: summary['alert_scorer'][k] for k in keys}})\n"
                 "wb.show_table(pl.DataFrame(rows) if rows else pl.DataFrame({'mode': "
                 "[summary['mode']]}))")),
        ("md", "## Summary for the reviewer"),
        ("code", ("wb.show_summary({'mode': summary['mode'], 'ranker NDCG': str("
                 "summary.get('alert_ranker', '—')),\n                 'cluster scorer': str("
                 "summary.get('cluster_scorer', {}).get('auc', '—')),\n"
                 "                 'rows quarantined': 0, 'PII masked': 'none sent anywhere', "
                 "'cost': '0 USD'})")),
    ]),
    "03_score": ("score", [
        ("md", ("# AML · 3 · Score, rank and explain\n\nScores every alert with the run's model "
               "(else the workspace's latest, else the shipped default), ranks them highest "
               "risk first (ties broken by alert id), orders them with the lambdarank model "
               "too, scores clusters, and explains the top-k alerts with SHAP values from "
               "LightGBM `pred_contrib`, turned into phrases an analyst reads.")),
        ("code", "scored = stages.score(ctx)"),
        ("md", "## Highest-risk alerts and their reasons"),
        ("code", ("wb.show_table(scored.alerts.select('rank', 'alert_id', 'score', 'cluster_id', "
                 "'reasons'), max_rows=20)")),
        ("md", ("## SHAP contributions of the top alerts\nContributions are in log-odds; with the "
               "bias they sum to the alert's raw margin.")),
        ("code", "wb.show_table(scored.explanations, max_rows=15)"),
        ("md", "## Clusters"),
        ("code", "wb.show_table(scored.clusters, max_rows=10)"),
        ("md", "## Summary for the reviewer"),
        ("code", ("wb.show_summary({'alerts scored': scored.alerts.height, 'clusters scored': "
                 "scored.clusters.height,\n                 'explained (top_k)': "
                 "scored.explanations['alert_id'].n_unique(), 'rows quarantined': 0,\n"
                 "                 'PII masked': 'outputs carry alert and cluster ids only', "
                 "'cost': '0 USD'})")),
    ]),
    "04_report": ("report", [
        ("md", ("# AML · 4 · Report\n\nWhat a model-risk reviewer reads: the ranked alerts with "
               "their reasons, score distributions, model metrics beside the baselines, "
               "calibration, feature importance and the data checks. The same content is in "
               "`aml_report.json` next to this page.")),
        ("code", "ev = stages.report(ctx)"),
        ("md", "## Ranked alerts"),
        ("code", "wb.show_table(ev.top_alerts, max_rows=20)"),
        ("md", "## Score distributions"),
        ("code", ("wb.show_chart(ev.charts['score_distribution'])\n"
                 "wb.show_chart(ev.charts['cluster_distribution'])")),
        ("md", "## Model metrics and calibration"),
        ("code", ("wb.show_table(ev.metrics)\nif 'calibration' in ev.charts:\n"
                 "    wb.show_chart(ev.charts['calibration'])")),
        ("md", "## Feature importance"),
        ("code", "wb.show_chart(ev.charts['importance'])"),
        ("md", "## Data checks"),
        ("code", "wb.show_table(ev.checks)"),
        ("md", "## Summary for the reviewer"),
        ("code", ("wb.show_summary({'alerts': ev.summary['alerts'], 'clusters': "
                 "ev.summary['clusters'],\n                 'model': "
                 "ev.summary['model']['source'],\n                 'rows quarantined': "
                 "sum(t['quarantined'] for t in ev.summary['data_checks']),\n"
                 "                 'PII masked': 'no account ids in the report', "
                 "'cost': '0 USD'})")),
    ]),
}


def build() -> None:
    """Write every stage notebook next to this script."""
    for name, (stage, cells) in STAGES.items():
        nb = nbf.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        out = [nbf.v4.new_markdown_cell(cells[0][1]),
               nbf.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
               nbf.v4.new_code_cell(OPEN.format(stage=stage))]
        for kind, src in cells[1:]:
            out.append(nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src))
        for i, cell in enumerate(out):
            cell["id"] = f"{stage}-{i:02d}"  # stable ids keep the files byte-identical
        nb.cells = out
        nbf.write(nb, HERE / f"{name}.ipynb")


if __name__ == "__main__":
    build()
