"""The Presidio side: an NLP engine that never downloads, our recognizer, ``detect``.

With ``WORKBENCH_SPACY_MODEL`` naming an installed spaCy model, Presidio's ``AnalyzerEngine``
runs that model's NER for names in prose next to our recognizer. Otherwise the engine is a blank
English pipeline (``spacy.blank("en")``) and ``detect`` calls our recognizer directly: it needs no
tokens, so building NLP artifacts would only cost time.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache

from . import ner
from .findings import Finding
from .scanner import WEAK_CUE_REC, resolve, scan

ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS",
            "PERSON", "USERNAME", "PASSWORD", "CLOUD_KEY", "API_KEY", "AUTH_TOKEN", "JWT",
            "PRIVATE_KEY", "NATIONAL_ID", "LOCATION")
_lock = threading.Lock()


def keep_tldextract_offline() -> None:
    """Point Presidio's e-mail recognizer at tldextract's bundled suffix list (no fetch)."""
    import tldextract
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class _Offline:
        extract = staticmethod(offline)

    email_recognizer.tldextract = _Offline


def _spacy_model_name() -> str | None:
    name = os.environ.get("WORKBENCH_SPACY_MODEL") or None
    if name is None:
        from ..config import load

        try:
            name = load().spacy_model
        except (OSError, ValueError):  # an unreadable workbench.toml means no model here
            name = None
    if not name:
        return None
    import spacy.util

    return name if spacy.util.is_package(name) or os.path.isdir(name) else None


def blank_nlp_engine():
    """Return a loaded Presidio ``SpacyNlpEngine`` over ``spacy.blank("en")`` (no download)."""
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        """A spaCy engine whose ``load`` builds a blank pipeline instead of downloading."""

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank:en"}])
    engine.load()
    return engine


def _model_nlp_engine(model: str):
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class InstalledSpacyNlpEngine(SpacyNlpEngine):
        """A spaCy engine that loads an installed model and never calls ``spacy download``."""

        def load(self) -> None:
            self.nlp = {"en": spacy.load(model)}

    engine = InstalledSpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
    engine.load()
    return engine


def workbench_recognizer():
    """Return a Presidio ``EntityRecognizer`` running the workbench patterns and context rules."""
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class WorkbenchRecognizer(EntityRecognizer):
        """Patterns, checksums and key/header context for logs, URLs, tables and secrets."""

        def load(self) -> None:  # nothing to load: patterns are compiled at import
            return None

        def analyze(self, text, entities, nlp_artifacts=None):
            wanted = set(entities or ENTITIES)
            return [RecognizerResult(f.entity_type, f.start, f.end, f.score,
                                     recognition_metadata={"recognizer_name": f.recognizer})
                    for f in scan(text) if f.entity_type in wanted]

    return WorkbenchRecognizer(supported_entities=list(ENTITIES), name="WorkbenchRecognizer",
                               supported_language="en")


@lru_cache(maxsize=1)
def analyzer():
    """Return the Presidio ``AnalyzerEngine`` of this process (built once, offline)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    with _lock:
        keep_tldextract_offline()
        model = _spacy_model_name()
        nlp = _model_nlp_engine(model) if model else blank_nlp_engine()
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(workbench_recognizer())
        if model:
            from presidio_analyzer.predefined_recognizers import SpacyRecognizer

            registry.add_recognizer(SpacyRecognizer(supported_entities=["PERSON"]))
        return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def engine_info() -> dict:
    """Return which NLP engine runs (``spacy:<model>`` or ``blank:en``) and what it detects."""
    model = _spacy_model_name()
    from importlib.metadata import version

    return {
        "nlp_engine": f"spacy:{model}" if model else "blank:en",
        "recognizers": "workbench patterns + key/header context + name gazetteers"
                       + (" + spaCy NER (PERSON)" if model else
                          " + shipped prose model (PERSON, LOCATION)" if ner.enabled()
                          and ner.MODEL_PATH.exists() else ""),
        "entities": list(ENTITIES),
        "presidio_analyzer": version("presidio-analyzer"),
    }


@lru_cache(maxsize=1)
def _uses_model() -> bool:
    return _spacy_model_name() is not None


def _overlaps(f: Finding, others: list[Finding]) -> bool:
    return any(o.start < f.end and f.start < o.end for o in others)


def _confirmed(tentative: list[Finding], names: list[Finding]) -> list[Finding]:
    """Return the weak-cue names a model span confirms, at the score of a context rule."""
    return [Finding(f.entity_type, f.start, f.end, 0.7, f.recognizer) for f in tentative
            if _overlaps(f, names)]


def _split(found: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Return ``(findings, tentative)``: a name after a weak cue stands only when a model confirms it."""
    tentative = [f for f in found if f.recognizer == WEAK_CUE_REC]
    if tentative:
        found = [f for f in found if f.recognizer != WEAK_CUE_REC]
    return found, tentative


def _with_names(found: list[Finding], tentative: list[Finding],
                extra: list[Finding]) -> list[Finding]:
    """Return the findings with the model's names and the weak-cue names a model confirms."""
    if tentative:
        # without a model to ask, keep them: a leaked name costs more than a masked company
        people = [f for f in extra if f.entity_type == "PERSON"]
        extra = extra + (_confirmed(tentative, people) if ner.available() else tentative)
    return resolve(found + extra) if extra else found


def detect(text: str) -> list[Finding]:
    """Return the PII findings in ``text``, non-overlapping and ordered by position."""
    if not text:
        return []
    found, tentative = _split(scan(text))
    if not _uses_model():
        # the shipped name models, on prose lines only
        return _with_names(found, tentative, ner.names(text, found))
    extra = [Finding(r.entity_type, r.start, r.end, r.score,
                     (r.recognition_metadata or {}).get("recognizer_name", "spacy"))
             for r in analyzer().analyze(text, language="en", entities=["PERSON"])
             if r.score >= 0.5]
    extra = [f for f in extra if f.recognizer not in ("WorkbenchRecognizer", WEAK_CUE_REC)
             and not f.recognizer.startswith(("name_", "kv_", "csv_", "xml_"))
             and text[f.start:f.end][:1].isupper()]
    return resolve(found + extra + _confirmed(tentative, extra))


def detect_many(texts: list[str]) -> list[list[Finding]]:
    """Return ``detect(text)`` for each text; the shipped models read all their lines in batches."""
    if _uses_model():
        return [detect(t) for t in texts]
    split = [_split(scan(t)) if t else ([], []) for t in texts]
    extras = ner.names_many([t or "" for t in texts], [f for f, _ in split])
    return [_with_names(f, tent, extra) for (f, tent), extra in zip(split, extras, strict=True)]
