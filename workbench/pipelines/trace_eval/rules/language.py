"""Which language a text is in: stopword profiles in Polars first, ``langid`` for the rest.

``stopword_counts`` counts very frequent words of each ``PROFILED`` language in the first
characters of each text (vectorized); ``dominant`` names the clear winner or gives null. Only
texts whose profile leaves the question open go to ``langid_language`` (about 0.4 ms a text).

>>> import polars as pl
>>> df = pl.DataFrame({"t": ["Where is the station and how do I get there from the airport?",
...                          "Où est la gare et comment est-ce que je peux y aller depuis ici ?"]})
>>> df.select(language_code(dominant(stopword_counts(pl.col("t"))))).to_series().to_list()
['en', 'fr']
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import polars as pl

from .patterns import fold, folded

# frequent, fairly discriminative words per language (matched whole-word, lower case), with the
# question words a prompt opens with: a one-line question has few other function words
STOPWORDS = {
    "en": "the and you that with this have what your which would there been from they will "
          "about should is are how why does can to of it",
    "fr": "le les est une des que pour dans avec pas sur vous nous mais sont cette très être "
          "aussi je quel quelle quels quelles comment pourquoi quand et au aux",
    "de": "der die und ist nicht ein eine ich sie mit auf für dass sich auch wie wird oder "
          "werden warum wann welche kann kannst über etwas dem",
    "es": "el los las que por para una con del está pero como más son también puede esto muy "
          "cómo cuál cuáles cuándo dónde puedes puedo sobre",
    "it": "il che della sono per una non con gli anche come più questo molto essere nella",
    "pt": "não uma para com são também muito você isso está mais pelo pela como ser",
    "nl": "het een van niet zijn ook voor maar wordt deze wij jij heeft naar ik dat",
}
PROFILED = tuple(STOPWORDS)
# langid is asked to choose among these only: exotic look-alikes would be false alarms
LANGID_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs",
                    "sk", "ro", "hu", "el", "bg", "ru", "uk", "tr", "ar", "fa", "he", "hi", "zh",
                    "ja", "ko", "vi", "id", "th", "ca")
_SAMPLE = 400


def _words_pattern(words: str) -> str:
    return folded(r"\b(?:" + "|".join(words.split()) + r")\b", ignore_case=False)


def stopword_counts(text: pl.Expr) -> pl.Expr:
    """Return a list per text: stopword hits of each ``PROFILED`` language in its start."""
    sample = fold(text.str.slice(0, _SAMPLE).str.to_lowercase())
    return pl.concat_list([sample.str.count_matches(_words_pattern(w)).fill_null(0)
                           for w in STOPWORDS.values()])


def dominant(counts: pl.Expr, min_hits: int = 2) -> pl.Expr:
    """Return the index of the language with ``min_hits`` or more, twice the next, else null."""
    ranked = counts.list.sort(descending=True)
    best, second = ranked.list.get(0), ranked.list.get(1)
    return pl.when((best >= min_hits) & (best >= 2 * second)).then(counts.list.arg_max())


def language_code(index: pl.Expr) -> pl.Expr:
    """Return the ``PROFILED`` code of a language index (null stays null)."""
    return index.replace_strict(dict(enumerate(PROFILED)), return_dtype=pl.Utf8, default=None)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier, model

    ident = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    ident.set_languages(list(LANGID_LANGUAGES))
    return ident


def langid_language(text: str, min_prob: float = 0.9) -> str | None:
    """Return langid's language for ``text`` when its probability reaches ``min_prob``, else None.

    >>> langid_language("Das ist ein kurzer Satz, aber er ist eindeutig auf Deutsch geschrieben.")
    'de'
    """
    lang, prob = _identifier().classify(text[:2000])
    return lang if prob >= min_prob else None
