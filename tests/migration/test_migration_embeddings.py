"""Name similarity through an `llm` embedding model (a scripted plugin): synonyms the n-grams
miss, masked and guarded headers, the cache, the ledger, and the policy's provider lists."""
from __future__ import annotations

import pytest
import scripted_model
from llm_fixtures import llm_home  # noqa: F401 - fixture

from workbench import config
from workbench.pipelines.migration.contract import load_profile
from workbench.pipelines.migration.domain_catalog import load_catalog
from workbench.pipelines.migration.domaining import ColumnEvidence, score_columns
from workbench.pipelines.migration.embeddings import name_similarity


def test_embeddings_add_a_synonym_and_are_cached(llm_home, tmp_path):  # noqa: F811
    settings = config.load(tmp_path)
    catalog = load_catalog()
    birth = catalog.get("person.birth_date")
    model = scripted_model.embedding({"zzgeburtszz": 0, **{w: 0 for w in
                                                          birth.words[0].split()}})
    cols = [ColumnEvidence("staff", "zzgeburtszz", "string")]  # no values: only the name tells
    plain = score_columns(cols, catalog, load_profile())[0]
    extra = name_similarity(cols, catalog, "scripted-embed", settings, run_id="r", stage="domains")
    assert extra[0, catalog.ids.index("person.birth_date")] == pytest.approx(1.0)
    boosted = score_columns(cols, catalog, load_profile(), extra_name=extra)[0]
    assert plain["candidate"] != "person.birth_date" or plain["band"] == "low"
    assert boosted["candidate"] == "person.birth_date" and boosted["score"] > plain["score"]
    sent = len(model.sent)
    name_similarity(cols, catalog, "scripted-embed", settings)
    assert len(model.sent) == sent                                   # cached


def test_headers_are_masked_before_they_are_embedded(llm_home, tmp_path):  # noqa: F811
    settings = config.load(tmp_path)
    model = scripted_model.embedding({})
    cols = [ColumnEvidence("t", "notes for alice@example.com", "string")]
    name_similarity(cols, load_catalog(), "scripted-embed", settings)
    assert not any("alice@example.com" in t for t in model.sent)
