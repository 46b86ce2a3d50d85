"""Masking of sample rows: whole values of PII domains, the PII detector on every other text.

A column whose domain (or best candidate) is personal — names, contacts, street addresses,
birth dates, national and account identifiers — is pseudonymized value by value (a keyed,
stable token, so joins and counts survive); every other text column goes through
``workbench.pii.mask_frame``, which finds PII inside free text. Audit rows hold counts only.

Examples
--------
>>> is_personal("contact.email"), is_personal("money.amount"), entity_of("person.last_name")
(True, False, 'PERSON')
"""
from __future__ import annotations

import polars as pl

from ...pii import mask_frame
from ...pii.masking import token, workspace_key

PERSONAL_WORDS = ("street", "address", "house", "postal", "birth", "ssn", "national", "passport",
                  "iban", "card", "account", "tax", "vat", "ip_address", "mac", "username",
                  "password", "latitude", "longitude", "social", "handle", "license", "mobile",
                  "phone", "fax", "email")
NOT_PERSONAL = ("gender", "title", "age", "nationality", "salutation")


def is_personal(domain: str | None) -> bool:
    """Return True when values of ``domain`` identify a person (masked whole)."""
    if not domain:
        return False
    group, _, name = domain.partition(".")
    if any(w in name for w in NOT_PERSONAL):
        return False
    return group in ("person", "contact") or any(w in domain for w in PERSONAL_WORDS)


def entity_of(domain: str) -> str:
    """Return the PII entity type a personal domain's values are masked as."""
    if "email" in domain:
        return "EMAIL_ADDRESS"
    if any(w in domain for w in ("phone", "mobile", "fax")):
        return "PHONE_NUMBER"
    if domain.startswith("person."):
        return "DATE_TIME" if "birth" in domain else "PERSON"
    if domain.startswith(("address.", "geo.")):
        return "LOCATION"
    if "card" in domain:
        return "CREDIT_CARD"
    if "iban" in domain:
        return "IBAN_CODE"
    return "ID"


def mask_sample(df: pl.DataFrame, domains: dict[str, str | None], settings, source: str
                ) -> tuple[pl.DataFrame, list[dict]]:
    """Return ``(masked frame, audit rows)``: personal columns tokenized, the rest scanned."""
    key = workspace_key(settings)
    audit: list[dict] = []
    exprs = []
    for col in df.columns:
        dom = domains.get(col)
        if is_personal(dom):
            ent = entity_of(dom)
            values = df.get_column(col).cast(pl.Utf8)
            distinct = values.drop_nulls().unique().to_list()
            mapping = {v: token(ent, v, "pseudonymize", key) for v in distinct}
            exprs.append(values.replace_strict(mapping, default=None).alias(col))
            if distinct:
                n = int(values.is_not_null().sum())
                audit.append({"source": f"{source}.{col}", "entity_type": ent, "count": n,
                              "action": "pseudonymize"})
        else:
            exprs.append(pl.col(col))
    masked = df.select(exprs) if exprs else df
    text_cols = [c for c in df.columns if not is_personal(domains.get(c))
                 and masked.schema[c] == pl.Utf8]
    if text_cols:
        masked, rows = mask_frame(masked, text_cols, "pseudonymize", settings=settings,
                                  source=source)
        audit.extend(rows)
    return masked, audit
