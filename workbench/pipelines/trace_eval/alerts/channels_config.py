"""Channel settings (webhook, Slack, SMTP, retries): ``[workbench.alerts]`` and WORKBENCH_ALERT_*.

Precedence: environment > ``workbench.toml`` (``[workbench.alerts.webhook]`` …) > default. A
channel without its required keys is simply not configured: its alerts are recorded as
``not_sent (no channel configured)``.

>>> channels_from_settings(env={}, file_cfg={}).configured()
[]
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ....errors import BadInput

ENV = {  # env var → (channel, key)
    "WORKBENCH_ALERT_WEBHOOK_URL": ("webhook", "url"),
    "WORKBENCH_ALERT_WEBHOOK_SECRET": ("webhook", "secret"),
    "WORKBENCH_ALERT_SLACK_WEBHOOK_URL": ("slack", "url"),
    "WORKBENCH_ALERT_SMTP_HOST": ("email", "host"),
    "WORKBENCH_ALERT_SMTP_PORT": ("email", "port"),
    "WORKBENCH_ALERT_SMTP_FROM": ("email", "from"),
    "WORKBENCH_ALERT_SMTP_TO": ("email", "to"),
    "WORKBENCH_ALERT_SMTP_STARTTLS": ("email", "starttls"),
    "WORKBENCH_ALERT_SMTP_USER": ("email", "user"),
    "WORKBENCH_ALERT_SMTP_PASSWORD": ("email", "password"),
    "WORKBENCH_ALERT_MAX_ATTEMPTS": ("retry", "max_attempts"),
}
REQUIRED = {"webhook": ("url",), "slack": ("url",), "email": ("host", "from", "to")}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _http_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL")
    return url


class WebhookConfig(_Strict):
    """A JSON webhook, every body signed with HMAC-SHA256 under ``secret``."""

    url: str
    secret: SecretStr = Field(min_length=16)
    timeout_s: float = Field(default=10.0, gt=0)

    _url = field_validator("url")(_http_url)


class SlackConfig(_Strict):
    """A Slack incoming webhook."""

    url: str
    timeout_s: float = Field(default=10.0, gt=0)

    _url = field_validator("url")(_http_url)


class EmailConfig(_Strict):
    """An SMTP relay and the envelope of alert mails."""

    host: str
    port: int = Field(default=587, gt=0, lt=65536)
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    starttls: bool = True
    user: str | None = None
    password: SecretStr | None = None
    timeout_s: float = Field(default=10.0, gt=0)

    @field_validator("to", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) \
            else value


class RetryConfig(_Strict):
    """Bounded retries with exponential backoff and full jitter."""

    max_attempts: int = Field(default=4, ge=1, le=10)
    base_s: float = Field(default=0.5, ge=0)
    max_s: float = Field(default=30.0, ge=0)
    max_retry_after_s: float = Field(default=300.0, ge=0)


class ChannelsConfig(_Strict):
    """The configured channels (None = not configured) and the retry policy."""

    webhook: WebhookConfig | None = None
    slack: SlackConfig | None = None
    email: EmailConfig | None = None
    retry: RetryConfig = Field(default_factory=RetryConfig)

    def configured(self) -> list[str]:
        """Return the names of the channels that can send."""
        return [c for c in ("webhook", "slack", "email") if getattr(self, c) is not None]


def _env_name(channel: str, key: str) -> str:
    return next((e for e, ck in ENV.items() if ck == (channel, key)), f"alerts.{channel}.{key}")


def channels_from_settings(settings: Any = None, *, env: Mapping[str, str] | None = None,
                           file_cfg: Mapping[str, Any] | None = None) -> ChannelsConfig:
    """Return the ChannelsConfig from WORKBENCH_ALERT_* variables over ``[workbench.alerts]``."""
    env = os.environ if env is None else env
    if file_cfg is None:
        if settings is None:
            from ....config import load

            settings = load()
        file_cfg = dict(getattr(settings, "extra", {}) or {}).get("alerts", {})
    raw: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (file_cfg or {}).items()
                                      if isinstance(v, Mapping)}
    for var, (channel, key) in ENV.items():
        if env.get(var) not in (None, ""):
            value: Any = env[var]
            if key == "starttls":
                value = value.strip().lower() in ("1", "true", "yes", "on")
            raw.setdefault(channel, {})[key] = value
    data: dict[str, Any] = {}
    for channel, values in raw.items():
        need = REQUIRED.get(channel, ())
        if need and not all(values.get(k) not in (None, "", []) for k in need):
            if channel == "webhook" and values.get("url") and not values.get("secret"):
                raise BadInput("alert webhook is configured without a secret: set "
                               "WORKBENCH_ALERT_WEBHOOK_SECRET (at least 16 characters)")
            continue                       # partially configured → treated as not configured
        data[channel] = values
    try:
        return ChannelsConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = [str(p) for p in first["loc"]]
        where = _env_name(loc[0], loc[1]) if len(loc) > 1 else ".".join(loc)
        raise BadInput(f"alert channel setting {where} ({'.'.join(loc)}): {first['msg']}",
                       detail={"field": ".".join(loc)}) from None
