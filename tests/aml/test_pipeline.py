"""`workbench run aml` end to end through the CLI on a small sample batch."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl

WORKBENCH = str(Path(sys.executable).with_name("workbench"))


def test_run_trains_scores_and_reports(tmp_path, small_batch):
    ws = tmp_path / "ws"
    out = subprocess.run([WORKBENCH, "run", "aml", "--workspace", str(ws), "--input",
                          str(small_batch), "--param", "train=true", "--param", "top_k=5",
                          "--quiet"], check=False, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    run_dir = next((ws / "reports" / "aml").iterdir())
    scores = pl.read_csv(run_dir / "aml_scores.csv")
    assert scores["rank"].to_list() == list(range(1, 301))
    assert scores.filter(pl.col("rank") <= 5)["reasons"].null_count() == 0
    assert "account_id" not in scores.columns  # no account numbers in exports
    report = json.loads((run_dir / "aml_report.json").read_text())
    assert report["model"]["source"] == "run" and report["training"]["mode"] == "trained"
    assert (ws / "data" / "models" / "aml" / run_dir.name / "alert_scorer.txt").is_file()
    index = (run_dir / "index.html").read_text()
    assert "highest-risk alerts" in index
