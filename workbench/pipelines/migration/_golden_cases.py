"""The schema-matching cases of the golden set: legacy source tables generated like the golden
columns (or drawn from a parent column for foreign keys), a target schema and the true mapping.

>>> name, source, schema, truth = case_rows(7)[0]
>>> name, list(source)[:2], truth[("KNDSTM", "VNAME")]
('crm', ['KNDSTM', 'KNDADR'], ('customer', 'given_name'))
"""
from __future__ import annotations

import random

from ._golden_cases_people import CLINICAL, CRM, HR
from ._golden_cases_trade import ECOMMERCE, FINANCE, LOGISTICS
from ._golden_tables import Row
from ._golden_values import generate, mess, parse_entry
from ._golden_vocab import vocab

COUNTRY_LANG = vocab()["country_lang"]
CASES = [CRM, ECOMMERCE, HR, CLINICAL, FINANCE, LOGISTICS]

CaseRows = tuple[str, dict[str, list[Row]], dict, dict[tuple[str, str], tuple[str, str]]]
"""A matching case as (name, source tables of rows, target schema, true pairs)."""


def _build_case(seed: int, name: str, country: str, source: dict, tables: list) -> CaseRows:
    made: dict[tuple[str, str], tuple[str | None, ...]] = {}
    out: dict[str, list[Row]] = {}
    truth: dict[tuple[str, str], tuple[str, str]] = {}
    for table, columns in source.items():
        n = random.Random(f"match|{seed}|{name}|{table}").randint(40, 120)
        for header, what, opts, target in columns:
            rng = random.Random(f"match|{seed}|{name}|{table}|{header}")
            domain, kind, _ = parse_entry(what)
            ctx = {"country": country, "lang": COUNTRY_LANG[country], **opts}
            if "ref" in opts:
                parent = [v.strip() for v in made[tuple(opts["ref"].split("."))] if v]
                values: tuple[str | None, ...] = tuple(rng.choice(parent) for _ in range(n))
            else:
                values = mess(rng, generate(rng, domain, kind, n, ctx), domain)
            made[(table, header)] = values
            out.setdefault(table, []).append((table, header, values, domain, ""))
            if target:
                truth[(table, header)] = tuple(target.split(".", 1))
    schema = {"tables": [{"name": t, "description": d, "columns": [dict(c) for c in cols]}
                         for t, d, cols in tables]}
    return name, out, schema, truth


def case_rows(seed: int) -> list[CaseRows]:
    """Return the cases in order: CRM, e-commerce, HR, clinical, finance, logistics."""
    return [_build_case(seed, *case) for case in CASES]
