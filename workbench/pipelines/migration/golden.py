"""A generated, labelled golden set for domaining and schema matching (ROADMAP §43).

``golden_columns`` builds legacy-looking tables whose columns carry a domain id of the shipped
catalog (``domains.yml``) or ``"unknown"``; ``matching_cases`` builds source/target schema pairs
with the true column mapping. Headers are written the way old systems spell them (abbreviated,
prefixed, upper snake, PascalCase, German/French/Spanish/Portuguese/Italian/Dutch words, the odd
typo, opaque ``col7``) and are deliberately *not* taken from the catalog's aliases; values are
messy (mixed date formats, national phone formats, cents vs decimals, padding, case, nulls).
Everything is derived from a seeded ``random.Random`` and the word pools of
``golden_vocab.yml``: no other I/O, no network, same seed → same set.
All people, numbers and addresses are invented (phones in fiction ranges, example.com mail).

Examples
--------
>>> cols = golden_columns()
>>> len(cols) >= 320, len({c.table for c in cols}) >= 30
(True, True)
>>> sum(len(c.truth) for c in matching_cases()) >= 150
True
"""
from __future__ import annotations

from dataclasses import dataclass

from ._golden_cases import case_rows
from ._golden_tables import column_rows
from ._golden_values import UNKNOWN

__all__ = ["UNKNOWN", "GoldenColumn", "MatchCase", "golden_columns", "matching_cases"]


@dataclass(frozen=True)
class GoldenColumn:
    """One labelled legacy column: its table, header, sample values and true domain.

    >>> GoldenColumn("kunden", "VORNA", ("Anna", None), "person.first_name").values
    ('Anna', None)
    """

    table: str
    column: str
    values: tuple[str | None, ...]
    domain: str
    description: str = ""


@dataclass(frozen=True)
class MatchCase:
    """A schema-matching case: source tables with values, a target schema and the true pairs.

    >>> case = matching_cases()[0]
    >>> case.name, all(t in case.source for t, _ in case.truth)
    ('crm', True)
    """

    name: str
    source: dict[str, list[GoldenColumn]]
    target: dict
    truth: dict[tuple[str, str], tuple[str, str]]


def golden_columns(seed: int = 7) -> list[GoldenColumn]:
    """Return ≥ 320 labelled columns over ≥ 30 tables, every domain ≥ 3 times, ~8 % unknown.

    >>> cols = golden_columns()
    >>> len(cols) >= 320, cols == golden_columns(7), cols == golden_columns(8)
    (True, True, False)
    >>> all(40 <= len(c.values) <= 120 for c in cols)
    True
    """
    return [GoldenColumn(*row) for row in column_rows(seed)]


def matching_cases(seed: int = 7) -> list[MatchCase]:
    """Return ≥ 6 schema-matching cases (CRM, e-commerce, HR, clinical, finance, logistics).

    >>> cases = matching_cases()
    >>> [c.name for c in cases]
    ['crm', 'ecommerce', 'hr', 'clinical', 'finance', 'logistics']
    >>> sum(len(c.truth) for c in cases) >= 150
    True
    >>> cases[0].truth[("KNDSTM", "VNAME")]
    ('customer', 'given_name')
    """
    return [MatchCase(name, {table: [GoldenColumn(*row) for row in rows]
                             for table, rows in source.items()}, target, truth)
            for name, source, target, truth in case_rows(seed)]
