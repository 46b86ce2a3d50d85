"""Name similarity through an ``llm`` embedding model, when a run names one (``embedding_model``).

Headers and the catalog's aliases are embedded (headers masked first and checked by the egress
guard; aliases are the catalog's own words), cached per model and text in the workbench cache,
and compared by cosine; the result joins the offline n-gram similarity (the larger wins), so a
model can only add synonyms the n-grams miss (``Geburtstag`` ~ ``date of birth``). Every batch
sent is a ledger event; the provider is checked against the policy first.
"""
from __future__ import annotations

import numpy as np

from ... import cache
from ...pii import guard, mask
from .headers import header_words

NAMESPACE = "migration.embeddings"


def embed(texts: list[str], model_id: str, settings, *, run_id: str | None = None,
          stage: str | None = None) -> np.ndarray:
    """Return one L2-normalized embedding per text (cached per model and text)."""
    import llm

    from ...runs import append_ledger

    keys = [cache.cache_key("embedding", model_id, t) for t in texts]
    found = cache.get_many(NAMESPACE, keys, settings=settings)
    missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in found]
    if missing:
        for _, t in missing:
            guard(t)
        model = llm.get_embedding_model(model_id)
        vectors = list(model.embed_multi([t for _, t in missing]))
        cache.put_many(NAMESPACE, [(k, list(map(float, v)))
                                   for (k, _), v in zip(missing, vectors, strict=True)],
                       settings=settings)
        found.update({k: v for (k, _), v in zip(missing, vectors, strict=True)})
        if run_id:
            append_ledger(settings, run_id=run_id, stage=stage, event="embeddings",
                          model=model_id, pii_mask_applied=True,
                          detail={"texts": len(missing), "cached": len(texts) - len(missing)})
    m = np.array([found[k] for k in keys], dtype=np.float64)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def name_similarity(cols, catalog, model_id: str, settings, *, run_id: str | None = None,
                    stage: str | None = None) -> np.ndarray:
    """Return columns × domains: the best cosine of each header to any alias of each domain."""
    _, owners, aliases = catalog.alias_index
    headers = [mask(header_words(c.name, c.table), "redact", settings=settings).text
               for c in cols]
    h = embed(headers, model_id, settings, run_id=run_id, stage=stage)
    a = embed(aliases, model_id, settings, run_id=run_id, stage=stage)
    sims = np.clip(h @ a.T, 0.0, 1.0)
    owners_arr = np.asarray(owners)
    out = np.zeros((len(cols), len(catalog.domains)))
    for d in range(len(catalog.domains)):
        idx = np.flatnonzero(owners_arr == d)
        if idx.size:
            out[:, d] = sims[:, idx].max(axis=1)
    return out
