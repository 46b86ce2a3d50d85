"""Dotted quads: addresses without a cue are still addresses; versions need a release cue."""
import pytest

from workbench import pii


@pytest.mark.parametrize("text, address", [
    ("DNS lookups went to 8.8.8.8 and 1.1.1.1", "1.1.1.1"),
    ("Blocked 4.2.2.1, allowed 3.3.3.3", "4.2.2.1"),
    ("Blocked 4.2.2.1, allowed 3.3.3.3", "3.3.3.3"),
    ("deployed to host 10.0.0.7 today", "10.0.0.7"),
])
def test_cue_less_addresses_are_masked(text, address):
    assert address not in pii.mask(text, mode="redact").text


@pytest.mark.parametrize("text", [
    "Deployed worker 5.6.1.9 to prod",
    "Chrome/120.0.0.0 Safari/537.36",
    "version 1.2.3.4 released",
])
def test_versions_with_a_release_cue_stay(text):
    assert pii.mask(text, mode="redact").text == text
