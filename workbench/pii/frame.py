"""Masking table columns over their distinct values, with a vectorized pre-filter."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .engine import detect_many
from .findings import Finding
from .keys import key_entity
from .masking import apply, check_mode, workspace_key
from .scanner import TRIGGER, value_entity


def _findings(value: str, found: list[Finding], column_entity: str | None,
              column: str | None = None) -> list[Finding]:
    if not found and column_entity:
        # the column name is the context: a "first_name" column holds names, "password" secrets
        ent = value_entity(column_entity, value, column)
        if ent:
            s = len(value) - len(value.lstrip())
            found = [Finding(ent, s, len(value.rstrip()), 0.7, "column_name")]
    return found


_SLICE = 50_000
_BATCH = 1_000          # values whose prose lines the name models read in one batch


def mask_frame(df, columns: Iterable[str] | str, mode: str = "pseudonymize", *, settings=None,
               source: str | None = None):
    """Return ``(masked DataFrame, audit rows)``; audit rows hold counts per entity, never values.

    Each distinct value is examined once; Polars keeps only the values the cheap trigger pattern
    (or the column's name) marks as candidates, so the Python detector sees a small fraction.
    """
    import polars as pl

    check_mode(mode)
    cols = [columns] if isinstance(columns, str) else list(columns)
    key = workspace_key(settings) if mode == "pseudonymize" else None
    audit: list[dict] = []
    replacements = []
    for col in cols:
        col_ent = key_entity(col)
        series = df.get_column(col)
        if series.dtype != pl.Utf8:
            if col_ent is None:
                continue                              # numbers and dates hold no PII by shape
            series = series.cast(pl.Utf8)
        distinct = series.drop_nulls().unique()
        if col_ent is None:
            distinct = distinct.filter(distinct.str.contains(TRIGGER))
        old, new, per_value = [], [], []
        # in slices: a column of millions of distinct values (unique query strings) never
        # becomes one Python list
        for offset in range(0, len(distinct), _SLICE):
            values = distinct.slice(offset, _SLICE).to_list()
            for b in range(0, len(values), _BATCH):
                batch = values[b:b + _BATCH]
                for value, found in zip(batch, detect_many(batch), strict=True):
                    found = _findings(value, found, col_ent, col)
                    if not found:
                        continue
                    masked = apply(value, found, mode, key)
                    old.append(value)
                    new.append(masked.text)
                    per_value.append(masked.counts)
        if not old:
            continue
        freq = dict(series.filter(series.is_in(old)).value_counts().iter_rows())
        totals: Counter = Counter()
        for value, counts in zip(old, per_value, strict=True):
            for ent, n in counts.items():
                totals[ent] += n * freq.get(value, 0)
        src = f"{source}.{col}" if source else col
        audit += [{"source": src, "entity_type": ent, "count": int(n), "action": mode}
                  for ent, n in sorted(totals.items())]
        replacements.append(series.replace_strict(old, new, default=series).alias(col))
    return (df.with_columns(replacements) if replacements else df), audit
