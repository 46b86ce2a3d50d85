"""Target-schema columns of the golden matching cases (the dicts a target schema lists), and the
shape of a case.

A case is (name, country, source tables, target tables). A source column is (legacy header,
domain or ``"?kind"``, generator options, ``"target_table.column"`` or ``""`` when it has no
counterpart); the option ``"ref"`` draws the values from an earlier column (``"TABLE.COLUMN"``),
like a foreign key. A target table is (name, description, columns).

>>> pk("id", "integer", "Surrogate key")["nullable"], col("x", "string", "X", unit="kg")["unit"]
(False, 'kg')
"""
from __future__ import annotations

Case = tuple[str, str, dict[str, list[tuple[str, str, dict, str]]], list[tuple[str, str, list]]]


def col(name: str, type_: str, description: str, *, unit: str = "", enum: tuple = (),
        nullable: bool = True, key: bool = False, references: str = "") -> dict:
    return {"name": name, "type": type_, "description": description, "unit": unit,
            "enum": list(enum), "nullable": nullable, "key": key, "references": references}


def pk(name: str, type_: str, description: str) -> dict:
    return col(name, type_, description, nullable=False, key=True)
