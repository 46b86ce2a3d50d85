"""Budgets (tokens and USD per run or per stage) and model prices.

A budget is checked before each call against an estimate (prompt chars/4 plus the task's expected
output) and charged after it with the usage the model reported. Calls running at the same time
reserve their estimate first, so concurrency cannot overshoot a budget. With a ``run_id``, what the
run (or stage) already spent is read once from the ledger, so a budget holds across stages and
re-runs.
"""
from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..config import Settings


@lru_cache(maxsize=8)
def _read_prices(extra_path: str | None) -> dict[str, dict | None]:
    import yaml

    prices = yaml.safe_load((resources.files("workbench.llm") / "prices.yml").read_text()) or {}
    if extra_path:
        prices.update(yaml.safe_load(Path(extra_path).read_text()) or {})
    return prices


def prices_path(settings: Settings) -> str | None:
    """Return the workspace's extra price file (``llm_prices`` in workbench.toml), if any."""
    raw = settings.extra.get("llm_prices")
    if not raw:
        return None
    p = Path(raw).expanduser()
    return str(p if p.is_absolute() else settings.workspace / p)


def price(model_id: str, settings: Settings) -> tuple[float, float] | None:
    """Return (USD per 1M input tokens, per 1M output tokens), or None when unknown.

    >>> from workbench.config import Settings
    >>> price("gpt-4o-mini", Settings(workspace="."))
    (0.15, 0.6)
    >>> price("some-local-model", Settings(workspace=".")) is None
    True
    """
    prices = _read_prices(prices_path(settings))
    entry = prices.get(model_id, ...)
    if entry is ...:
        entry = next((v for k, v in prices.items() if fnmatch.fnmatchcase(model_id, k)), None)
    if not entry or entry.get("in") is None or entry.get("out") is None:
        return None
    return float(entry["in"]), float(entry["out"])


def cost(model_id: str, tokens_in: int, tokens_out: int, settings: Settings) -> float | None:
    """Return the USD cost of a call, or None when the model's price is unknown."""
    p = price(model_id, settings)
    if p is None:
        return None
    return round((tokens_in * p[0] + tokens_out * p[1]) / 1_000_000, 10)


@dataclass
class Budget:
    """Limits on tokens (in + out) and USD; ``scope`` says what earlier ledger spend counts.

    ``scope="stage"`` counts the spend of the same run and stage, ``scope="run"`` the whole run's.
    A call whose price is unknown counts towards ``max_tokens`` only.

    >>> b = Budget(max_tokens=100)
    >>> b.reserve(60, None) is not None, b.reserve(60, None)
    (True, None)
    """

    max_tokens: int | None = None
    max_usd: float | None = None
    scope: str = "stage"
    spent_tokens: int = 0
    spent_usd: float = 0.0
    _reserved_tokens: int = field(default=0, repr=False)
    _reserved_usd: float = field(default=0.0, repr=False)
    _loaded_for: tuple | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def load(self, settings: Settings, run_id: str | None, stage: str | None, con=None) -> None:
        """Add what the ledger says this run/stage already spent (once per run and stage)."""
        if not run_id or self._loaded_for == (run_id, stage):
            return
        sql = ("SELECT coalesce(sum(coalesce(tokens_in, 0) + coalesce(tokens_out, 0)), 0), "
               "coalesce(sum(usd), 0) FROM ledger WHERE event = 'llm_call' AND run_id = ?")
        args: list = [run_id]
        if self.scope == "stage":
            sql += " AND stage IS NOT DISTINCT FROM ?"
            args.append(stage)
        if con is None:
            from .. import store

            with store.connect(settings) as c:
                tokens, usd = c.execute(sql, args).fetchone()
        else:
            tokens, usd = con.execute(sql, args).fetchone()
        with self._lock:
            self.spent_tokens += int(tokens)
            self.spent_usd += float(usd)
            self._loaded_for = (run_id, stage)

    def reserve(self, tokens: int, usd: float | None) -> tuple[int, float] | None:
        """Hold ``tokens``/``usd`` for a call; return the reservation, or None if over budget."""
        usd = usd or 0.0
        with self._lock:
            if self.max_tokens is not None and (
                    self.spent_tokens + self._reserved_tokens + tokens > self.max_tokens):
                return None
            if self.max_usd is not None and (
                    self.spent_usd + self._reserved_usd + usd > self.max_usd + 1e-12):
                return None
            self._reserved_tokens += tokens
            self._reserved_usd += usd
            return tokens, usd

    def settle(self, reservation: tuple[int, float], tokens: int, usd: float | None) -> None:
        """Replace a reservation by what the call really used (tokens 0 when it failed)."""
        with self._lock:
            self._reserved_tokens -= reservation[0]
            self._reserved_usd -= reservation[1]
            self.spent_tokens += tokens
            self.spent_usd += usd or 0.0

    def remaining(self) -> dict:
        """Return the tokens and USD left (None where there is no limit)."""
        with self._lock:
            return {
                "tokens": None if self.max_tokens is None else self.max_tokens - self.spent_tokens,
                "usd": None if self.max_usd is None else self.max_usd - self.spent_usd,
            }


def as_list(budget) -> list[Budget]:
    """Return the budgets given as None, one Budget or several (e.g. run and stage)."""
    if budget is None:
        return []
    if isinstance(budget, Budget):
        return [budget]
    return list(budget)
