"""Declaration of the ``migration`` pipeline: the run contract's parameters, stages, samples."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ...pipeline import NOTEBOOKS_DIR, Params, Pipeline, Stage
from . import stages

HERE = Path(__file__).resolve().parent
NB = NOTEBOOKS_DIR / "migration"
ROLES = ("viewer", "analyst", "operator", "maintainer", "admin")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SampleCaps(_Strict):
    """Caps of the Sample Pack (§28 ``sample_caps``)."""

    rows_max: int = Field(2000, ge=10, le=1_000_000)
    bytes_max: int = Field(4_000_000, ge=10_000, le=1 << 31)


class PiiPolicy(_Strict):
    """PII policy of the run (§28 ``pii_policy``)."""

    mask_before_send: bool = True
    local_only_override: bool = False


class Actor(_Strict):
    """Who runs it (§28 ``rbac_actor``): a user id and one of the RBAC roles of §32."""

    user_id: str = ""    # empty: the OS user running it (resolved by ``actor_of``)
    role: Literal["viewer", "analyst", "operator", "maintainer", "admin"] = "analyst"


def _default_budgets() -> dict:
    return {"domains": {"tokens": 150_000, "usd": 1.0, "wall_time_s": 900},
            "mapping": {"tokens": 250_000, "usd": 2.0, "wall_time_s": 900}}


class MigrationParams(Params):
    """Parameters of a ``migration`` run: the normative keys of the run contract (§28)."""

    mode: Literal["metadata_only", "data_mode"] = Field(
        "data_mode", description="metadata_only: schema, counts and rates only; data_mode: a "
                                 "masked, capped Sample Pack too (fixed for the run)")
    target: str = Field("", description="target schema YAML (default: a target.yml among the "
                                        "inputs, else the tables of target_url)")
    target_url: str = Field("", description="the database migrated into (duckdb:///PATH, "
                                            "sqlite:///PATH, postgresql://...; default: "
                                            "data/migration/target.duckdb)")
    source_url: str = Field("", description="a SQL source read-only through SQLAlchemy "
                                            "(sqlite:///PATH, postgresql://...)")
    source_tables: list[str] = Field(default_factory=list,
                                     description="tables of source_url to read (default: all)")
    threshold_profile: str = Field("tp_default_v1", description="threshold profile: "
                                   "tp_default_v1 or the path of a profile YAML")
    policy: str = Field("", description="policy manifest YAML (default: the shipped one)")
    dsl_version: str = Field("1.0.0", description="Transform DSL version of the plan")
    sample_caps: SampleCaps = Field(default_factory=SampleCaps,
                                    description="Sample Pack caps {rows_max, bytes_max}")
    pii_policy: PiiPolicy = Field(default_factory=PiiPolicy,
                                  description="{mask_before_send, local_only_override}")
    budget_caps: dict = Field(default_factory=_default_budgets,
                              description="per stage {tokens, usd, wall_time_s}")
    routing_profile: Literal["quality_first", "cost_first", "latency_first",
                             "offline_first"] = Field("quality_first",
                                                      description="model routing profile")
    provider_allowlist: list[str] = Field(default_factory=list,
                                          description="model ids or providers allowed")
    provider_denylist: list[str] = Field(default_factory=list,
                                         description="model ids or providers denied")
    human_confirm_required: bool = Field(False, description="mappings need a recorded human "
                                                            "decision before they count as accepted")
    actor: Actor = Field(default_factory=Actor, description="{user_id, role} running it")
    lane_hint: Literal["", "interactive", "flex", "batch"] = Field("", description="lane hint")
    audit_tags: list[str] = Field(default_factory=list, description="free labels")
    decisions: str = Field("", description="decisions file of the studios (default: "
                                           "data/migration/decisions.json in the workspace)")
    embedding_model: str = Field("", description="an llm embedding model id whose name "
                                 "similarity joins the offline n-grams (empty: offline only)")
    llm_borderline: int = Field(40, ge=0, le=10_000, description="borderline columns sent to "
                                "the model at most (masked sketches; 0 = none)")
    batch_size: int = Field(0, ge=0, le=10_000_000, description="rows per migration chunk (0: "
                            "the threshold profile's migration.batch_size)")
    strategy: Literal["auto", "elt", "etl"] = Field(
        "auto", description="auto: ELT (SQL in the target) into DuckDB, ETL (Polars) elsewhere")
    quarantine_rate_max: float | None = Field(
        None, ge=0.0, le=1.0, description="largest quarantined share of a table that still "
                                          "promotes (empty: the profile's, else 1.0)")
    progress_every: float = Field(2.0, gt=0, description="seconds between progress lines")
    key_index: Literal["auto", "on", "off"] = Field(
        "auto", description="a created table's key as PRIMARY KEY: auto = in PostgreSQL and "
                            "SQLite, not in DuckDB (its index is built in memory; the "
                            "unique-key check keeps the key unique)")

    @field_validator("dsl_version")
    @classmethod
    def _known_dsl(cls, v: str) -> str:
        from ...transform import DSL_VERSION

        if v != DSL_VERSION:
            raise ValueError(f"this workbench speaks Transform DSL {DSL_VERSION}, not {v}")
        return v

    @field_validator("actor", mode="before")
    @classmethod
    def _actor_text(cls, v):
        if isinstance(v, str):  # --param actor=ana:operator
            user, _, role = v.partition(":")
            return {"user_id": user, "role": role or "analyst"}
        return v


def samples(out_dir: Path, seed: int = 1, customers: int = 400) -> list[Path]:
    """Write the messy legacy CRM (CSV + SQLite) and its target schema; return the inputs."""
    from .samples import write_samples

    return write_samples(Path(out_dir), seed=seed, customers=customers)


def param_files(params: dict, settings) -> list[Path]:
    """Return the files named by parameters whose content belongs in the run contract."""
    from .decisions import decisions_path

    files = [Path(params[k]).expanduser() for k in ("target", "policy") if params.get(k)]
    profile = params.get("threshold_profile", "")
    if profile.endswith((".yml", ".yaml")):
        files.append(Path(profile).expanduser())
    files.append(decisions_path(settings, params))
    return [f for f in files if f.is_file()]


PIPELINE = Pipeline(
    name="migration",
    version="1.0.0",
    description="legacy source → catalog, domains, a Transform DSL mapping plan, its analysis "
                "and a checkpointed migration with quarantine and atomic promotion",
    stages=(
        Stage("ingest", NB / "01_ingest.ipynb", stages.ingest),
        Stage("domains", NB / "02_domains.ipynb", stages.domains),
        Stage("mapping", NB / "03_mapping.ipynb", stages.mapping),
        Stage("analysis", NB / "04_analysis.ipynb", stages.analysis),
        Stage("migrate", NB / "05_migrate.ipynb", stages.migrate),
    ),
    params=MigrationParams,
    samples=samples,
    migrations=HERE / "sql",
    artifacts=("catalog.json", "domains.json", "mapping_plan.json", "analysis.json",
               "run_contract.json", "migration_run.json"),
    param_files=param_files,
)
