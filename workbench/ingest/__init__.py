"""Ingestion: streaming line readers and vendor log mappings (YAML) to canonical events.

Kept light: submodules import Polars lazily where the CLI may import this package.
"""
from __future__ import annotations

__all__ = ["available_vendors", "detect_vendor", "load_mapping", "parse_file"]


def __getattr__(name):
    if name in ("available_vendors", "load_mapping"):
        from . import vendor_mapping
        return getattr(vendor_mapping, name)
    if name == "detect_vendor":
        from .vendor_detect import detect_vendor
        return detect_vendor
    if name == "parse_file":
        from .vendor_parse import parse_file
        return parse_file
    raise AttributeError(name)
