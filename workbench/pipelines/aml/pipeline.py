"""Declaration of the ``aml`` pipeline: stages, parameters, samples, migrations, artifacts."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field

from ...pipeline import NOTEBOOKS_DIR, Params, Pipeline, Stage
from . import stages
from .samples import samples

HERE = Path(__file__).resolve().parent
NB = NOTEBOOKS_DIR / "aml"


class AmlParams(Params):
    """Parameters of an ``aml`` run."""

    train: bool = Field(False, description="train new models on the batch's labels")
    tune: bool = Field(False, description="tune the alert scorer with Optuna first (seeded)")
    n_trials: int = Field(15, ge=1, le=500, description="Optuna trials when tune=true")
    top_k: int = Field(20, ge=0, le=10_000, description="alerts explained with SHAP reasons")
    seed: int = Field(7, ge=0, description="training seed (same data + seed = same model file)")
    folds: int = Field(5, ge=2, le=20, description="cross-validation folds")
    num_threads: int = Field(2, ge=1, le=256, description="LightGBM prediction threads")


PIPELINE = Pipeline(
    name="aml",
    version="1.0.0",
    description="Deterministic AML alert scoring, ranking and cluster scoring with SHAP reasons",
    stages=(
        Stage("features", NB / "01_features.ipynb", stages.features),
        Stage("train", NB / "02_train.ipynb", stages.train),
        Stage("score", NB / "03_score.ipynb", stages.score),
        Stage("report", NB / "04_report.ipynb", stages.report),
    ),
    params=AmlParams,
    samples=samples,
    migrations=HERE / "sql",
    artifacts=("aml_scores.csv", "aml_cluster_scores.csv", "aml_report.json",
               "aml_data_checks.json", "aml_training.json"),
)
