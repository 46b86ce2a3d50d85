"""Declaration of the ``trace_eval`` pipeline: stages, parameters, samples, migrations, artifacts."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ...pipeline import NOTEBOOKS_DIR, Params, Pipeline, Stage
from . import stages

HERE = Path(__file__).resolve().parent
NB = NOTEBOOKS_DIR / "trace_eval"


class TraceEvalParams(Params):
    """Parameters of a ``trace_eval`` run."""

    modules: dict = Field(default_factory=dict,
                          description="per-module config overrides, e.g. {\"truncation\": "
                                      "{\"enabled\": false}, \"llm_judge\": {\"max_traces\": 50}}")
    train: bool = Field(False, description="train the tier-2 risk model on the labels file")
    labels: str = Field("", description="labels JSON lines {trace_id, label} (default: the "
                                        "labels.jsonl among the inputs)")
    alert_rules: str = Field("", description="alert rules YAML overriding the shipped ones")
    batch_size: int = Field(20_000, ge=100, le=1_000_000, description="traces per batch")
    source: Literal["files", "store"] = Field(
        "files", description="files: the --input trace files; store: the traces the service "
                             "(workbench serve trace_eval) stored for one org")
    org: str = Field("", description="organization whose stored traces to evaluate "
                                     "(source=store)")
    since: str = Field("", description="source=store: traces received since then, ISO 8601 "
                                       "or a duration such as 24h (empty: all)")

    @model_validator(mode="after")
    def _store_needs_org(self):
        if self.source == "store" and not self.org:
            raise ValueError("source=store needs --param org=NAME (see workbench orgs list)")
        if self.source == "files" and (self.org or self.since):
            raise ValueError("org and since apply to source=store only")
        return self


def samples(out_dir: Path, traces: int = 600, seed: int = 1) -> list[Path]:
    """Write sample traces of the three shapes (known defects, tricky clean cases) + labels."""
    from .samples import write_samples

    return write_samples(Path(out_dir), traces=traces, seed=seed)


PIPELINE = Pipeline(
    name="trace_eval",
    version="1.0.0",
    description="LLM traces evaluated in three tiers (rules, risk model, LLM judge), with alerts",
    stages=(
        Stage("ingest", NB / "01_ingest.ipynb", stages.ingest),
        Stage("tier1", NB / "02_tier1.ipynb", stages.tier1),
        Stage("tier2", NB / "03_tier2.ipynb", stages.tier2),
        Stage("tier3", NB / "04_tier3.ipynb", stages.tier3),
        Stage("alerts", NB / "05_alerts.ipynb", stages.alerts),
        Stage("report", NB / "06_report.ipynb", stages.report),
    ),
    params=TraceEvalParams,
    samples=samples,
    migrations=HERE / "sql",
    artifacts=("results.parquet", "summary.json"),
)
