"""Run a plan over a Polars frame with either backend."""
from __future__ import annotations

import duckdb
import polars as pl

from workbench.errors import BadInput
from workbench.transform._plan import step_types
from workbench.transform._polars import DTYPES, to_polars
from workbench.transform._sql import to_sql

BACKENDS = ("polars", "duckdb")


def _inputs(frame: pl.DataFrame, plan: dict) -> pl.DataFrame:
    missing = [x["name"] for x in plan["inputs"] if x["name"] not in frame.columns]
    if missing:
        raise BadInput(f"frame lacks the plan input column(s) {missing}",
                       detail={"missing": missing})
    try:
        return frame.select(pl.col(x["name"]).cast(DTYPES[x["type"]]) for x in plan["inputs"])
    except pl.exceptions.PolarsError as err:
        raise BadInput(f"an input column does not have its declared DSL type: {err}") from err


def apply(frame: pl.DataFrame, plan: dict, backend: str = "polars") -> pl.Series:
    """Run *plan* over *frame* and return the result as a Series named after ``output``.

    Input columns are first cast to their declared DSL types (strictly). ``backend="duckdb"``
    runs :func:`to_sql` in a private in-memory DuckDB; both backends give identical results.

    Examples
    --------
    >>> import polars as pl
    >>> plan = {"inputs": [{"name": "cents", "type": "integer"}], "output": "usd",
    ...         "steps": [{"op": "unit_convert", "args": {"from": "minor", "to": "major"}}]}
    >>> df = pl.DataFrame({"cents": [1999, None]})
    >>> apply(df, plan).to_list(), apply(df, plan, backend="duckdb").to_list()
    ([19.99, None], [19.99, None])
    """
    if backend not in BACKENDS:
        raise BadInput(f"backend {backend!r} is not one of {BACKENDS}")
    norm, types = step_types(plan)
    data = _inputs(frame, norm)
    dtype = DTYPES[types[-1]]
    if backend == "polars":
        return data.select(to_polars(norm)).to_series().cast(dtype)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.register("wb_transform_input", data.to_arrow())
        out = con.execute(f"SELECT {to_sql(norm, 'duckdb')} FROM wb_transform_input").pl()
    finally:
        con.close()
    series = out.to_series() if out.height else pl.Series(norm["output"], [], dtype=dtype)
    return series.cast(dtype).alias(norm["output"])
