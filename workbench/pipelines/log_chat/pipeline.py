"""Declaration of the ``log_chat`` pipeline: stages, parameters, samples, migrations, artifacts."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from ...pipeline import NOTEBOOKS_DIR, Params, Pipeline, Stage
from . import stages

HERE = Path(__file__).resolve().parent
NB = NOTEBOOKS_DIR / "log_chat"

DEFAULT_QUESTIONS = [
    "Which log groups are there?",
    "What went wrong in checkout in the last 2 hours?",
    "What changed in orders in the last 2 hours?",
    "How many errors per hour in checkout over the last 24 hours?",
    'Search for "GatewayCircuitOpen" in the last 24 hours',
]


class LogChatParams(Params):
    """Parameters of a ``log_chat`` investigation."""

    questions: list[str] = Field(default_factory=lambda: list(DEFAULT_QUESTIONS),
                                 description="questions answered into the report")
    since: str = Field("12h", description="window start, e.g. 12h, 2 days ago, yesterday, ISO")
    until: str = Field("", description="window end (empty: end of the data for local logs, "
                                       "the clock for CloudWatch)")
    source: str = Field("", description="local or cloudwatch (empty: local when --input given)")
    log_groups: list[str] = Field(default_factory=list,
                                  description="log group name prefixes (empty: all groups)")
    region: str = Field("", description="AWS region for CloudWatch (empty: AWS configuration)")
    max_iterations: int = Field(10, ge=1, le=50, description="tool rounds per question")
    max_groups: int = Field(50, ge=1, le=1000, description="log groups examined at most")

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        if v not in ("", "local", "cloudwatch"):
            raise ValueError("must be local or cloudwatch")
        return v

    @field_validator("questions")
    @classmethod
    def _questions(cls, v: list[str]) -> list[str]:
        if any(not q.strip() for q in v):
            raise ValueError("questions must be non-empty strings")
        return v


def samples(out_dir: Path, lines: int = 4000, seed: int = 1, now: str | None = None) -> list[Path]:
    """Write multi-service sample logs with an incident and PII; return their paths."""
    from .samples import write_samples

    return write_samples(Path(out_dir), lines=lines, seed=seed, now=now)


PIPELINE = Pipeline(
    name="log_chat",
    version="1.0.0",
    description="Questions about local or CloudWatch logs, answered with masked evidence",
    stages=(
        Stage("sources", NB / "01_sources.ipynb", stages.sources),
        Stage("templates", NB / "02_templates.ipynb", stages.templates),
        Stage("investigate", NB / "03_investigate.ipynb", stages.investigate),
        Stage("report", NB / "04_report.ipynb", stages.report),
    ),
    params=LogChatParams,
    samples=samples,
    migrations=HERE / "sql",
    artifacts=("log_chat_answers.json", "log_chat_templates.csv", "log_chat_groups.json",
               "log_chat_summary.json"),
)
