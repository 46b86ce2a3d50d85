"""The golden set's value generators by domain id, and the mess put on their values.

The generators live in the ``_golden_values_<group>`` modules (dates, people, places, money,
ids, business, general); the ones for columns of no domain in ``_golden_values_unknown``.

>>> import random
>>> ctx = {"country": "DE", "lang": "de"}
>>> len(generate(random.Random(1), "person.first_name", "", 3, ctx)), len(GEN) >= 80
(3, True)
>>> parse_entry("?crc"), parse_entry("general.flag=email_sent")
(('unknown', 'crc', ''), ('general.flag', '', 'email_sent'))
"""
from __future__ import annotations

import random

from ._golden_gen import Gen
from ._golden_values_business import GEN as BUSINESS
from ._golden_values_dates import GEN as DATES
from ._golden_values_general import GEN as GENERAL
from ._golden_values_ids import GEN as IDS
from ._golden_values_money import GEN as MONEY
from ._golden_values_people import GEN as PEOPLE
from ._golden_values_places import GEN as PLACES
from ._golden_values_unknown import UNKNOWN_GEN

UNKNOWN = "unknown"
GEN: dict[str, Gen] = {**DATES, **PEOPLE, **PLACES, **MONEY, **IDS, **BUSINESS, **GENERAL}
_CASE_DOMAINS = {"person.first_name", "person.last_name", "person.full_name", "address.city",
                 "address.street", "address.country", "org.company_name", "org.department",
                 "org.job_title", "general.status", "product.name", "product.category",
                 "product.brand", "product.color", "person.nationality", "address.state"}


def mess(rng: random.Random, values: list[str], domain: str) -> tuple[str | None, ...]:
    """Return the values messed up: some nulls or blanks, padding, names in upper case."""
    null_rate = rng.choice([0, 0, 0.02, 0.04, 0.06, 0.09, 0.12, 0.15])
    blank = rng.random() < 0.1
    pad = rng.random() < 0.25
    upper = domain in _CASE_DOMAINS and rng.random() < 0.12
    out: list[str | None] = []
    for v in values:
        if rng.random() < null_rate:
            out.append("" if blank else None)
            continue
        if upper:
            v = v.upper()
        if pad and rng.random() < 0.12:
            v = rng.choice([f" {v}", f"{v} ", f"  {v}  ", f"{v}\t"])
        out.append(v)
    return tuple(out)


def parse_entry(text: str) -> tuple[str, str, str]:
    """Return (domain, unknown kind, forced header) of a table-spec entry."""
    if text.startswith("?"):
        return UNKNOWN, text[1:], ""
    domain, _, header = text.partition("=")
    return domain, "", header


def generate(rng: random.Random, domain: str, kind: str, n: int, ctx: dict) -> list[str]:
    """Return ``n`` values of a domain, or of an unknown ``kind`` when it is ``UNKNOWN``."""
    fn = UNKNOWN_GEN[kind] if domain == UNKNOWN else GEN[domain]
    return fn(rng, n, ctx)
