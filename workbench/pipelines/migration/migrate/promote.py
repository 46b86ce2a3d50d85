"""Staging, the foreign-key check, atomic promotion and rollback (§34, §45).

Staging tables are private to a run (``_wb_stage_<table>_<run hash>``). Before promotion, every
foreign key is checked in staging against the parent's staging and final rows; violations move
to quarantine (``fk:<column>``). Promotion then runs in ONE transaction for all tables: each
final table is copied to ``_wb_backup_<table>`` (replacing the backup of the previous
promotion), the staged rows are upserted by key (``INSERT … ON CONFLICT DO UPDATE``; a final
table without a unique key gets the equivalent merge: an ``UPDATE … FROM`` of the mapped
columns of the keys it has, then an insert of the others), staging is dropped and the
promotion recorded. A final table that does not exist yet is made from staging itself
(renamed, helpers dropped, NOT NULL added; its backup is empty) — the same result as an upsert
into an empty table, without copying the rows. Its key becomes a PRIMARY KEY where
:func:`key_index` says so: in PostgreSQL and SQLite, not in DuckDB, whose key index must be
built in memory (about 1.3 GB at its peak for 20M keys) — there the migration's unique-key
check keeps the key unique and the table's comment names it. A rollback restores the backup
of the latest promotion, also in one transaction, and only for the run that made it.

Examples
--------
>>> stage_name("orders", "migration-20260101-ab12cd34")
'_wb_stage_orders_648cd4e7'
>>> backup_name("orders")
'_wb_backup_orders'
>>> key_index("duckdb"), key_index("postgres"), key_index("duckdb", "on")
(False, True, True)
"""
from __future__ import annotations

import hashlib

import polars as pl

from ....errors import BadInput
from .checkpoints import STEPS, get_step, put_quarantine, record_step
from .compile import CHUNK, DTYPES, TF, ddl, stage_columns, upsert_sql
from .inputs import ROW
from .plans import TablePlan
from .targets import Target, q
from .validate import REASONS


def stage_name(table: str, run_id: str) -> str:
    """Return the staging table of a target table in a run."""
    return f"_wb_stage_{table}_{hashlib.sha256(run_id.encode()).hexdigest()[:8]}"


def backup_name(table: str) -> str:
    """Return the table holding a final table's previous version."""
    return f"_wb_backup_{table}"


def key_index(dialect: str, choice: str | None = "auto") -> bool:
    """Return whether a table the migration creates gets its key as a PRIMARY KEY (an index).

    ``auto``: yes in PostgreSQL and SQLite, no in DuckDB; ``on`` / ``off`` decide it.
    """
    choice = (choice or "auto").lower()
    if choice not in ("auto", "on", "off"):
        raise BadInput(f"key_index {choice!r}: expected auto, on or off")
    return choice == "on" or (choice == "auto" and dialect != "duckdb")


def prepare_final(t: Target, tp: TablePlan, index: bool = True) -> str:
    """Check (or, in SQLite, create) the final table; return how staging will be merged.

    ``create``: the table does not exist; promotion renames staging into it (and adds the key
    as PRIMARY KEY when ``index``). ``upsert``: it has a unique key on the plan's key
    (``ON CONFLICT DO UPDATE``). ``merge``: it has none; the staged keys it has are updated,
    the others inserted.
    """
    if tp.table not in t.tables():
        if t.dialect != "sqlite":        # SQLite cannot add a primary key to a table later
            return "create"
        t.execute(ddl(tp, tp.table, t.dialect, key=index))
    missing = [c for c in tp.outputs if c not in t.columns(tp.table)]
    if missing:
        raise BadInput(f"target table {tp.table} lacks the mapped column(s) "
                       f"{', '.join(missing)}; add them or fix the target schema")
    return "upsert" if t.unique_on(tp.table, tp.key) else "merge"


def fk_check(t: Target, plans: list[TablePlan], run_id: str, sources: dict,
             settings=None) -> dict:
    """Quarantine staged rows whose foreign keys find no parent; return violations per table."""
    from .chunkrun import with_raw
    from .quarantine import records

    out, migrated = {}, {p.table: p for p in plans}
    for tp in plans:
        done = get_step(t, run_id, tp.table, "fk_check")
        if done is not None:
            out[tp.table] = done["detail"].get("violations", 0)
            continue
        stage, parts = stage_name(tp.table, run_id), []
        for fk in tp.fks:
            col, ref = q(fk["column"]), q(fk["ref"])
            conds = [f"s.{col} IS NOT NULL"]
            if fk["table"] in migrated:
                conds.append(f"NOT EXISTS (SELECT 1 FROM {q(stage_name(fk['table'], run_id))} p "
                             f"WHERE p.{ref} = s.{col})")
            if fk["table"] in t.tables():
                conds.append(f"NOT EXISTS (SELECT 1 FROM {q(fk['table'])} f "
                             f"WHERE f.{ref} = s.{col})")
            found = t.frame(f"SELECT s.* FROM {q(stage)} s WHERE {' AND '.join(conds)}",
                            schema=stage_schema(tp))
            if found.height:
                parts.append(found.with_columns(pl.lit([f"fk:{fk['column']}"]).alias(REASONS)))
        bad = _merge_reasons(parts)
        recs, masked = records(with_raw(bad, sources[tp.source], tp, t), tp, run_id, settings) \
            if bad.height else (bad, {})
        with t.transaction():
            put_quarantine(t, recs)
            t.delete_in(stage, ROW, bad.get_column(ROW).to_list() if bad.height else [])
            record_step(t, run_id, tp.table, "fk_check", "done",
                        {"violations": bad.height, "masked": masked,
                         "foreign_keys": [f"{f['column']}→{f['table']}.{f['ref']}"
                                          for f in tp.fks]})
        out[tp.table] = bad.height
    return out


def stage_schema(tp: TablePlan) -> dict:
    """Return the Polars dtypes of a staging table's columns."""
    return {n: DTYPES[ty] for n, ty in stage_columns(tp)} | {CHUNK: pl.Int32}


def _merge_reasons(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame()
    both = pl.concat(parts, how="vertical_relaxed")
    others = [c for c in both.columns if c != REASONS]
    return both.group_by(ROW, maintain_order=True).agg(
        *[pl.col(c).first() for c in others if c != ROW], pl.col(REASONS).list.explode(keep_nulls=False, empty_as_null=False))


def promote(t: Target, plans: list[TablePlan], run_id: str, modes: dict,
            index: bool = True) -> dict:
    """Promote every staged table in one transaction; return rows per table (``index``: a
    created table gets its key as PRIMARY KEY)."""
    done = get_step(t, run_id, "*", "promote")
    if done is not None and done["status"] == "done":
        return done["detail"]["tables"]
    tables = {}
    with t.transaction():
        for tp in plans:
            mode = modes[tp.table] if modes[tp.table] != "create" or tp.table not in \
                t.tables() else prepare_final(t, tp, index)
            stage, final = stage_name(tp.table, run_id), q(tp.table)
            staged = int(t.query(f"SELECT COUNT(*) FROM {q(stage)}")[0][0])
            if mode == "create":
                before = 0
                _rename_into(t, tp, stage, index, run_id)
            else:
                before = int(t.query(f"SELECT COUNT(*) FROM {final}")[0][0])
                _merge_into(t, tp, stage, mode)
            after = int(t.query(f"SELECT COUNT(*) FROM {final}")[0][0])
            tables[tp.table] = {"staged": staged, "rows_before": before, "rows_after": after,
                                "backup": backup_name(tp.table), "merge": mode,
                                "key_index": index if mode == "create" else mode == "upsert"}
            record_step(t, run_id, tp.table, "promote", "promoted", tables[tp.table])
        record_step(t, run_id, "*", "promote", "done", {"tables": tables})
    return tables


def _rename_into(t: Target, tp: TablePlan, stage: str, index: bool, run_id: str) -> None:
    """Make staging the final table (it has the final layout): rename, drop helpers, add NOT
    NULL and (``index``) the primary key, or name the checked key in the table's comment."""
    final, backup = q(tp.table), q(backup_name(tp.table))
    t.execute(f"ALTER TABLE {q(stage)} RENAME TO {final}")
    for helper in (TF, ROW, CHUNK):
        t.execute(f"ALTER TABLE {final} DROP COLUMN {q(helper)}")
    for c in tp.schema:
        if not c["nullable"]:
            t.execute(f"ALTER TABLE {final} ALTER COLUMN {q(c['name'])} SET NOT NULL")
    keys = ", ".join(q(k) for k in tp.key)
    if index:
        t.execute(f"ALTER TABLE {final} ADD PRIMARY KEY ({keys})")
    elif t.dialect != "sqlite":
        note = (f"key ({', '.join(tp.key)}) kept unique by workbench migration run {run_id} "
                f"(no key index: see the key_index parameter)").replace("'", "''")
        t.execute(f"COMMENT ON TABLE {final} IS '{note}'")
    t.execute(f"DROP TABLE IF EXISTS {backup}")
    t.execute(f"CREATE TABLE {backup} AS SELECT * FROM {final} WHERE 1 = 0")


def _merge_into(t: Target, tp: TablePlan, stage: str, mode: str) -> None:
    """Back the final table up, then upsert (or merge) the staged rows into it."""
    final, backup = q(tp.table), q(backup_name(tp.table))
    t.execute(f"DROP TABLE IF EXISTS {backup}")
    t.execute(f"CREATE TABLE {backup} AS SELECT * FROM {final}")
    merge_rows(t, tp, stage, mode)
    t.execute(f"DROP TABLE {q(stage)}")


def merge_rows(t: Target, tp: TablePlan, rows: str, mode: str | None = None) -> None:
    """Upsert the mapped columns of the table ``rows`` into the final table by key.

    ``upsert``: ``INSERT … ON CONFLICT DO UPDATE`` (the final table has a unique key on it);
    ``merge``: the same effect without one — an ``UPDATE … FROM`` of the keys the table has,
    then an insert of the others. ``None``: whichever the final table allows. Columns the
    plans do not map keep their values either way.
    """
    mode = mode or ("upsert" if t.unique_on(tp.table, tp.key) else "merge")
    final, cols = q(tp.table), ", ".join(q(c) for c in tp.outputs)
    select = f"SELECT {cols} FROM {q(rows)}"
    if mode == "upsert":
        t.execute(upsert_sql(tp.table, tp.outputs, tp.key, select, t.dialect))
        return
    match = " AND ".join(f"{final}.{q(k)} = s.{q(k)}" for k in tp.key)
    rest = [c for c in tp.outputs if c not in tp.key]
    if rest:
        t.execute(f"UPDATE {final} SET {', '.join(f'{q(c)} = s.{q(c)}' for c in rest)} FROM "
                  f"{q(rows)} s WHERE {match}")
    t.execute(f"INSERT INTO {final} ({cols}) SELECT {', '.join(f's.{q(c)}' for c in tp.outputs)}"
              f" FROM {q(rows)} s WHERE NOT EXISTS (SELECT 1 FROM {final} WHERE {match})")


def latest_promotion(t: Target, table: str) -> str | None:
    """Return the run whose promotion of ``table`` is the live one (not rolled back)."""
    rows = t.query(f"SELECT run_id FROM {STEPS} WHERE target_table = {t.ph} AND step = "
                   f"'promote' AND status = 'promoted' ORDER BY \"at\" DESC LIMIT 1", [table])
    return rows[0][0] if rows else None


def rollback(t: Target, run_id: str, order: list[str]) -> dict:
    """Restore the previous version of every table this run promoted; return rows restored."""
    promoted = [tb for tb in order if (s := get_step(t, run_id, tb, "promote"))
                and s["status"] == "promoted"]
    if not promoted:
        raise BadInput(f"run {run_id} has no live promotion to roll back (never promoted, "
                       f"or rolled back already)")
    for tb in promoted:
        live = latest_promotion(t, tb)
        if live != run_id:
            raise BadInput(f"{tb} was promoted again by run {live} after {run_id}; roll that "
                           f"run back first (only the latest promotion keeps a backup)")
        if backup_name(tb) not in t.tables():
            raise BadInput(f"the backup {backup_name(tb)} of {tb} is missing; cannot roll back")
    restored = {}
    with t.transaction():
        for tb in reversed(promoted):
            t.execute(f"DELETE FROM {q(tb)}")
        for tb in promoted:
            t.execute(f"INSERT INTO {q(tb)} SELECT * FROM {q(backup_name(tb))}")
            restored[tb] = int(t.query(f"SELECT COUNT(*) FROM {q(tb)}")[0][0])
            t.execute(f"DROP TABLE {q(backup_name(tb))}")
            detail = {**get_step(t, run_id, tb, "promote")["detail"], "restored_rows":
                      restored[tb]}
            record_step(t, run_id, tb, "promote", "rolled_back", detail)
        record_step(t, run_id, "*", "rollback", "done", {"tables": restored})
    return restored
