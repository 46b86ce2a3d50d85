"""Tier-2 features: tier-1 signals pivoted per module plus text features, built in Polars.

One row per trace of the batch, in batch order: ``trace_id`` and ``feature_names(modules)``
as Float64 (null = missing, which LightGBM treats as such). Every feature of a row depends on
that row (and its tier-1 rows) only, so batch order and batch company never change it.

- tier-1 signals, per module of ``modules``: ``t1_<module>_flagged`` (1/0, null when the module
  did not evaluate the trace), ``_severity`` (rank 0 none … 4 critical) and ``_score``; plus
  the count of flags, the worst rank and the highest score over all tier-1 rows;
- text: lengths, word counts and ratios of prompt / response / system, tokens, max-token use,
  latency, finish_reason and expected_format one-hot, digit / punctuation / uppercase /
  non-ASCII shares, the response's ending and shape, repeated word-trigram and line shares,
  word overlap with the prompt, masking placeholders;
- hashed n-grams of the response: character trigrams of its first ``CHAR_WINDOW`` characters
  and word uni+bigrams of its first ``WORD_WINDOW`` words, each hashed (CRC-32, stable across
  versions and machines) into ``BUCKETS`` buckets, as shares of the n-grams of that row.

Masked text (``<EMAIL_ADDRESS_3f9a1c>``) loses its pseudonym suffix first, so the features do
not depend on the workspace's masking key. Feature names never contain trace text.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import polars as pl

from .modules import RANK

BUCKETS = 32
CHAR_WINDOW = 512
WORD_WINDOW = 160
CHUNK = 4096  # traces per n-gram explosion, so memory is bounded by the chunk
FINISH = ("stop", "length", "content_filter", "tool_calls")
FORMATS = ("json", "json_schema", "text")
PLACEHOLDER = r"<([A-Z][A-Z0-9_]*?)(?:_[0-9a-f]{4,32})?>"
_WORD = r"[\w']+"
_PUNCT = r"[\p{P}\p{S}]"
_END_OK = r"[.!?。！？…:;)\]}\"'`*>]\s*$"
TEXT_FEATURES = (
    "prompt_chars", "response_chars", "system_chars", "prompt_words", "response_words",
    "response_prompt_chars_ratio", "response_prompt_words_ratio", "messages", "tokens_in",
    "tokens_out", "max_tokens", "tokens_out_max_ratio", "chars_per_token_out", "latency_ms",
    "ms_per_token_out", *(f"finish_{f}" for f in FINISH), "finish_other",
    *(f"format_{f}" for f in FORMATS), "response_digit_share", "response_punct_share",
    "response_upper_share", "response_nonascii_share", "response_space_share",
    "prompt_digit_share", "prompt_nonascii_share", "response_lines", "response_ends_ok",
    "response_starts_json", "response_fences_odd", "response_question", "response_placeholders",
    "response_repeated_trigram_share", "response_repeated_line_share", "response_prompt_overlap",
    "response_new_word_share",
)


def module_key(name: str) -> str:
    """Return a module name as a feature-name fragment (lowercase letters, digits, ``_``)."""
    return re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "module"


def tier1_feature_names(modules: Sequence[str]) -> list[str]:
    """Return the tier-1 feature names for ``modules`` (in the order given)."""
    per = [f"t1_{module_key(m)}_{k}" for m in modules for k in ("flagged", "severity", "score")]
    return [*per, "t1_flags", "t1_max_severity", "t1_max_score"]


def ngram_feature_names(buckets: int = BUCKETS) -> list[str]:
    """Return the hashed n-gram feature names (character trigrams, then words)."""
    return [f"ng_char_{i:02d}" for i in range(buckets)] + [
        f"ng_word_{i:02d}" for i in range(buckets)]


def feature_names(modules: Sequence[str], buckets: int = BUCKETS) -> list[str]:
    """Return every feature name, in model column order, for tier-1 ``modules``."""
    return [*tier1_feature_names(modules), *TEXT_FEATURES, *ngram_feature_names(buckets)]


def _len(col: str) -> pl.Expr:
    return pl.col(col).fill_null("").str.len_chars().cast(pl.Float64)


def _share(col: str, pattern: str, of: pl.Expr | None = None) -> pl.Expr:
    n = pl.col(col).str.count_matches(pattern).cast(pl.Float64)
    return n / pl.max_horizontal(of if of is not None else _len(col), pl.lit(1.0))


def _ratio(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return a.cast(pl.Float64) / pl.max_horizontal(b.cast(pl.Float64), pl.lit(1.0))


def _repeated(items: pl.Expr) -> pl.Expr:
    return _ratio(items.list.len() - items.list.n_unique(), items.list.len())


def _text_exprs() -> list[pl.Expr]:
    r = pl.col("response")
    words = pl.col("_rw").list.len().cast(pl.Float64)
    tri = pl.col("_rw").list.eval(pl.concat_str(
        [pl.element(), pl.element().shift(-1), pl.element().shift(-2)], separator=" "
    ).drop_nulls())
    lines = r.str.split("\n").list.eval(pl.element().str.strip_chars()).list.eval(
        pl.element().filter(pl.element() != ""))
    overlap = pl.col("_rw").list.unique().list.set_intersection(pl.col("_pw").list.unique())
    resp_unique = pl.max_horizontal(pl.col("_rw").list.n_unique().cast(pl.Float64), pl.lit(1.0))
    fin, fmt = pl.col("finish_reason"), pl.col("expected_format")
    letters = r.str.count_matches(r"\p{L}").cast(pl.Float64)
    exprs = {
        "prompt_chars": _len("prompt"), "response_chars": _len("response"),
        "system_chars": _len("system"), "prompt_words": pl.col("_pw").list.len(),
        "response_words": words,
        "response_prompt_chars_ratio": _ratio(_len("response"), _len("prompt")),
        "response_prompt_words_ratio": _ratio(words, pl.col("_pw").list.len()),
        "messages": pl.col("messages").str.count_matches(r'"role"\s*:'),
        "tokens_in": pl.col("tokens_in"), "tokens_out": pl.col("tokens_out"),
        "max_tokens": pl.col("max_tokens"),
        "tokens_out_max_ratio": pl.col("tokens_out") / pl.col("max_tokens").replace(0, None),
        "chars_per_token_out": _ratio(_len("response"), pl.col("tokens_out")),
        "latency_ms": pl.col("latency_ms"),
        "ms_per_token_out": _ratio(pl.col("latency_ms"), pl.col("tokens_out")),
        **{f"finish_{f}": (fin == f).fill_null(False) for f in FINISH},
        "finish_other": ~fin.is_in(FINISH).fill_null(False),
        **{f"format_{f}": (fmt == f).fill_null(False) for f in FORMATS},
        "response_digit_share": _share("response", r"\d"),
        "response_punct_share": _share("response", _PUNCT),
        "response_upper_share": _share("response", r"\p{Lu}", letters),
        "response_nonascii_share": _share("response", r"[^\x00-\x7f]"),
        "response_space_share": _share("response", r"\s"),
        "prompt_digit_share": _share("prompt", r"\d"),
        "prompt_nonascii_share": _share("prompt", r"[^\x00-\x7f]"),
        "response_lines": lines.list.len(),
        "response_ends_ok": r.str.contains(_END_OK),
        "response_starts_json": r.str.strip_chars_start().str.contains(r"^[\[{]"),
        "response_fences_odd": r.str.count_matches("```") % 2 == 1,
        "response_question": r.str.contains(r"[?？]"),
        "response_placeholders": r.str.count_matches(r"<[A-Z][A-Z0-9_]*>"),
        "response_repeated_trigram_share": _repeated(tri),
        "response_repeated_line_share": _repeated(lines),
        "response_prompt_overlap": overlap.list.len().cast(pl.Float64) / resp_unique,
        "response_new_word_share": 1.0 - overlap.list.len().cast(pl.Float64) / resp_unique,
    }
    return [e.cast(pl.Float64).alias(k) for k, e in exprs.items()]


def _crc_buckets(values: pl.Series, buckets: int) -> pl.Series:
    """Return the CRC-32 bucket of each distinct n-gram (stable across Polars versions)."""
    return pl.Series([zlib.crc32(v.encode()) % buckets for v in values.to_list()],
                     dtype=pl.Int32)


def _bucket_shares(grams: pl.DataFrame, rows: int, prefix: str, buckets: int) -> pl.DataFrame:
    """Return per row (``_row`` 0..rows-1) the share of its n-grams in each hash bucket."""
    uniq = grams.select(pl.col("g").unique())
    uniq = uniq.with_columns(_crc_buckets(uniq["g"], buckets).alias("b"))
    counts = (grams.join(uniq, on="g", how="left").group_by("_row")
              .agg([(pl.col("b") == i).sum().alias(f"{prefix}_{i:02d}") for i in range(buckets)]
                   + [pl.len().alias("_n")]))
    names = [f"{prefix}_{i:02d}" for i in range(buckets)]
    base = pl.DataFrame({"_row": pl.arange(0, rows, eager=True, dtype=pl.UInt32)})
    return base.join(counts, on="_row", how="left").sort("_row").select(
        "_row", *[(pl.col(n).cast(pl.Float64) / pl.col("_n")).fill_null(0.0).alias(n)
                  for n in names])


def _ngrams(chunk: pl.DataFrame, buckets: int) -> pl.DataFrame:
    """Return the hashed n-gram shares of one chunk of prepared rows (``_row``, ``_rl``, ``_rw``)."""
    rows = chunk.height
    text = chunk.select(pl.col("_row"), pl.col("_rl").str.slice(0, CHAR_WINDOW).alias("t"))
    chars = (text.with_columns(pl.int_ranges(0, (pl.col("t").str.len_chars().cast(pl.Int64) - 2).clip(0))
                               .alias("i")).explode("i", empty_as_null=False)
             .select("_row", pl.col("t").str.slice(pl.col("i"), 3).alias("g")))
    w = chunk.select("_row", pl.col("_rw").list.head(WORD_WINDOW).alias("w"))
    pairs = w.select("_row", pl.col("w").list.eval(pl.concat_str(
        [pl.element(), pl.element().shift(-1)], separator=" ").drop_nulls()).alias("g"))
    words = pl.concat([w.rename({"w": "g"}), pairs]).explode("g", empty_as_null=False)
    out = _bucket_shares(chars, rows, "ng_char", buckets)
    return out.join(_bucket_shares(words, rows, "ng_word", buckets), on="_row").drop("_row")


def _tier1(ids: pl.DataFrame, prior: pl.DataFrame | None, modules: Sequence[str]) -> pl.DataFrame:
    """Return the tier-1 features per ``_row`` of ``ids`` from the tier-1 result rows."""
    names = tier1_feature_names(modules)
    if prior is None or prior.height == 0:
        return ids.select("_row", *[pl.lit(None, pl.Float64).alias(n) for n in names])
    rows = prior.lazy().filter(pl.col("module").is_in(list(modules)))
    if "tier" in prior.columns:
        rows = rows.filter(pl.col("tier") == 1)
    rows = rows.select(pl.col("trace_id").cast(pl.Utf8), pl.col("module").cast(pl.Utf8),
                       (~pl.col("passed")).cast(pl.Float64).alias("f"),
                       pl.col("severity").replace_strict(RANK, default=None,
                                                         return_dtype=pl.Float64).alias("s"),
                       pl.col("score").cast(pl.Float64).alias("x"))
    aggs = []
    for m in modules:
        own = pl.col("module") == m
        key = f"t1_{module_key(m)}"
        aggs += [pl.col("f").filter(own).max().alias(f"{key}_flagged"),
                 pl.col("s").filter(own).max().alias(f"{key}_severity"),
                 pl.col("x").filter(own).max().alias(f"{key}_score")]
    aggs += [pl.col("f").fill_null(0).sum().alias("t1_flags"),
             pl.col("s").max().alias("t1_max_severity"), pl.col("x").max().alias("t1_max_score")]
    per = rows.group_by("trace_id").agg(aggs)
    return (ids.lazy().join(per, on="trace_id", how="left").sort("_row")
            .select("_row", *[pl.col(n).cast(pl.Float64) for n in names]).collect())


def build_features(batch: pl.DataFrame, prior: pl.DataFrame | None = None,
                   modules: Sequence[str] = (), buckets: int = BUCKETS) -> pl.DataFrame:
    """Return ``trace_id`` + ``feature_names(modules, buckets)`` (Float64), one row per trace."""
    text_cols = ("prompt", "response", "system", "messages")
    prepared = batch.lazy().with_row_index("_row").select(
        "_row", pl.col("trace_id").cast(pl.Utf8),
        *[pl.col(c).cast(pl.Utf8).fill_null("").str.replace_all(PLACEHOLDER, "<$1>").alias(c)
          for c in text_cols],
        pl.col("finish_reason", "expected_format").cast(pl.Utf8),
        pl.col("tokens_in", "tokens_out", "max_tokens", "latency_ms").cast(pl.Float64),
    ).with_columns(
        pl.col("response").str.to_lowercase().alias("_rl"),
        pl.col("response").str.to_lowercase().str.extract_all(_WORD).alias("_rw"),
        pl.col("prompt").str.to_lowercase().str.extract_all(_WORD).alias("_pw"),
    ).collect()
    text = prepared.select("_row", "trace_id", *_text_exprs())
    grams = pl.concat([_ngrams(prepared.slice(o, CHUNK).with_columns(pl.col("_row") - o),
                               buckets) for o in range(0, max(prepared.height, 1), CHUNK)])
    tier1 = _tier1(prepared.select("_row", "trace_id"), prior, modules)
    out = text.hstack(grams.head(prepared.height)).join(
        tier1, on="_row", how="left").sort("_row")
    return out.select("trace_id", *feature_names(modules, buckets))
