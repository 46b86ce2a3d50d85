"""The Domain Catalog (§8): live and staged catalogs, auto-tests and promotion.

The shipped catalog is ``domains.yml`` in this package. A workspace gets its own *live* catalog
(``data/migration/domains_live.yml``) the first time a staged delta is promoted; *staged* deltas
(new aliases, negatives, a regex) collect in ``data/migration/domains_staged.yml`` from the
Domain Studio. Promotion runs the auto-tests, bumps the version, writes the live file, clears
the stage, drops the cache entries that depended on the old catalog and writes a ledger event.

A loaded catalog computes, once, what scoring needs: the words of its aliases
(``vocabulary``, for splitting run-together headers), its domains' value vectors re-weighted
by how few domains share a feature (``value_idf``, ``value_vectors``), each regex's
specificity, the Polars form of each regex that Polars reads exactly like ``re`` on the
catalog's examples (``rust_regex``), and which domains are a composite and its part
(``related``).

Examples
--------
>>> cat = load_catalog()
>>> len(cat.domains) >= 60, cat.get("contact.email").type
(True, 'string')
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from ...errors import BadInput
from .headers import Vocabulary, fold, split_words
from .vectors import name_vectors, value_vectors

SHIPPED = Path(__file__).resolve().parent / "domains.yml"
CACHE_NAMESPACE = "migration.domains"


@dataclass
class Domain:
    """One domain of the catalog."""

    id: str
    kind: str
    type: str
    description: str
    aliases: dict[str, list[str]]
    negatives: list[str]
    regex: str
    units: list[str]
    examples: list[str]
    parts: list[str] = field(default_factory=list)

    @property
    def group(self) -> str:
        """Return the group of the domain (``person`` of ``person.first_name``)."""
        return self.id.split(".", 1)[0]

    @property
    def words(self) -> list[str]:
        """Return every alias (all languages) and the id's words, folded, unique."""
        out = [fold(self.id.split(".", 1)[-1].replace("_", " "))]
        for names in self.aliases.values():
            out.extend(fold(str(a)) for a in names)
        return list(dict.fromkeys(w.strip() for w in out if str(w).strip()))

    @cached_property
    def pattern(self) -> re.Pattern | None:
        """Return the compiled value regex (full match), or None."""
        return re.compile(self.regex) if self.regex else None

    @cached_property
    def pattern_any_case(self) -> re.Pattern | None:
        """Return the value regex ignoring case (validity of transformed values: ``carl`` is a
        first name even if the catalog's examples are capitalized)."""
        return re.compile(self.regex, re.IGNORECASE) if self.regex else None


class DomainCatalog:
    """A loaded catalog with its vocabulary, value vectors, regex forms and specificity."""

    def __init__(self, data: dict, source: str):
        self.source = source
        self.version = str(data.get("version", "0"))
        self.domains = [_domain(d) for d in data["domains"]]
        self._by_id = {d.id: d for d in self.domains}
        canonical = json.dumps(data, sort_keys=True, default=str).encode()
        self.sha256 = hashlib.sha256(canonical).hexdigest()
        self.data = data

    def get(self, domain_id: str) -> Domain:
        """Return the domain ``domain_id``."""
        return self._by_id[domain_id]

    @property
    def ids(self) -> list[str]:
        """Return every domain id in catalog order."""
        return list(self._by_id)

    @cached_property
    def alias_index(self) -> tuple[np.ndarray, list[int], list[str]]:
        """Return (alias vectors, owning domain index per row, alias text per row)."""
        texts, owners = [], []
        for i, d in enumerate(self.domains):
            for w in d.words:
                texts.append(w)
                owners.append(i)
        return name_vectors(texts), owners, texts

    @cached_property
    def negative_index(self) -> dict[int, set[str]]:
        """Return the folded negatives of each domain."""
        return {i: {fold(n) for n in d.negatives} for i, d in enumerate(self.domains)}

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Return the words of every alias (headers are split into these)."""
        return Vocabulary(w for d in self.domains for a in d.words for w in split_words(a)
                          if not w.isdigit())

    @cached_property
    def _raw_value_vectors(self) -> np.ndarray:
        return value_vectors([d.examples for d in self.domains])

    @cached_property
    def value_idf(self) -> np.ndarray:
        """Return per value feature log(1 + domains / domains whose examples have it)."""
        df = (self._raw_value_vectors > 0).sum(axis=0)
        return np.log1p(len(self.domains) / np.maximum(df, 1)).astype(np.float32)

    def weighted_values(self, vectors: np.ndarray) -> np.ndarray:
        """Return value vectors re-weighted by ``value_idf`` and normalized (rows)."""
        m = vectors * self.value_idf
        norms = np.linalg.norm(m, axis=-1, keepdims=True)
        return m / np.where(norms == 0, 1.0, norms)

    @cached_property
    def value_vectors(self) -> np.ndarray:
        """Return one value vector per domain, from its examples (IDF-weighted)."""
        return self.weighted_values(self._raw_value_vectors)

    @cached_property
    def regex_specificity(self) -> np.ndarray:
        """Return per domain 1 − the share of other domains' examples its regex matches."""
        out = np.ones(len(self.domains), dtype=np.float64)
        others = [(i, str(x).strip()) for i, d in enumerate(self.domains) for x in d.examples]
        for i, d in enumerate(self.domains):
            if d.pattern is None:
                out[i] = 0.0
                continue
            foreign = [x for j, x in others if j != i and self.domains[j].id not in d.parts
                       and d.id not in self.domains[j].parts]
            hits = sum(1 for x in foreign if d.pattern.fullmatch(x))
            out[i] = max(0.1, 1.0 - 4.0 * hits / max(len(foreign), 1))
        return out

    @cached_property
    def _rust_patterns(self) -> list[str | None]:
        """Per domain the regex for Polars when it compiles there and agrees with ``re`` on
        every example of the catalog; else None (the column is matched with ``re``)."""
        import polars as pl

        probe = [str(x).strip() for d in self.domains for x in d.examples]
        probe += [p.upper() for p in probe] + [p.title() for p in probe] + ["", " ", "a\nb"]
        compiled = {i: f"^(?:{d.regex})$" for i, d in enumerate(self.domains)
                    if d.pattern is not None and _polars_compiles(f"^(?:{d.regex})$")}
        frame = pl.DataFrame({"v": probe}).select(
            [pl.col("v").str.contains(p).alias(str(i)) for i, p in compiled.items()])
        out: list[str | None] = [None] * len(self.domains)
        for i, pattern in compiled.items():
            hits = frame[str(i)].to_list()
            regex = self.domains[i].pattern
            if all(bool(h) == (regex.fullmatch(x) is not None)
                   for h, x in zip(hits, probe, strict=True)):
                out[i] = pattern
        return out

    def rust_regex(self, index: int) -> str | None:
        """Return the Polars form of domain ``index``'s regex, or None to use ``re``."""
        return self._rust_patterns[index]

    @cached_property
    def related(self) -> np.ndarray:
        """Return domains × domains: True for the same domain or a composite and its part."""
        n = len(self.domains)
        out = np.eye(n, dtype=bool)
        index = {d.id: i for i, d in enumerate(self.domains)}
        for i, d in enumerate(self.domains):
            for part in d.parts:
                if part in index:
                    out[i, index[part]] = out[index[part], i] = True
        return out


def _polars_compiles(pattern: str) -> bool:
    """Return whether Polars (Rust ``regex``) compiles a pattern (no look-arounds etc.)."""
    import polars as pl

    try:
        pl.Series("v", ["x"], dtype=pl.Utf8).str.contains(pattern)
    except Exception:  # noqa: BLE001 - any compile error: Python's re decides instead
        return False
    return True


def _domain(d: dict) -> Domain:
    return Domain(id=d["id"], kind=d.get("kind", "atomic"), type=d.get("type", "string"),
                  description=d.get("description", ""), aliases=d.get("aliases") or {},
                  negatives=list(d.get("negatives") or []), regex=d.get("regex") or "",
                  units=[str(u).lower() for u in d.get("units") or []],
                  examples=[str(x) for x in d.get("examples") or []],
                  parts=list(d.get("parts") or []))


def workspace_dir(settings) -> Path:
    """Return ``data/migration`` of the workspace (created)."""
    d = settings.data_dir / "migration"
    d.mkdir(parents=True, exist_ok=True)
    return d


def live_path(settings) -> Path:
    """Return the live catalog in use: the workspace's, else the shipped one."""
    if settings is not None:
        p = settings.data_dir / "migration" / "domains_live.yml"
        if p.is_file():
            return p
    return SHIPPED


def load_catalog(settings=None, path: str | Path | None = None) -> DomainCatalog:
    """Return the live catalog (the workspace's, else the shipped one), or the one at ``path``."""
    p = Path(path) if path else live_path(settings)
    return _load(str(p), p.stat().st_mtime_ns)


_LOADED: dict[tuple[str, int], DomainCatalog] = {}


def _load(path: str, mtime: int) -> DomainCatalog:
    import yaml

    key = (path, mtime)
    if key not in _LOADED:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        problems = check_catalog(data)
        if problems:
            raise BadInput(f"domain catalog {path}: {problems[0]}")
        _LOADED[key] = DomainCatalog(data, path)
    return _LOADED[key]


def check_catalog(data: dict) -> list[str]:
    """Return the catalog's problems (the auto-tests of a promotion); empty when it is sound."""
    if not isinstance(data, dict) or not isinstance(data.get("domains"), list):
        return ["expected a mapping with a list 'domains'"]
    problems, ids, owner = [], set(), {}
    for d in data["domains"]:
        did = d.get("id", "?")
        if did in ids:
            problems.append(f"{did}: id appears twice")
        ids.add(did)
        try:
            pattern = re.compile(d["regex"]) if d.get("regex") else None
        except re.error as exc:
            problems.append(f"{did}: regex does not compile: {exc}")
            continue
        examples = [str(x).strip() for x in d.get("examples") or []]
        if pattern is not None and examples:
            hit = sum(1 for x in examples if pattern.fullmatch(x)) / len(examples)
            if hit < 0.8:
                problems.append(f"{did}: regex matches only {hit:.0%} of its examples")
        for names in (d.get("aliases") or {}).values():
            for a in names:
                prev = owner.setdefault(fold(str(a)).strip(), did)
                if prev != did:
                    problems.append(f"{did}: alias {a!r} is already an alias of {prev}")
        negatives = {fold(n) for n in d.get("negatives") or []}
        clash = negatives & {fold(str(a)) for v in (d.get("aliases") or {}).values() for a in v}
        if clash:
            problems.append(f"{did}: {min(clash)!r} is both an alias and a negative")
    for d in data["domains"]:
        for part in d.get("parts") or []:
            if part not in ids:
                problems.append(f"{d.get('id')}: part {part!r} is not a domain")
    return problems


# staged deltas and promotion ---------------------------------------------------------------------
def staged_path(settings) -> Path:
    """Return the staged-deltas file of the workspace."""
    return workspace_dir(settings) / "domains_staged.yml"


def staged(settings) -> list[dict]:
    """Return the staged deltas (new aliases, negatives or regex per domain)."""
    import yaml

    p = staged_path(settings)
    return list(yaml.safe_load(p.read_text(encoding="utf-8")) or []) if p.is_file() else []


def stage_delta(settings, *, domain: str, actor: dict, aliases: list[str] | None = None,
                language: str = "en", negatives: list[str] | None = None, regex: str = "",
                reason: str = "") -> dict:
    """Add a delta to the staged catalog (Domain Studio: add alias); return it."""
    import yaml

    catalog = load_catalog(settings)
    if domain not in catalog.ids:
        raise BadInput(f"no domain {domain!r} in the catalog")
    delta = {"domain": domain, "language": language, "aliases": list(aliases or []),
             "negatives": list(negatives or []), "regex": regex, "reason": reason,
             "proposed_by": dict(actor), "at": datetime.now(UTC).isoformat(timespec="seconds")}
    items = [*staged(settings), delta]
    staged_path(settings).write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    return delta


def _apply_deltas(data: dict, deltas: list[dict]) -> dict:
    out = json.loads(json.dumps(data))
    by_id = {d["id"]: d for d in out["domains"]}
    for delta in deltas:
        d = by_id[delta["domain"]]
        lang = delta.get("language") or "en"
        aliases = d.setdefault("aliases", {}).setdefault(lang, [])
        aliases.extend(a for a in delta.get("aliases") or [] if a not in aliases)
        negs = d.setdefault("negatives", [])
        negs.extend(n for n in delta.get("negatives") or [] if n not in negs)
        if delta.get("regex"):
            d["regex"] = delta["regex"]
    return out


def bump(version: str) -> str:
    """Return the next minor version (``1.0.0`` → ``1.1.0``)."""
    parts = [int(p) if p.isdigit() else 0 for p in (version.split(".") + ["0", "0"])[:3]]
    return f"{parts[0]}.{parts[1] + 1}.0"


def promote(settings, actor: dict, *, policy=None) -> dict:
    """Promote the staged deltas to the live catalog after the auto-tests; return a summary.

    Deltas that fail the auto-tests stay staged with the reason; the others become a new live
    version. Cache entries of the old catalog (model answers about borderline columns) are
    dropped. RBAC: ``promote_domains``.
    """
    import yaml

    from ... import cache
    from ...policy import load as load_policy
    from ...runs import append_ledger

    policy = policy or load_policy()
    policy.require(policy.allows_action(actor, "promote_domains"))
    deltas = staged(settings)
    if not deltas:
        return {"promoted": 0, "rejected": [], "version": load_catalog(settings).version}
    current = load_catalog(settings)
    base = current.data
    accepted, rejected = [], []
    for delta in deltas:
        if delta.get("domain") not in current.ids:
            rejected.append({**delta, "problem": f"no domain {delta.get('domain')!r}"})
            continue
        trial = _apply_deltas(base, [*accepted, delta])
        problems = check_catalog(trial)
        if problems:
            rejected.append({**delta, "problem": problems[0]})
        else:
            accepted.append(delta)
    version = current.version
    if accepted:
        new = _apply_deltas(base, accepted)
        version = new["version"] = bump(current.version)
        new.setdefault("provenance", []).append(
            {"version": version, "from": current.version, "deltas": len(accepted),
             "by": dict(actor), "at": datetime.now(UTC).isoformat(timespec="seconds")})
        target = workspace_dir(settings) / "domains_live.yml"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")
        tmp.replace(target)
        cache.clear(CACHE_NAMESPACE, settings=settings)
    remaining = [{k: v for k, v in r.items() if k != "problem"} for r in rejected]
    staged_path(settings).write_text(yaml.safe_dump(remaining, allow_unicode=True,
                                                    sort_keys=False), encoding="utf-8")
    summary = {"promoted": len(accepted), "rejected": [
        {"domain": r.get("domain"), "problem": r["problem"]} for r in rejected],
        "from_version": current.version, "version": version}
    append_ledger(settings, run_id=None, stage="domains", event="domains_promoted",
                  decision="accept" if accepted else "reject", policy_version=policy.version,
                  detail={**summary, "actor": dict(actor)})
    return summary
