"""``vendor=auto``: pick the vendor mapping whose detection hints match a file's first lines."""
from __future__ import annotations

import re
from pathlib import Path

from .lines import read_head
from .vendor_mapping import available_vendors, load_mapping

SAMPLE_LINES = 50


def detect_vendor(path: Path) -> str | None:
    """Return the vendor whose hints match most of the file's first lines, or None."""
    head = [ln for ln in read_head(Path(path)) if ln.strip()][:SAMPLE_LINES]
    best, best_score = None, 0
    for vendor in available_vendors():
        d = load_mapping(vendor).detect
        score = 0
        if d.header:
            rx = re.compile(d.header)
            score += 10 * sum(1 for ln in head if ln.startswith("#") and rx.search(ln))
        if d.line:
            rx = re.compile(d.line)
            score += sum(1 for ln in head if not ln.startswith("#") and rx.search(ln))
        if score > best_score:
            best, best_score = vendor, score
    return best
