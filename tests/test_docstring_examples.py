"""Every example in the package's docstrings runs and prints what it says (polars-style doctests)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import workbench

MODULES = sorted(m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                                verbose=False)
    assert failed == 0, f"{failed} docstring example(s) of {name} failed (run: python -m " \
                        f"pytest --doctest-modules {name.replace('.', '/')}.py)"
