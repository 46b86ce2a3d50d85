"""The ``ai_usage`` pipeline: which AI services our people use, how much data, at what risk."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from ...pipeline import NOTEBOOKS_DIR, Params, Pipeline, Stage

HERE = Path(__file__).resolve().parent
NB = NOTEBOOKS_DIR / "ai_usage"


class AiUsageParams(Params):
    """Parameters of ai_usage (all JSON types, all with defaults)."""

    vendor: str = Field("auto", description="auto (detect per file), squid, zscaler, bluecoat, "
                                            "netskope or paloalto")
    timezone: str = Field("", description="IANA zone of naive log times (empty: the mapping's)")
    pii_mode: str = Field("pseudonymize", description="masking of paths/queries: pseudonymize "
                                                      "or redact")
    a_top_n: int = Field(25, ge=0, description="A: top-N signatures by bytes out and by events")
    burst_factor: float = Field(10.0, gt=1, description="B: window bytes over the user-host median")
    burst_min_bytes: int = Field(1_000_000, ge=0, description="B: minimum bytes out in a window")
    window_minutes: int = Field(60, ge=1, le=1440, description="B: burst window length")
    cumulative_bytes: int = Field(50_000_000, ge=1, description="B: user-host total over period")
    sample_rate: float = Field(0.1, ge=0, le=1, description="C: long-tail sampling rate")
    cache_ttl_days: float = Field(30, gt=0, description="how long a model's answer stays active")
    llm_budget_usd: float | None = Field(5.0, ge=0, description="USD cap for the classify stage")
    llm_budget_tokens: int | None = Field(None, ge=0, description="token cap for classify")
    keep_staging: bool = Field(False, description="keep staging datasets with source values")

    @field_validator("pii_mode")
    @classmethod
    def _mode(cls, v: str) -> str:
        if v not in ("pseudonymize", "redact"):
            raise ValueError("must be 'pseudonymize' or 'redact'")
        return v

    @field_validator("vendor")
    @classmethod
    def _vendor(cls, v: str) -> str:
        from ...ingest.vendor_mapping import available_vendors

        if v != "auto" and v not in available_vendors():
            raise ValueError(f"must be auto or one of {', '.join(available_vendors())}")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        if v:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {v!r} (use an IANA name)") from None
        return v


def _stage(name: str):
    def run(ctx):
        import importlib

        module = {"ingest": "ingest", "normalize": "signatures", "pii": "privacy",
                  "select": "selection", "cache": "lookup", "classify": "classify",
                  "report": "reporting"}[name]
        return importlib.import_module(f"{__package__}.{module}").run(ctx)
    run.__name__ = f"run_{name}"
    run.__doc__ = f"Run the {name} stage of ai_usage (imports its module on first use)."
    return run


def samples(out_dir: Path, lines: int = 3000, seed: int = 1) -> list[Path]:
    """Write sample logs of all five vendors (PII in URLs, some malformed lines); return paths."""
    from .samples import write_samples

    return write_samples(Path(out_dir), lines=lines, seed=seed)


STAGE_NAMES = ("ingest", "normalize", "pii", "select", "cache", "classify", "report")
PIPELINE = Pipeline(
    name="ai_usage",
    version="1.2.0",  # 1.2: the parser writes each event's URL shape key; no URL -> shape map
    description="Proxy/SWG logs -> AI services used, data volumes and risk, with an audit trail",
    stages=tuple(Stage(n, NB / f"{i:02d}_{n}.ipynb", _stage(n))
                 for i, n in enumerate(STAGE_NAMES, start=1)),
    params=AiUsageParams,
    samples=samples,
    migrations=HERE / "sql",
    artifacts=("ai_usage.xlsx", "dashboard.json", "events_sanitized.csv"),
)
