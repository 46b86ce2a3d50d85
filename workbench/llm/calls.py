"""One logical model call: budget reservation, deadline, retries by the taxonomy, usage and cost.

Shared by task answers (``gateway``) and tool-calling chats (``chat``) so both obey the same
budget, retry and ledger rules. Each attempt is one ``llm_call`` ledger event.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from . import providers
from .budget import Budget, cost


@dataclass
class Spend:
    """What the calls of one answer used so far."""

    attempts: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    usd: float | None = None
    latency_ms: float = 0.0
    code: str | None = None
    message: str | None = None


@dataclass
class Reply:
    """A successful call: the `llm` response, its text and what it cost."""

    response: Any
    text: str
    tokens_in: int
    tokens_out: int
    usd: float | None
    latency_ms: float
    usage_estimated: bool


def delay_for(settings: Settings, n: int, retry_after: float | None) -> float:
    """Return seconds to wait before retry ``n``: Retry-After when given, else exponential backoff."""
    cap = float(settings.extra.get("llm_max_retry_after_s", 60.0))
    if retry_after is not None:
        return min(retry_after, cap)
    base = float(settings.extra.get("llm_backoff_s", 1.0))
    return min(base * 2 ** (n - 1), cap)


def _reserve(budgets: list[Budget], tokens: int, usd: float | None):
    held = []
    for bud in budgets:
        r = bud.reserve(tokens, usd)
        if r is None:
            for other, res in held:
                other.settle(res, 0, 0.0)
            return None, bud
        held.append((bud, r))
    return held, None


def call(make: Callable[[], Any], *, model, model_id: str, settings: Settings,
         budgets: list[Budget], sent_chars: int, expected_out: int, spend: Spend,
         ledger: Callable[..., None], on_chunk: Callable[[str], None] | None = None
         ) -> Reply | None:
    """Return the Reply of a call retried on transient failures; None with ``spend.code`` set."""
    provider = providers.provider_name(model)
    retries = 0
    while True:
        est_in = providers.estimate_tokens(sent_chars)
        held, refused = _reserve(budgets, est_in + expected_out,
                                 cost(model_id, est_in, expected_out, settings))
        if held is None:
            spend.code = "BUDGET_EXCEEDED"
            spend.message = (f"estimated {est_in + expected_out} tokens would exceed the budget "
                             f"(max_tokens={refused.max_tokens}, max_usd={refused.max_usd}; spent "
                             f"{refused.spent_tokens} tokens, ${refused.spent_usd:.6f})")
            return None
        spend.attempts += 1
        t0 = time.perf_counter()
        try:
            response, text = providers.execute(make, model, settings.llm_timeout_s, on_chunk)
        except Exception as exc:  # noqa: BLE001 - every provider failure is named by the taxonomy
            latency = (time.perf_counter() - t0) * 1000
            spend.latency_ms += latency
            for bud, r in held:
                bud.settle(r, 0, 0.0)
            code, retry_after, retryable = providers.classify(exc)
            again = retryable and retries < settings.llm_max_retries
            ledger("llm_call", decision="retry" if again else "reject", status="error",
                   model=model_id, provider=provider, attempts=spend.attempts,
                   latency_ms=round(latency, 3), error_code=code,
                   detail={"retry_after": retry_after, "error": str(exc)[:300]})
            if again:
                retries += 1
                time.sleep(delay_for(settings, retries, retry_after))
                continue
            spend.code, spend.message = code, f"{type(exc).__name__}: {exc}"[:500]
            return None
        latency = (time.perf_counter() - t0) * 1000
        tin, tout, estimated = providers.usage_of(response, sent_chars, text)
        usd = cost(model_id, tin, tout, settings)
        for bud, r in held:
            bud.settle(r, tin + tout, usd)
        spend.tokens_in += tin
        spend.tokens_out += tout
        spend.usd = None if usd is None else (spend.usd or 0.0) + usd
        spend.latency_ms += latency
        return Reply(response, text, tin, tout, usd, latency, estimated)
