"""Masking modes, pseudonym stability per workspace key, and the key file."""
from __future__ import annotations

import stat

import pytest

from workbench.config import load
from workbench.errors import BadInput
from workbench.pii import Masked, mask


@pytest.fixture
def settings(tmp_path):
    return load(tmp_path)


def test_redact_replaces_with_type_and_counts():
    m = mask("from alice@example.com and bob@example.com at 10.0.0.7")
    assert isinstance(m, Masked)
    assert m.text == "from <EMAIL_ADDRESS> and <EMAIL_ADDRESS> at <IP_ADDRESS>"
    assert m.counts == {"EMAIL_ADDRESS": 2, "IP_ADDRESS": 1}


def test_pseudonyms_are_stable_within_a_workspace_and_differ_across(tmp_path):
    a, b = load(tmp_path / "a"), load(tmp_path / "b")
    first = mask("mail alice@example.com", "pseudonymize", settings=a).text
    again = mask("reply to ALICE@example.com", "pseudonymize", settings=a).text
    encoded = mask("q=alice%40example.com", "pseudonymize", settings=a).text
    other = mask("mail alice@example.com", "pseudonymize", settings=b).text
    token = first.split()[-1]
    assert token.startswith("<EMAIL_ADDRESS_") and len(token) == len("<EMAIL_ADDRESS_3f9a1c>")
    assert again.endswith(token) and encoded.endswith(token)
    assert other.split()[-1] != token
    assert mask("mail carol@example.com", "pseudonymize", settings=a).text.split()[-1] != token


def test_key_file_created_once_with_0600(settings):
    mask("x alice@example.com", "pseudonymize", settings=settings)
    key = settings.data_dir / "pii.key"
    assert key.stat().st_size == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    mask("y bob@example.com", "pseudonymize", settings=settings)
    assert key.read_bytes() == before


def test_redact_needs_no_key(settings):
    mask("x alice@example.com", "redact", settings=settings)
    assert not (settings.data_dir / "pii.key").exists()


def test_masked_text_is_clean_and_keeps_structure(settings):
    text = ("GET https://jdoe:pw12345@shop.example.com/cart?email=eve%40example.org&sku=88412 "
            "ua=Mozilla/5.0 from 198.51.100.23")
    m = mask(text, "pseudonymize", settings=settings)
    assert "shop.example.com/cart?email=<EMAIL_ADDRESS_" in m.text
    assert "sku=88412" in m.text and "ua=Mozilla/5.0" in m.text
    assert m.counts == {"USERNAME": 1, "PASSWORD": 1, "EMAIL_ADDRESS": 1, "IP_ADDRESS": 1}
    assert mask(m.text).counts == {}               # masked output holds nothing detectable


def test_unknown_mode_is_bad_input():
    with pytest.raises(BadInput):
        mask("x", "hash")


def test_empty_and_clean_text():
    assert mask("").text == "" and mask("all good, 200 OK").counts == {}
