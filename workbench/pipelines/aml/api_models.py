"""Request and response models of the scoring API (the batch shapes of the Parquet tables)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .batch import CURRENCIES_USD

Currency = Literal[tuple(CURRENCIES_USD)]  # type: ignore[valid-type]
Id = Field(min_length=1, max_length=128)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AlertIn(_In):
    """One alert raised by a monitoring rule."""

    alert_id: str = Id
    account_id: str = Id
    created_at: datetime
    rule: str = Field(min_length=1, max_length=64)
    amount: float = Field(ge=0, allow_inf_nan=False)
    currency: Currency
    severity: Literal["low", "medium", "high"] | None = None


class MoneyFlowIn(_In):
    """One transfer between two accounts."""

    from_account: str = Id
    to_account: str = Id
    ts: datetime
    amount: float = Field(ge=0, allow_inf_nan=False)
    currency: Currency


class ClusterIn(_In):
    """Membership of an alert (and its account) in a cluster."""

    cluster_id: str = Id
    alert_id: str = Id
    account_id: str | None = Field(None, max_length=128)


class AccountFeaturesIn(_In):
    """Precomputed features of one account."""

    account_id: str = Id
    segment: Literal["retail", "business", "merchant"] | None = None
    account_age_days: float | None = Field(None, ge=0, allow_inf_nan=False)
    kyc_risk: Literal["low", "medium", "high"] | None = None
    country_risk: float | None = Field(None, ge=0, le=1)


class BatchIn(_In):
    """An alert batch: alerts plus the money flows, clusters and account features around them."""

    alerts: list[AlertIn] = Field(min_length=1)
    money_flows: list[MoneyFlowIn] = Field(default_factory=list)
    clusters: list[ClusterIn] = Field(default_factory=list)
    features: list[AccountFeaturesIn] | None = None


class AlertScore(BaseModel):
    """Score, rank and (for the top k) reasons of one alert."""

    alert_id: str
    score: float
    rank: int
    cluster_id: str
    reasons: list[str] | None = None


class ScoreResponse(BaseModel):
    """Scores of every alert, highest first."""

    model_version: str
    model_sha256: str
    alerts: list[AlertScore]


class RankedAlert(BaseModel):
    """Position of one alert in the ranker's order."""

    alert_id: str
    rank: int
    rank_score: float
    score: float


class RankResponse(BaseModel):
    """Alerts in the order the lambdarank model puts them."""

    model_version: str
    model_sha256: str
    alerts: list[RankedAlert]


class ClusterScore(BaseModel):
    """Score and rank of one cluster."""

    cluster_id: str
    score: float
    rank: int
    alerts: int


class ClusterScoreResponse(BaseModel):
    """Scores of every cluster, highest first."""

    model_version: str
    model_sha256: str
    clusters: list[ClusterScore]


class HealthResponse(BaseModel):
    """Liveness and readiness."""

    status: Literal["ok"]
    models_loaded: bool
