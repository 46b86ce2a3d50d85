"""Value generators of the ``money.*`` domains: amounts, prices and balances in plain, US, EU,
symbol and debit/credit spellings, amounts in cents, currency codes and tax rates."""
from __future__ import annotations

import random

from ._golden_gen import Gen, _lognum, registrar
from ._golden_vocab import vocab

_V = vocab()
CURRENCY, _SYMBOL, _CURRENCIES, _VAT = (_V["currency"], _V["currency_symbols"], _V["currencies"],
                                        _V["vat_rates"])
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


def _money_text(x: float, style: str, ccy: str) -> str:
    sign, x = ("-" if x < 0 else ""), abs(x)
    us = f"{x:,.2f}"
    eu = us.replace(",", "_").replace(".", ",").replace("_", ".")
    if style == "plain":
        return f"{sign}{x:.2f}"
    if style == "us":
        return sign + us
    if style == "eu":
        return sign + eu
    if style == "symbol":
        sym = _SYMBOL.get(ccy, "")
        return f"{sign}{eu} {sym}".strip() if ccy == "EUR" else f"{sign}{sym}{us}"
    if style == "code":
        return f"{sign}{x:.2f} {ccy}"
    if style == "crdr":
        return f"{x:.2f} {'DR' if sign else 'CR'}"
    if style == "short":
        return f"{sign}{x:.2f}".rstrip("0").rstrip(".") if x % 1 else f"{sign}{int(x)}"
    return f"{sign}{x:.2f}"


def _money_style(rng: random.Random, ctx: dict) -> str:
    if ctx.get("fmt"):
        return ctx["fmt"]
    eu_country = ctx["country"] not in ("US", "GB")
    return rng.choice(["plain", "plain", "short", "symbol", "code",
                       "eu" if eu_country else "us", "eu" if eu_country else "plain"])


def _amounts(rng, n, ctx, lo, hi, negative=0.0):
    style = _money_style(rng, ctx)
    ccy = ctx.get("currency") or CURRENCY[ctx["country"]]
    lo, hi = ctx.get("range", (lo, hi))
    return [_money_text(_lognum(rng, lo, hi) * (-1 if rng.random() < negative else 1), style,
                        ccy) for _ in range(n)]


@_gen("money.amount")
def _money_amounts(rng, n, ctx):
    return _amounts(rng, n, ctx, 5, 8000, negative=0.03)


@_gen("money.price")
def _prices(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["plain", "plain", "charm", "symbol", "eu"])
    if style != "charm":
        return _amounts(rng, n, {**ctx, "fmt": style}, 0.5, 400)
    lo, hi = ctx.get("range", (1, 400))
    return [f"{int(_lognum(rng, lo, hi))}.{rng.choice(['99', '95', '49', '00', '90'])}"
            for _ in range(n)]


@_gen("money.balance")
def _balances(rng, n, ctx):
    if not ctx.get("fmt") and rng.random() < 0.15:
        ctx = {**ctx, "fmt": "crdr"}
    return _amounts(rng, n, ctx, 1, 60000, negative=0.25)


@_gen("money.amount_minor")
def _minor_amounts(rng, n, ctx):
    lo, hi = ctx.get("range", (50, 500000))
    return [str(int(_lognum(rng, lo, hi)) * (-1 if rng.random() < 0.02 else 1))
            for _ in range(n)]


@_gen("money.currency_code")
def _currency_codes(rng, n, ctx):
    home = ctx.get("currency") or CURRENCY[ctx["country"]]
    lower = rng.random() < 0.1
    out = [home if rng.random() < 0.7 else rng.choice(_CURRENCIES) for _ in range(n)]
    return [c.lower() for c in out] if lower else out


@_gen("money.tax_rate")
def _tax_rates(rng, n, ctx):
    style = ctx.get("fmt") or rng.choice(["pct", "num", "frac", "dec", "pct_space"])
    rates = _VAT[ctx["country"]]
    out = []
    for _ in range(n):
        r = rng.choice(rates)
        text = f"{r:g}"
        out.append({"pct": f"{text}%", "pct_space": f"{text} %", "num": text,
                    "frac": f"{r / 100:.4g}" if r else "0", "dec": f"{r:.2f}"}[style])
    return out
