"""The word pools of the golden set, read once from ``golden_vocab.yml`` next to this module."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).resolve().parent / "golden_vocab.yml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def vocab() -> dict:
    """Return the word pools by name (parsed once, shared: treat them as read-only).

    >>> vocab()["country_lang"]["DE"], vocab()["first_names"]["de"][0], vocab() is vocab()
    ('de', 'Lukas', True)
    """
    return yaml.load(PATH.read_text(encoding="utf-8"), Loader=_LOADER)
