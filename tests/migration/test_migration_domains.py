"""Domain scoring, bands and evidence; the catalog's staged deltas, auto-tests and promotion."""
from __future__ import annotations

import pytest
import yaml

from workbench import cache, config, store
from workbench.errors import PolicyBlock
from workbench.pipelines.migration import domain_catalog as dc
from workbench.pipelines.migration.contract import load_profile
from workbench.pipelines.migration.domaining import ColumnEvidence, score_columns

PROFILE = load_profile()


def _one(col, use_values=True, catalog=None):
    return score_columns([col], catalog or dc.load_catalog(), PROFILE, use_values=use_values)[0]


def test_shipped_catalog_passes_its_own_auto_tests():
    cat = dc.load_catalog()
    assert dc.check_catalog(cat.data) == []
    assert len(cat.domains) >= 60
    assert any(d.kind == "composite" for d in cat.domains)


@pytest.mark.parametrize(("header", "values", "domain"), [
    ("E-Mail", ["ann@example.com", "bo@example.org"], "contact.email"),
    ("Vorname", ["Anna", "Jürgen", "Eva"], "person.first_name"),
    ("cust_fst_nm", ["Anna", "Jürgen", "Eva"], "person.first_name"),
    ("DOB", ["1984-03-07", "1990-11-02"], "person.birth_date"),
])
def test_headers_in_several_languages_and_abbreviations(header, values, domain):
    dtype = "date" if header == "DOB" else "string"  # the catalog infers text dates as dates
    r = _one(ColumnEvidence("customers", header, dtype, values=values))
    assert r["domain"] == domain and r["band"] == "high", r


def test_opaque_header_is_decided_by_values_and_evidence_says_why():
    r = _one(ColumnEvidence("t", "col7", "string",
                            values=[f"user{i}@example.com" for i in range(30)]))
    assert r["domain"] == "contact.email"
    ev = r["evidence"]
    assert ev["components"]["name"] is None            # the header carries no evidence
    assert ev["components"]["regex_hit_rate"] == 1.0
    assert {"header_words", "alternatives", "unit_cue"} <= set(ev)


def test_metadata_only_uses_no_value_similarity_but_keeps_regex_rates():
    col = ColumnEvidence("t", "field_3", "string", values=[],
                         regex_values=["ann@example.com", "bo@example.org"])
    r = _one(col, use_values=False)
    assert r["domain"] == "contact.email"
    assert r["evidence"]["components"]["value"] is None
    assert r["evidence"]["components"]["regex_hit_rate"] == 1.0


def test_unit_cue_and_negatives():
    r = _one(ColumnEvidence("orders", "weight_lb", "float", values=["1.5", "2.25"]))
    assert r["evidence"]["unit_cue"] == "lb"
    assert r["evidence"]["components"]["unit"] == 1.0
    free = _one(ColumnEvidence("t", "record_count", "integer", values=[str(i) for i in range(50)]))
    assert free["band"] != "high" or not free["domain"].startswith("person.")


def test_bands_follow_the_profile():
    col = ColumnEvidence("customers", "E-Mail", "string", values=["ann@example.com"])
    strict = load_profile()
    strict["domaining"]["tau_high"], strict["domaining"]["tau_low"] = 0.999, 0.998
    r = score_columns([col], dc.load_catalog(), strict)[0]
    assert r["band"] in ("low", "borderline") and r["score"] < 0.999


def test_stage_promote_bumps_version_invalidates_cache_and_logs(tmp_path):
    settings = config.load(tmp_path)
    analyst = {"user_id": "ana", "role": "analyst"}
    cache.put(dc.CACHE_NAMESPACE, "k", {"answer": 1}, settings=settings)
    before = dc.load_catalog(settings)
    dc.stage_delta(settings, domain="person.first_name", actor=analyst,
                   aliases=["rufname"], language="de", reason="seen in a legacy HR export")
    bad_target = next(d.id for d in before.domains if d.id != "contact.email")
    alias_of_email = before.get("contact.email").aliases["en"][0]
    dc.stage_delta(settings, domain=bad_target, actor=analyst, aliases=[alias_of_email])
    summary = dc.promote(settings, analyst)
    assert summary["promoted"] == 1 and summary["version"] == dc.bump(before.version)
    assert "already an alias" in summary["rejected"][0]["problem"]
    live = dc.load_catalog(settings)
    assert live.version == summary["version"] and "rufname" in live.get("person.first_name").words
    assert yaml.safe_load((tmp_path / "data/migration/domains_live.yml").read_text())[
        "provenance"][-1]["by"] == analyst
    assert cache.get(dc.CACHE_NAMESPACE, "k", settings=settings) is None
    assert len(dc.staged(settings)) == 1                       # the rejected delta stays staged
    with store.connect(settings) as con:
        ev = con.execute("SELECT decision FROM ledger WHERE event = 'domains_promoted'").fetchall()
    assert ev == [("accept",)]
    r = _one(ColumnEvidence("staff", "Rufname", "string", values=["Anna", "Eva"]), catalog=live)
    assert r["domain"] == "person.first_name"


def test_promotion_is_rbac_gated(tmp_path):
    settings = config.load(tmp_path)
    with pytest.raises(PolicyBlock, match="promote_domains"):
        dc.promote(settings, {"user_id": "v", "role": "viewer"})
