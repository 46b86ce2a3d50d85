"""The built-in tier-1 rule modules, registered through the same hook as any plugin's."""
from __future__ import annotations

import importlib
import warnings

from ..hookspecs import Register

# module path (under this package) and class of each built-in; one broken rule hides no other
BUILTIN = (
    ("format_validity", "FormatValidity"),
    ("truncation", "Truncation"),
    ("safety_triggers", "SafetyTriggers"),
    ("consistency", "Consistency"),
    ("length_language", "LengthLanguage"),
    ("pii_leak", "PiiLeak"),
)


def register_trace_modules(register: Register) -> None:
    """Return nothing; register the six built-in tier-1 modules with ``register``."""
    for module_name, class_name in BUILTIN:
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            warnings.warn(f"built-in trace module {module_name!r} is unavailable: "
                          f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
            continue
        register(getattr(module, class_name))
