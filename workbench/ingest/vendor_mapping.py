"""Vendor mapping files (``vendors/<vendor>.yml``): how a vendor's log fields become canonical."""
from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..errors import BadInput

# canonical columns a mapping may fill besides ts and url
CANONICAL = ("user", "department", "client_ip", "method", "status", "bytes_out", "bytes_in",
             "action", "user_agent")
INT_COLUMNS = ("status", "bytes_out", "bytes_in")


class TimeSpec(BaseModel):
    """Which source fields hold the time, joined by a space, and how to read them."""

    model_config = ConfigDict(extra="forbid")
    fields: list[str]
    format: str = "epoch"  # epoch | epoch_ms | iso | a strftime pattern
    timezone: str = "UTC"  # zone of naive times; the canonical ts is always UTC


class UrlSpec(BaseModel):
    """Either one full-URL field, or the parts of the URL in separate fields."""

    model_config = ConfigDict(extra="forbid")
    field: str | None = None
    scheme_field: str | None = None
    port_field: str | None = None
    default_scheme: str = "https"
    scheme: str | None = None
    host: str | None = None
    port: str | None = None
    path: str | None = None
    query: str | None = None


class Detect(BaseModel):
    """Hints for ``vendor=auto``: a regex for data lines or for header/comment lines."""

    model_config = ConfigDict(extra="forbid")
    line: str | None = None
    header: str | None = None


class VendorMapping(BaseModel):
    """One vendor's mapping file, validated."""

    model_config = ConfigDict(extra="forbid")
    vendor: str
    title: str
    kind: Literal["tokens", "regex", "elff", "json", "csv"]
    comment_prefix: str | None = None
    detect: Detect
    layout: str | None = None  # kind tokens: see workbench.ingest.tokens
    pattern: str | None = None  # kind regex: named groups
    positions: dict[str, int] = Field(default_factory=dict)
    min_fields: int = 0
    null_values: list[str] = Field(default_factory=lambda: ["", "-"])
    time: TimeSpec
    url: UrlSpec
    columns: dict[str, str]

    def source_fields(self) -> list[str]:
        """Return every source field the mapping reads, in a stable order."""
        names = [*self.time.fields, *self.columns.values()]
        u = self.url
        names += [f for f in (u.field, u.scheme_field, u.port_field, u.scheme, u.host, u.port,
                              u.path, u.query) if f]
        return list(dict.fromkeys(names))


def _vendor_dir() -> Path:
    return Path(str(resources.files("workbench.ingest") / "vendors"))


def available_vendors() -> list[str]:
    """Return the names of the vendor mappings shipped in the package."""
    return sorted(p.stem for p in _vendor_dir().glob("*.yml"))


@functools.cache
def load_mapping(vendor: str) -> VendorMapping:
    """Return the validated mapping of ``vendor``; BadInput names the known vendors."""
    path = _vendor_dir() / f"{vendor}.yml"
    if not path.is_file():
        raise BadInput(f"unknown vendor {vendor!r}; known: auto, {', '.join(available_vendors())}")
    m = VendorMapping.model_validate(yaml.safe_load(path.read_text()))
    bad = [c for c in m.columns if c not in CANONICAL]
    if bad:
        raise BadInput(f"vendor mapping {path.name}: unknown canonical column {bad[0]!r}")
    if m.kind == "tokens":
        from .tokens import parse_layout

        try:
            names = parse_layout(m.layout or "").names
        except ValueError as e:
            raise BadInput(f"vendor mapping {path.name}: {e}") from None
        missing = [f for f in m.source_fields() if f not in names]
        if missing:
            raise BadInput(f"vendor mapping {path.name}: field {missing[0]!r} is not in the "
                           f"layout")
    return m
