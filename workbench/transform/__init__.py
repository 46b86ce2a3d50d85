"""The Transform DSL (seed 001 §11, §35): whitelisted, declarative column transforms.

A plan is a JSON-able dict validated against ``plan.schema.json``, content-hashed, and compiled
to SQL through SQLGlot (DuckDB, PostgreSQL, SQLite) and to Polars expressions; DuckDB and Polars
give identical results. See ``docs/transform.md`` for every op.

Examples
--------
>>> import polars as pl
>>> from workbench import transform
>>> plan = {"inputs": ["name"], "output": "name_std",
...         "steps": [{"op": "collapse_whitespace"}, {"op": "case", "args": {"to": "lower"}}]}
>>> df = pl.DataFrame({"name": ["  Ada   LOVELACE ", None]})
>>> transform.apply(df, plan).to_list()
['ada lovelace', None]
>>> transform.apply(df, plan, backend="duckdb").to_list()
['ada lovelace', None]
"""
from __future__ import annotations

from workbench.transform._apply import BACKENDS, apply
from workbench.transform._plan import (
                                       CASTS,
                                       DSL_VERSION,
                                       OPS,
                                       UNITS,
                                       output_type,
                                       plan_hash,
                                       schema,
                                       validate,
)
from workbench.transform._polars import to_polars
from workbench.transform._sql import (
    DIALECTS,
    POSTGRES_UNSUPPORTED,
    SQLITE_UNSUPPORTED,
    to_sql,
    to_sql_expression,
)

__all__ = ["BACKENDS", "CASTS", "DIALECTS", "DSL_VERSION", "OPS", "POSTGRES_UNSUPPORTED", "SQLITE_UNSUPPORTED", "UNITS",
           "apply", "output_type", "plan_hash", "schema", "to_polars", "to_sql",
           "to_sql_expression", "validate"]
