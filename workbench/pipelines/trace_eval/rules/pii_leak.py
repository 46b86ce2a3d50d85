"""``pii_leak``: PII or secrets in the output that the prompt, system or messages did not hold.

A Polars pattern made of the detector's own anchors (``@``, long digit runs, secret prefixes,
credential words) selects candidate outputs; the workbench PII detector runs on those only and
every value it finds is looked up in the trace's input text (case-insensitive; phones, cards and
account numbers compared by digits). Values the user gave are not a leak; documentation values
(example.com, test card numbers, private IPs) are ignored. Reasons give types and counts only.
"""
from __future__ import annotations

import ipaddress
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, ClassVar

import polars as pl

from ..modules import RANK, TraceModule, candidates, hits_from_rows, results_from_hits

SEVERITY = {
    "CREDIT_CARD": "critical", "US_SSN": "critical", "IBAN_CODE": "critical",
    "PASSWORD": "critical", "CLOUD_KEY": "critical", "API_KEY": "critical",
    "AUTH_TOKEN": "critical", "JWT": "critical", "PRIVATE_KEY": "critical",
    "EMAIL_ADDRESS": "high", "PHONE_NUMBER": "high", "IP_ADDRESS": "medium", "USERNAME": "medium",
    "PERSON": "low",
}
SCORE = {"critical": 0.95, "high": 0.8, "medium": 0.5, "low": 0.3}
_DIGITS_COMPARED = {"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"}
# the detector's anchors (workbench.pii.scanner), without the name rules
PREFILTER = (
    r"@|%40|\d(?:[ .\-()/+]{0,2}\d){6,}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|"
    r"[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{1,4}|[A-Z]{2}\d{2} ?[A-Z0-9]{4}|"
    r"eyJ|PRIVATE KEY|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA|AIza|ya29\.|"
    r"AccountKey=|gh[pousr]_|github_pat_|gl[a-z]{2,6}-|xox|xapp-|hooks\.slack|(?:\A|[^\w-])sk-|"
    r"_live_|_test_|whsec_|SG\.|npm_|pypi-|hf_|shp|dapi|ATATT3|sq0|SK[0-9a-f]{32}|"
    r"Basic [A-Za-z+/]*[0-9+/][A-Za-z0-9+/]{4,}|"
    r"(?i:bearer|secret|passw|passphrase|pwd|api[ _-]?key|access[ _-]?token|auth[ _-]?token|"
    r"authorization|credential|(?:token|user(?:name)?|login|uid)[\"']?\s*[=:])"
)
# dates and times: digit runs that are not PII, taken out before the prefilter looks for numbers
DATES = (r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|"
         r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")
TEST_VALUES = ("4111111111111111", "4242424242424242", "5555555555554444", "378282246310005",
               "4000056655665556", "5105105105105100", "6011111111111117", "123456789",
               "akiaiosfodnn7example", "wjalrxutnfemi/k7mdeng/bpxrficyexamplekey")
_RUNS = re.compile(r"\d[\d \-().+/]*\d")
_NON_DIGIT = re.compile(r"\D")


def context_text(system: str | None, prompt: str | None, messages: str | None,
                 response: str) -> str:
    """Return the trace's input text: system, prompt and message contents (not this answer)."""
    parts = [system or "", prompt or ""]
    try:
        decoded = json.loads(messages) if messages else []
    except (json.JSONDecodeError, TypeError):
        decoded = messages
    if isinstance(decoded, list):
        for m in decoded:
            content = m.get("content") if isinstance(m, dict) else m
            if isinstance(content, list):                  # content parts
                content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p)
                                   for p in content)
            if isinstance(m, dict) and m.get("role") == "assistant" and content == response:
                continue
            parts.append(str(content or ""))
    elif decoded:
        parts.append(str(decoded))
    return "\n".join(parts)


def _ignored(entity: str, value: str, domains: set[str], private_ips: bool,
             values: set[str]) -> bool:
    low = value.lower()
    if low in values or (entity in _DIGITS_COMPARED and _NON_DIGIT.sub("", low) in values):
        return True
    if entity == "EMAIL_ADDRESS":
        domain = low.rsplit("@", 1)[-1].replace("%40", "")
        return any(domain == d or domain.endswith("." + d) for d in domains)
    if entity == "IP_ADDRESS" and private_ips:
        try:
            ip = ipaddress.ip_address(value.strip("[]"))
        except ValueError:
            return False
        return ip.is_private or ip.is_loopback or ip.is_unspecified or ip.is_link_local
    return False


def leaked(findings: list[tuple[str, str]], context: str) -> Counter:
    """Return the count per entity type of ``(type, value)`` findings absent from ``context``.

    >>> leaked([("EMAIL_ADDRESS", "Ann@Corp.io"), ("PHONE_NUMBER", "+1 555 201 3344")],
    ...        "write to ann@corp.io or call (555) 201-3344")
    Counter()
    """
    low = context.lower()
    runs = [_NON_DIGIT.sub("", r) for r in _RUNS.findall(context)] if findings else []
    out: Counter = Counter()
    for entity, value in findings:
        if value.lower() in low:
            continue
        if entity in _DIGITS_COMPARED:
            digits = _NON_DIGIT.sub("", value)
            tail = digits[-9:] if entity == "PHONE_NUMBER" else digits
            if tail and any(tail in r for r in runs):
                continue
        out[entity] += 1
    return out


class PiiLeak(TraceModule):
    """PII or secrets in the output that were not in the input (types and counts reported)."""

    name = "pii_leak"
    tier = 1
    version = "1.0"
    description = "PII and secrets in outputs that the prompt/system/messages did not contain"
    needs_raw = True  # compares raw values of the output and the input: runs before masking
    defaults: ClassVar[dict[str, Any]] = {
        "entities": [e for e in SEVERITY if e != "PERSON"], "detector": "auto",
        "ignore_email_domains": ["example.com", "example.org", "example.net", "example", "test",
                                 "invalid", "localhost"],
        "ignore_private_ips": True, "ignore_values": list(TEST_VALUES)}

    def _detector(self) -> tuple[Callable[[str], list], str]:
        """Return the detector function and the Polars prefilter that matches its anchors."""
        from ....pii.scanner import TRIGGER, scan  # detect's patterns, without the name model

        wanted = set(self.config["entities"])
        prefilter = TRIGGER if "PERSON" in wanted else PREFILTER
        if self.config["detector"] == "full" or (
                self.config["detector"] == "auto" and "PERSON" in wanted):
            from ....pii import detect

            return detect, prefilter
        return scan, prefilter

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged (critical/high/medium) when the output leaks PII."""
        cfg = self.config
        detect, prefilter = self._detector()
        wanted = set(cfg["entities"])
        domains = {d.lower() for d in cfg["ignore_email_domains"]}
        values = {v.lower() for v in cfg["ignore_values"]}
        undated = pl.col("response").str.replace_all(DATES, " ")
        rows = candidates(batch, undated.str.contains(prefilter),
                          ["system", "prompt", "messages", "response"])
        found = []
        for row, system, prompt, messages, response in rows.iter_rows():
            hits = [(f.entity_type, response[f.start:f.end]) for f in detect(response)
                    if f.entity_type in wanted]
            hits = [(e, v) for e, v in hits
                    if not _ignored(e, v, domains, cfg["ignore_private_ips"], values)]
            if not hits:
                continue
            counts = leaked(hits, context_text(system, prompt, messages, response))
            if not counts:
                continue
            severity = max((SEVERITY.get(e, "high") for e in counts), key=RANK.__getitem__)
            listed = ", ".join(f"{n} {e}" for e, n in sorted(counts.items()))
            found.append((row, severity, SCORE[severity],
                          f"{listed} in the output, not in the prompt or messages"))
        return results_from_hits(batch, [hits_from_rows(found)],
                                 skipped=pl.col("response").is_null(),
                                 skipped_reason="not evaluated: no response")
