"""Value generators of the ``org.*`` and ``product.*`` domains: companies, departments, job
titles, industries, product names, categories, descriptions, brands, quantities, weights,
dimensions and colours."""
from __future__ import annotations

from ._golden_gen import Gen, _letters, _lognum, _pool, registrar
from ._golden_vocab import vocab

_V = vocab()
COMPANY_STEMS, COMPANY_FORMS, COMPANY_TRADES = (_V["company_stems"], _V["company_forms"],
                                                _V["company_trades"])
LAST, DEPARTMENTS, JOB_TITLES, INDUSTRIES = (_V["last_names"], _V["departments"], _V["job_titles"],
                                             _V["industries"])
PRODUCT_NOUNS, PRODUCT_ADJ, CATEGORIES = (_V["product_nouns"], _V["product_adjectives"],
                                          _V["categories"])
_DESC, BRANDS, COLORS = _V["descriptions"], _V["brands"], _V["colors"]
GEN: dict[str, Gen] = {}
_gen = registrar(GEN)


@_gen("org.company_name")
def _companies(rng, n, ctx):
    lang = ctx["lang"]
    out = []
    for _ in range(n):
        stem = rng.choice(COMPANY_STEMS)
        r = rng.random()
        if r < 0.4:
            name = f"{stem} {rng.choice(COMPANY_FORMS[lang])}"
        elif r < 0.75:
            name = f"{stem} {rng.choice(COMPANY_TRADES[lang])} {rng.choice(COMPANY_FORMS[lang])}"
        elif r < 0.9:
            name = f"{rng.choice(_pool(LAST, ctx))} & {rng.choice(_pool(LAST, ctx))}"
        else:
            name = f"{stem} {rng.choice(COMPANY_TRADES[lang])}"
        out.append(name)
    return out


@_gen("org.department")
def _departments(rng, n, ctx):
    return [rng.choice(_pool(DEPARTMENTS, ctx)) for _ in range(n)]


@_gen("org.job_title")
def _job_titles(rng, n, ctx):
    return [rng.choice(_pool(JOB_TITLES, ctx)) for _ in range(n)]


@_gen("org.industry")
def _industries(rng, n, ctx):
    return [rng.choice(_pool(INDUSTRIES, ctx)) for _ in range(n)]


@_gen("product.name")
def _product_names(rng, n, ctx):
    out = []
    for _ in range(n):
        noun = rng.choice(_pool(PRODUCT_NOUNS, ctx))
        r = rng.random()
        if r < 0.4:
            out.append(f"{rng.choice(PRODUCT_ADJ)} {noun}")
        elif r < 0.7:
            out.append(f"{noun} {rng.choice(PRODUCT_ADJ)} {rng.randint(1, 9)}")
        else:
            out.append(f"{noun} {rng.choice(['330ml', '1L', '2m', '9W', 'A5', '20L', 'XL'])}")
    return out


@_gen("product.category")
def _categories(rng, n, ctx):
    return [rng.choice(_pool(CATEGORIES, ctx)) for _ in range(n)]


@_gen("product.description")
def _descriptions(rng, n, ctx):
    return [rng.choice(_pool(_DESC, ctx)).format(
        a=rng.choice(PRODUCT_ADJ), n=rng.choice(_pool(PRODUCT_NOUNS, ctx)),
        c=rng.choice(_pool(COLORS, ctx))) for _ in range(n)]


@_gen("product.brand")
def _brands(rng, n, ctx):
    return [rng.choice(BRANDS) for _ in range(n)]


@_gen("product.quantity")
def _quantities(rng, n, ctx):
    lo, hi = ctx.get("range", (1, 250))
    suffix = rng.random() < 0.1
    return [str(int(_lognum(rng, lo, hi))) + (" pcs" if suffix else "") for _ in range(n)]


_WEIGHT_RANGE = {"kg": (0.05, 40), "g": (20, 5000), "lb": (0.1, 90), "oz": (1, 64)}


@_gen("product.weight")
def _weights(rng, n, ctx):
    unit = ctx.get("unit") or rng.choice(["kg", "kg", "g", "lb"])
    suffix = ctx.get("suffix", rng.random() < 0.3)
    lo, hi = ctx.get("range", _WEIGHT_RANGE[unit])
    comma = ctx["country"] not in ("US", "GB") and rng.random() < 0.3
    out = []
    for _ in range(n):
        x = _lognum(rng, lo, hi)
        text = str(int(x)) if unit == "g" else f"{x:.{rng.choice([1, 2, 3])}f}"
        text = text.replace(".", ",") if comma else text
        out.append(f"{text} {unit}" if suffix else text)
    return out


@_gen("product.dimension")
def _dimensions(rng, n, ctx):
    unit = ctx.get("unit") or rng.choice(["cm", "cm", "mm", "in"])
    triple = ctx.get("fmt") == "lwh" or (not ctx.get("fmt") and rng.random() < 0.3)
    suffix = ctx.get("suffix", rng.random() < 0.4)
    lo, hi = ctx.get("range", {"cm": (2, 200), "mm": (20, 2000), "in": (1, 80), "m": (0.2, 5)}[
        unit])
    out = []
    for _ in range(n):
        xs = [_lognum(rng, lo, hi) for _ in range(3 if triple else 1)]
        text = " x ".join(f"{x:.1f}".rstrip("0").rstrip(".") for x in xs)
        out.append(f"{text} {unit}" if suffix else text)
    return out


@_gen("product.color")
def _colors(rng, n, ctx):
    hexes = rng.random() < 0.15
    return [("#" + _letters(rng, 6, "0123456789ABCDEF")) if hexes and rng.random() < 0.8
            else rng.choice(_pool(COLORS, ctx)) for _ in range(n)]
