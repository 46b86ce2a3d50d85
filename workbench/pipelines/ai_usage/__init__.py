"""ai_usage: which AI services our people use, how much data goes there, at what risk.

Kept light: only the URL functions are re-exported, loaded on first use.
"""
from __future__ import annotations

__all__ = ["normalize_url", "url_signature"]


def __getattr__(name):
    if name in __all__:
        from . import normalize
        return getattr(normalize, name)
    raise AttributeError(name)
