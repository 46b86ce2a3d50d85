"""Everyday English words, never a one-word name: derived on this machine, not shipped.

The source is the English word-probability table of the ``spacy-lookups-data`` dependency
(``en_lexeme_prob``: about a million case-sensitive tokens with their log-probability in a large
web corpus). A lower-case word is kept when it is frequent (log-probability >= -15, about 30,000
words) and the corpus writes it in lower case at least as often as capitalised: ``mail``,
``yesterday``, ``signup``, ``will`` and ``mark`` are kept; ``maria``, ``seamus`` and ``bob`` are
not, because the corpus writes them capitalised, as names. The most frequent words
(log-probability >= -11) are kept however they are written, since sentence openers are mostly
capitalised (``thanks``, ``yes``, ``please``). No list of names is consulted.

Deriving takes about a second, so the list is cached (one word a line) in the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``, under ``workbench/``), keyed by the table's version and the
thresholds; an unwritable cache folder only costs the second on each start.

Examples
--------
>>> words({"mail": -9.0, "Mail": -12.0, "maria": -13.0, "Maria": -10.0, "the": -3.0,
...        "The": -2.0, "rare": -16.0, "x1": -5.0})
['mail', 'the']
"""
from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

MIN_LOGPROB, ALWAYS_LOGPROB = -15.0, -11.0
TABLE = "en_lexeme_prob.json.gz"
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")


def words(prob: dict[str, float], min_logprob: float = MIN_LOGPROB,
          always: float = ALWAYS_LOGPROB) -> list[str]:
    """Return the frequent lower-case words written in lower case at least as often as capitalised."""
    return sorted(w for w, p in prob.items() if _WORD.fullmatch(w) and p >= min_logprob
                  and (p >= always or p >= prob.get(w[:1].upper() + w[1:], -99.0)))


def _table() -> tuple[Path, str]:
    from importlib.metadata import version

    import spacy_lookups_data

    return (Path(spacy_lookups_data.__file__).parent / "data" / TABLE,
            version("spacy-lookups-data"))


def _cache_file(table_version: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "workbench" / f"common_words-{table_version}-{MIN_LOGPROB:g}-{ALWAYS_LOGPROB:g}.txt"


def load() -> frozenset[str]:
    """Return the everyday words (from the cache, else derived from the table and cached)."""
    path, table_version = _table()
    cache = _cache_file(table_version)
    try:
        return frozenset(cache.read_text(encoding="utf-8").split())
    except OSError:
        pass
    found = words(json.loads(gzip.decompress(path.read_bytes())))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("\n".join(found) + "\n", encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass
    return frozenset(found)
