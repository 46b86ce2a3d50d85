"""Content of the shipped Domain Catalog (domains.yml) and the generated golden set (golden.py)."""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from workbench.pipelines.migration import golden

CATALOG = Path(golden.__file__).resolve().parent / "domains.yml"
KEYS = {"id", "kind", "parts", "type", "description", "aliases", "negatives", "regex", "units",
        "examples"}
TYPES = {"string", "integer", "float", "boolean", "date", "timestamp"}
LANGUAGES = {"en", "de", "fr", "es", "pt", "it", "nl"}
COMMON_GROUPS = {"person", "contact", "address", "money", "datetime"}


@cache
def _catalog() -> dict:
    return yaml.safe_load(CATALOG.read_text(encoding="utf-8"))


def _domains() -> list[dict]:
    return _catalog()["domains"]


@cache
def _golden(seed: int = 7) -> list[golden.GoldenColumn]:
    return golden.golden_columns(seed)


@cache
def _cases(seed: int = 7) -> list[golden.MatchCase]:
    return golden.matching_cases(seed)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[_\-.]", " ", text).lower().split())


# ------------------------------------------------------------------------------------ catalog
def test_catalog_has_version_and_enough_domains():
    assert isinstance(_catalog()["version"], str)
    assert len(_domains()) >= 60


def test_every_domain_has_exactly_the_contract_keys():
    for d in _domains():
        assert set(d) == KEYS, d.get("id")
        assert d["kind"] in {"atomic", "composite"}, d["id"]
        assert d["type"] in TYPES, d["id"]
        assert isinstance(d["description"], str) and d["description"], d["id"]
        for key in ("parts", "negatives", "units", "examples"):
            assert isinstance(d[key], list), (d["id"], key)
            assert all(isinstance(x, str) for x in d[key]), (d["id"], key)
        assert isinstance(d["regex"], str), d["id"]


def test_ids_are_unique_dotted_lowercase():
    ids = [d["id"] for d in _domains()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", i) for i in ids), ids


def test_composite_parts_reference_atomic_domains():
    kinds = {d["id"]: d["kind"] for d in _domains()}
    composites = [d for d in _domains() if d["kind"] == "composite"]
    assert len(composites) >= 3
    for d in _domains():
        if d["kind"] == "composite":
            assert len(d["parts"]) >= 2, d["id"]
            assert all(kinds.get(p) == "atomic" for p in d["parts"]), d["id"]
        else:
            assert d["parts"] == [], d["id"]


def test_examples_count_and_regexes_match_their_own_examples():
    for d in _domains():
        assert 10 <= len(d["examples"]) <= 20, d["id"]
        if not d["regex"]:
            continue
        pattern = re.compile(d["regex"])
        hits = sum(1 for x in d["examples"] if pattern.fullmatch(x.strip()))
        assert hits / len(d["examples"]) >= 0.8, (d["id"], hits)


def test_aliases_are_multilingual_for_common_groups():
    for d in _domains():
        aliases = d["aliases"]
        assert isinstance(aliases, dict) and set(aliases) <= LANGUAGES, d["id"]
        assert aliases.get("en"), d["id"]
        assert all(isinstance(a, str) and a for v in aliases.values() for a in v), d["id"]
        if d["id"].split(".")[0] in COMMON_GROUPS:
            assert len([lang for lang, v in aliases.items() if v]) >= 4, d["id"]


def test_regexes_tell_look_alikes_apart():
    by_id = {d["id"]: re.compile(d["regex"]) for d in _domains() if d["regex"]}
    assert not by_id["contact.email"].fullmatch("https://www.example.com")
    assert not by_id["contact.website"].fullmatch("anna@example.com")
    assert not by_id["identifier.uuid"].fullmatch("100234")
    assert not by_id["identifier.iban"].fullmatch("DE123456789")
    assert by_id["identifier.iban"].fullmatch("GB82WEST12345698765432")


def test_pii_examples_are_obviously_fake():
    by_id = {d["id"]: d for d in _domains()}
    assert all(x.lower().split("@")[1].endswith(("example.com", "example.org", "example.net"))
               for x in by_id["contact.email"]["examples"])

    def luhn(digits: str) -> bool:
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        return total % 10 == 0

    assert all(luhn(re.sub(r"\D", "", x)) for x in by_id["identifier.credit_card"]["examples"])

    def iban_ok(text: str) -> bool:
        s = text.replace(" ", "")
        return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1

    assert all(iban_ok(x) for x in by_id["identifier.iban"]["examples"])


# ------------------------------------------------------------------------------------ golden set
def test_golden_size_labels_and_shape():
    cols = _golden()
    ids = {d["id"] for d in _domains()}
    assert len(cols) >= 320
    assert len({c.table for c in cols}) >= 30
    assert {c.domain for c in cols} <= ids | {golden.UNKNOWN}
    for c in cols:
        assert 40 <= len(c.values) <= 120, (c.table, c.column)
        assert all(v is None or isinstance(v, str) for v in c.values)
    keys = [(c.table, c.column.lower()) for c in cols]
    assert len(keys) == len(set(keys)), "headers repeat within a table"


def test_golden_covers_every_domain_and_some_unknowns():
    counts = Counter(c.domain for c in _golden())
    assert all(counts[d["id"]] >= 3 for d in _domains()), \
        [d["id"] for d in _domains() if counts[d["id"]] < 3]
    share = counts[golden.UNKNOWN] / len(_golden())
    assert 0.05 <= share <= 0.12, share


def test_golden_has_nulls_and_mess():
    values = [v for c in _golden() for v in c.values]
    nulls = sum(v is None for v in values) / len(values)
    assert 0.01 < nulls < 0.15
    assert any(v != v.strip() for v in values if v)


def test_golden_is_deterministic_per_seed():
    assert golden.golden_columns(7) == _golden(7)
    assert golden.golden_columns(11) != _golden(7)


def test_golden_headers_are_not_copied_from_aliases():
    aliases = {d["id"]: {_norm(a) for v in d["aliases"].values() for a in v} for d in _domains()}
    cols = _golden()
    copied = [c for c in cols if c.domain in aliases and _norm(c.column) in aliases[c.domain]]
    assert len(copied) / len(cols) <= 0.25, len(copied)


# ------------------------------------------------------------------------------------ matching
def test_matching_cases_truth_references_real_columns():
    cases = _cases()
    assert len(cases) >= 6
    assert sum(len(c.truth) for c in cases) >= 150
    for case in cases:
        source = {(t, c.column) for t, cols in case.source.items() for c in cols}
        target = {(t["name"], c["name"]) for t in case.target["tables"] for c in t["columns"]}
        assert set(case.truth) <= source, case.name
        assert set(case.truth.values()) <= target, case.name
        assert source - set(case.truth), f"{case.name}: every source column has a counterpart"
        for t in case.target["tables"]:
            assert {"name", "description", "columns"} <= set(t)
            for c in t["columns"]:
                assert {"name", "type", "description", "unit", "enum", "nullable", "key"} <= set(c)
                assert c["type"] in TYPES


def test_matching_cases_need_unit_alignment_and_are_seeded():
    pairs = {(src, tgt) for case in _cases() for src, tgt in case.truth.items()}
    assert (("tblOrder", "TotalCents"), ("orders", "total_amount")) in pairs
    assert (("tblOrderItem", "WeightLb"), ("order_items", "weight_kg")) in pairs
    assert golden.matching_cases(7) == _cases(7)
    assert golden.matching_cases(3) != _cases(7)


def test_matching_targets_parse_with_the_target_loader():
    target = pytest.importorskip("workbench.pipelines.migration.target")
    parse = getattr(target, "parse_target", None)
    if parse is None:
        pytest.skip("no parse_target")
    for case in _cases():
        parse(case.target, case.name)
