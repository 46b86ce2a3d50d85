"""workbench: a notebook-first analyst workbench for sensitive operational data."""
from __future__ import annotations

import sys

__version__ = "0.1.0"

# jsonschema (under altair and the LLM gateway) imports rfc3987_syntax when it is installed (the
# dev extra's JupyterLab brings it) only to check the "iri" string format, which we never use;
# building its grammar costs about a second in every process and every notebook kernel.
sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["__version__", "chart_svg", "open_stage", "show_chart", "show_summary", "show_table"]


def __getattr__(name):  # heavy modules load on first use so the CLI starts fast
    if name == "open_stage":
        from .stage import open_stage
        return open_stage
    if name in ("chart_svg", "show_chart", "show_summary", "show_table"):
        from . import report
        return getattr(report, name)
    raise AttributeError(name)
