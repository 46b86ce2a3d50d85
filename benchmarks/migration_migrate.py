"""Benchmark: the migration engine (issue 16) against a plain CTAS / COPY of the same compiled SQL.

Usage: .venv/bin/python benchmarks/migration_migrate.py [--rows N] [--repeat R] [--pg-rows M]
       [--no-pg] [--batch-size B] [--memory M] [--ladder X,Y,…] [--ladder-memory M] [--quick]
       (default 10,000,000 rows, 1 repeat, PostgreSQL at 1,000,000 rows, DuckDB memory 1GB, the
       memory ladder at 0.25, 0.5, 1 and 2 x N rows within 512MB; --quick: 500,000 and 100,000
       rows, no ladder)

Generates a deterministic Parquet source with DuckDB (``accounts``: N rows, a few planted faults
at low rates: unparsable dates and amounts, an unknown status code, rows with no name, exact
duplicate rows that collapse and reused ids with other data that go to quarantine), a target
schema and 8 accepted mapping rows (integer key, concat first+last, trim+lower, date_parse,
unit_convert minor->major and lb->kg, trim+case+map_dict onto an enum, type_cast). Then, each
in a fresh process (its peak RSS is the process's ``VmHWM``, not inherited from this one):

  baseline  DuckDB ``CREATE TABLE AS SELECT`` of the same compiled SQL (``compile.column_sql``
            per column) over ``read_parquet`` into a fresh DuckDB file (same memory limit)
  migrate   the full ``migrate(...)`` into another fresh DuckDB file: staging, validations,
            checkpoints, quarantine, FK check, verdict and atomic promotion, workspace mirror
  pg copy   the same compiled SQL computed by DuckDB over the Parquet, its rows sent with a
            plain ``COPY … FROM STDIN`` into a PostgreSQL table
  pg migrate ``migrate(...)`` with a ``postgresql://`` target_url (ETL)

With --repeat R, baseline and migrate alternate R times and the best of each is compared (the
machine may be shared). Prints seconds, rows/s, the ratio migrate / baseline (target <= 1.5x),
the phases of the migration (ETL has no staging event: its pre-flight counts in "chunks"), and
its peak RSS (target < 2 GB, flat). Both sides get the same DuckDB memory limit (``--memory``,
the workspace's ``duckdb_memory``). DuckDB keeps up to that limit of table pages cached, so a
peak only stops growing once the data outgrows the limit; the *memory ladder* shows it: one
migration at each multiple of N rows (``--ladder``) under a smaller limit
(``--ladder-memory``), whose peaks must not grow with the rows. The PostgreSQL target (ETL,
the source streamed through a spool) is measured at M/4 and M rows for the same reason.
PostgreSQL runs on a throwaway server started by ``tests/pg_server.py`` (skipped, saying why,
when none can be started). Exits non-zero only on errors, never on a missed target.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLE = "accounts"
SCHEMA = {"tables": [{"name": TABLE, "columns": [
    {"name": "acct_id", "type": "integer", "key": True, "nullable": False},
    {"name": "full_name", "type": "string", "nullable": False},
    {"name": "email", "type": "string"},
    {"name": "birth_date", "type": "date"},
    {"name": "balance_usd", "type": "float", "unit": "USD"},
    {"name": "weight_kg", "type": "float", "unit": "kg"},
    {"name": "status", "type": "string", "enum": ["active", "closed", "suspended"]},
    {"name": "amount_usd", "type": "float"}]}]}
PLANS = {
    "acct_id": {"inputs": [{"name": "acct_id", "type": "integer"}], "steps": []},
    "full_name": {"inputs": ["first_name", "last_name"], "steps": [
        {"op": "concat", "args": {"parts": [{"ref": "first_name"}, {"ref": "last_name"}],
                                  "separator": " "}}]},
    "email": {"inputs": ["email"], "steps": [{"op": "trim"},
                                             {"op": "case", "args": {"to": "lower"}}]},
    "birth_date": {"inputs": ["dob"], "steps": [
        {"op": "date_parse", "args": {"format": "%Y-%m-%d"}}]},
    "balance_usd": {"inputs": [{"name": "balance_cents", "type": "integer"}], "steps": [
        {"op": "unit_convert", "args": {"from": "minor", "to": "major"}}]},
    "weight_kg": {"inputs": [{"name": "weight_lb", "type": "float"}], "steps": [
        {"op": "unit_convert", "args": {"from": "lb", "to": "kg"}}]},
    "status": {"inputs": ["status"], "steps": [
        {"op": "trim"}, {"op": "case", "args": {"to": "lower"}},
        {"op": "map_dict", "args": {"mapping": {"a": "active", "c": "closed", "s": "suspended",
                                                "active": "active", "x": "gone"}}}]},
    "amount_usd": {"inputs": ["total_amt"], "steps": [
        {"op": "type_cast", "args": {"to": "float"}}]},
}


def source_sql(n: int) -> str:
    """Return DuckDB SQL of ``n`` deterministic source rows with a few planted faults.

    Row ``i`` has id ``i`` and values derived from its id, except: every 100,003rd row repeats
    the previous row exactly (collapsed), every 100,019th reuses the previous id with another
    first name (both quarantined as ``unique_key``); dates, amounts, status codes and names are
    unusable in about one row in 20,000 / 40,000 / 50,000 / 100,000.
    """
    return f"""
    WITH ids AS (
      SELECT i AS pos,
             CASE WHEN i % 100003 = 99999 OR i % 100019 = 50000 THEN i - 1 ELSE i END AS id,
             i % 100019 = 50000 AS other
      FROM range({int(n)}) t(i))
    SELECT id AS acct_id,
           CASE WHEN other THEN 'zed' WHEN id % 99991 = 17 THEN NULL
                ELSE ['ada','bob','cy','dee','eve','fay','gus'][1 + id % 7] END AS first_name,
           CASE WHEN id % 99991 = 17 THEN NULL
                ELSE ['lovelace','smith','li','jones','okafor'][1 + (id // 7) % 5] END
             AS last_name,
           '  User' || id || '@Example.COM ' AS email,
           CASE WHEN id % 20011 = 7 THEN '31/12/1990' ELSE
             strftime(DATE '1950-01-01' + INTERVAL (id % 20000) DAY, '%Y-%m-%d') END AS dob,
           (id * 37) % 1000000 AS balance_cents,
           CAST((id % 400) * 0.5 AS DOUBLE) AS weight_lb,
           CASE WHEN id % 50021 = 5 THEN 'x' ELSE ['A','c','S',' active '][1 + id % 4] END
             AS status,
           CASE WHEN id % 40009 = 9 THEN 'n/a' ELSE CAST((id % 9000) / 4.0 AS VARCHAR) END
             AS total_amt
    FROM ids ORDER BY pos
    """


def write_source(path: Path, n: int) -> None:
    """Write the Parquet source of ``n`` rows."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"COPY ({source_sql(n)}) TO '{path}' (FORMAT parquet)")
    finally:
        con.close()


def mapping_rows() -> list[dict]:
    """Return the accepted mapping rows (shaped like ``migration_mappings``)."""
    out = []
    for col, plan in PLANS.items():
        names = [i if isinstance(i, str) else i["name"] for i in plan["inputs"]]
        out.append({"target_table": TABLE, "target_column": col, "strategy": "atomic",
                    "source_columns": json.dumps([f"{TABLE}.{n}" for n in names]),
                    "dsl": json.dumps({**plan, "output": col}), "decision": "accept",
                    "decided_by": "rules", "rationale": "benchmark"})
    return out


def compiled_select(src: Path, dialect: str = "duckdb") -> str:
    """Return the plain SELECT of the compiled column SQL over the Parquet file."""
    from workbench.pipelines.migration.migrate.compile import column_sql
    from workbench.pipelines.migration.migrate.locate import as_target
    from workbench.pipelines.migration.migrate.plans import preflight

    plans, _ = preflight(mapping_rows(), as_target(SCHEMA))
    cols = ", ".join(column_sql(c, dialect) for c in plans[0].columns)
    return f"SELECT {cols} FROM read_parquet('{src}')"


def _settings(work: Path, memory: str | None = None):
    from workbench.config import Settings

    ws = work / "ws"
    ws.mkdir(parents=True, exist_ok=True)
    return Settings(workspace=ws, duckdb_memory=memory) if memory else Settings(workspace=ws)


def baseline(src: Path, work: Path, memory: str | None = None) -> dict:
    """Return seconds of a plain CTAS of the compiled SQL into a fresh DuckDB file."""
    import duckdb

    memory = _settings(work, memory).duckdb_memory
    t = time.perf_counter()
    con = duckdb.connect(str(work / "ctas.duckdb"))
    con.execute(f"SET memory_limit = '{memory}'")
    con.execute(f"CREATE TABLE {TABLE} AS {compiled_select(src)}")
    n = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - t, "rows": n}


def run_migrate(src: Path, work: Path, url: str, batch: int | None,
                memory: str | None = None) -> dict:
    """Return seconds, phases and figures of one full migrate() call."""
    from workbench.pipelines.migration.migrate import migrate

    # a progress event ends a segment: "transform" comes after staging, "validate" after the
    # set-wise passes, "chunk" after each chunk, "fk_check" / "promote" before those steps
    names = {"transform": "pre-flight+staging", "validate": "set-wise passes", "chunk": "chunks",
             "fk_check": "apply drops", "promote": "fk_check+verdict"}
    phases, last = {}, [time.perf_counter()]

    def progress(info: dict) -> None:
        now = time.perf_counter()
        name = names.get(info["phase"], info["phase"])
        phases[name] = phases.get(name, 0.0) + now - last[0]
        last[0] = now

    params = {"mode": "data_mode", "target_url": url, "progress_every": 0,
              "actor": {"user_id": "bench", "role": "analyst"}}
    if batch:
        params["batch_size"] = batch
    t = last[0] = time.perf_counter()
    out = migrate(settings=_settings(work, memory), run_id="bench-run", params=params,
                  mappings=mapping_rows(), sources={TABLE: str(src)}, target=SCHEMA,
                  progress=progress)
    end = time.perf_counter()
    phases["promote+mirror"] = end - last[0]
    tb = out["tables"][TABLE]
    if out["status"] != "promoted":
        raise SystemExit(f"migrate ended {out['status']}: {json.dumps(tb)[:2000]}")
    return {"seconds": end - t, "phases": phases, "rows_in": tb["rows_in"],
            "rows_out": tb["rows_out"], "quarantined": tb["quarantined"],
            "collapsed": tb["collapsed"], "chunks": tb["chunks"],
            "strategy": out["strategy"]["chosen"]}


def pg_copy(src: Path, url: str) -> dict:
    """Return seconds of computing the compiled SQL in DuckDB and a plain COPY into PostgreSQL."""
    import duckdb
    import polars as pl
    import psycopg

    from workbench.pipelines.migration.migrate.targets import SQL_TYPES

    cols = ", ".join(f'"{c["name"]}" {SQL_TYPES["postgres"][c["type"]]}'
                     for c in SCHEMA["tables"][0]["columns"])
    t = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute(f'DROP TABLE IF EXISTS "{TABLE}"')
        pg.execute(f'CREATE TABLE "{TABLE}" ({cols})')      # plain: no key, no constraint
        con = duckdb.connect()
        reader = con.execute(compiled_select(src)).to_arrow_reader(100_000)
        n = 0
        with pg.cursor() as cur, cur.copy(f'COPY "{TABLE}" FROM STDIN (FORMAT csv)') as copy:
            for batch in reader:
                df = pl.from_arrow(batch)
                copy.write(df.write_csv(include_header=False))
                n += df.height
        con.close()
    return {"seconds": time.perf_counter() - t, "rows": n}


def peak_rss_mb() -> float:
    """Return this process's peak RSS in MB (``VmHWM``: unlike ``ru_maxrss`` it is not inherited
    from the parent the process was forked from)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, src: str, work: str, extra: str) -> None:
    """Run one measurement in this process; print it with the peak RSS as JSON."""
    opts = json.loads(extra)
    if kind == "generate":
        t = time.perf_counter()
        write_source(Path(src), int(opts["rows"]))
        print(json.dumps({"seconds": time.perf_counter() - t}))
        return
    if kind == "baseline":
        r = baseline(Path(src), Path(work), opts.get("memory"))
    elif kind == "migrate":
        r = run_migrate(Path(src), Path(work), f"duckdb:///{Path(work) / 'target.duckdb'}",
                        opts.get("batch"), opts.get("memory"))
    elif kind == "pg-copy":
        r = pg_copy(Path(src), opts["url"])
    else:
        r = run_migrate(Path(src), Path(work), opts["url"], opts.get("batch"), opts.get("memory"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    r["peak_rss_mb"] = peak_rss_mb()
    r["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    print(json.dumps(r))


def measure(kind: str, src: Path, tmp: Path, **opts) -> dict:
    """Run one measurement in a fresh process and a fresh directory; return its figures."""
    work = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=tmp))
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(src), str(work),
                          json.dumps(opts)], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed (exit {out.returncode}):\n{out.stderr[-4000:]}")
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg(args, tmp: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_server import PostgresServer, PostgresUnavailable, skip_reason

    reason = skip_reason()
    if reason:
        print(f"postgresql: skipped ({reason})")
        return
    src, quarter = tmp / "pg.parquet", tmp / "pg-quarter.parquet"
    measure("generate", src, tmp, rows=args.pg_rows)
    measure("generate", quarter, tmp, rows=max(1, args.pg_rows // 4))
    server = PostgresServer()
    try:
        url = server.start()
    except PostgresUnavailable as err:
        print(f"postgresql: skipped (could not start a server: {str(err)[:300]})")
        return

    def clean() -> None:
        with __import__("psycopg").connect(url, autocommit=True) as con:
            for (name,) in con.execute("SELECT tablename FROM pg_tables WHERE schemaname ="
                                       " 'public'").fetchall():
                con.execute(f'DROP TABLE IF EXISTS "{name}"')

    try:
        copies, runs = [], []
        for _ in range(max(1, args.repeat)):
            copies.append(measure("pg-copy", src, tmp, url=url))
            clean()
            runs.append(measure("pg-migrate", src, tmp, url=url, batch=args.batch_size,
                                memory=args.memory))
            clean()
        small = measure("pg-migrate", quarter, tmp, url=url, batch=args.batch_size,
                        memory=args.memory)
    finally:
        server.stop()
    copy = min(copies, key=lambda r: r["seconds"])
    run = min(runs, key=lambda r: r["seconds"])
    n = args.pg_rows
    print(f"\nPostgreSQL target, {n:,} rows ({run['strategy'].upper()}, {run['chunks']} chunks)")
    print(f"  plain COPY (DuckDB SQL -> COPY) : {copy['seconds']:7.2f}s  "
          f"{n / copy['seconds']:>11,.0f} rows/s  peak {copy['peak_rss_mb']:,.0f} MB")
    print(f"  migrate(...)                    : {run['seconds']:7.2f}s  "
          f"{n / run['seconds']:>11,.0f} rows/s  peak {run['peak_rss_mb']:,.0f} MB")
    print("    phases                        : " + "  ".join(
        f"{k} {v:.2f}s" for k, v in run["phases"].items()))
    print(f"  ratio migrate/COPY              : {run['seconds'] / copy['seconds']:.2f}x")
    print(f"  peak RSS migrate                : {small['peak_rss_mb']:,.0f} MB at "
          f"{n // 4:,} rows, {run['peak_rss_mb']:,.0f} MB at {n:,} rows")


def ladder(args, tmp: Path) -> None:
    """Print the peak RSS of one migration at each multiple of N rows under --ladder-memory."""
    sizes = [max(1, round(float(x) * args.rows)) for x in args.ladder.split(",") if x.strip()]
    if not sizes:
        return
    print(f"\nMemory ladder (DuckDB memory limit {args.ladder_memory}; one run per size)")
    peaks = []
    for n in sizes:
        src = tmp / f"ladder-{n}.parquet"
        measure("generate", src, tmp, rows=n)
        r = measure("migrate", src, tmp, batch=args.batch_size, memory=args.ladder_memory)
        src.unlink()
        peaks.append(r["peak_rss_mb"])
        print(f"  {n:>12,} rows : peak {r['peak_rss_mb']:7,.0f} MB  {r['seconds']:7.2f}s  "
              f"{n / r['seconds']:>11,.0f} rows/s")
    top = [p for n, p in zip(sizes, peaks, strict=True) if n >= args.rows]
    if len(top) > 1:
        print(f"  from {args.rows:,} rows up: peaks within {max(top) - min(top):,.0f} MB "
              f"({max(top) / min(top):.2f}x) while the rows grow {max(sizes) / args.rows:.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--pg-rows", type=int, default=1_000_000)
    ap.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL figures")
    ap.add_argument("--batch-size", type=int, default=None,
                    help="rows per chunk (default: the threshold profile's migration.batch_size)")
    ap.add_argument("--memory", default=None,
                    help="DuckDB memory limit of both sides (default: the workspace's, 1GB)")
    ap.add_argument("--ladder", default="0.25,0.5,1,2",
                    help="multiples of --rows for the memory ladder (empty: none)")
    ap.add_argument("--ladder-memory", default="512MB",
                    help="DuckDB memory limit of the ladder's runs")
    ap.add_argument("--quick", action="store_true",
                    help="500,000 rows, PostgreSQL 100,000, no ladder "
                         "(make bench BENCH_ARGS=--quick)")
    ap.add_argument("--child", nargs=4, metavar=("KIND", "SRC", "WORK", "OPTS"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    if args.quick:
        args.rows, args.pg_rows = min(args.rows, 500_000), min(args.pg_rows, 100_000)
        args.ladder = ""
    with tempfile.TemporaryDirectory(prefix="wb-bench-mig-") as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / "big.parquet"
        t = time.perf_counter()
        measure("generate", big, tmp, rows=args.rows)      # in a child: this process stays small
        print(f"generated {args.rows:,} source rows (Parquet, {big.stat().st_size / 1e6:,.0f} MB)"
              f" in {time.perf_counter() - t:.1f}s; 8 mapped columns (concat, trim/case, "
              f"date_parse, unit_convert x2, map_dict enum, type_cast)")
        bases, runs = [], []
        for _ in range(max(1, args.repeat)):       # alternate: both see the same machine load
            bases.append(measure("baseline", big, tmp, memory=args.memory))
            runs.append(measure("migrate", big, tmp, batch=args.batch_size, memory=args.memory))
        base = min(bases, key=lambda r: r["seconds"])
        run = min(runs, key=lambda r: r["seconds"])
        ratio = run["seconds"] / base["seconds"]
        n = args.rows
        print(f"\nDuckDB target, {n:,} rows ({run['strategy'].upper()}, {run['chunks']} chunks: "
              f"{run['rows_out']:,} promoted, {run['quarantined']:,} quarantined, "
              f"{run['collapsed']:,} collapsed; memory limit {args.memory or '1GB'})")
        if len(bases) > 1:
            print("  ratios per pair               : " + ", ".join(
                f"{r['seconds'] / b['seconds']:.2f}x" for b, r in zip(bases, runs, strict=True)))
        print(f"  baseline CTAS (compiled SQL)  : {base['seconds']:7.2f}s  "
              f"{n / base['seconds']:>11,.0f} rows/s  peak {base['peak_rss_mb']:,.0f} MB")
        print(f"  migrate(...)                  : {run['seconds']:7.2f}s  "
              f"{n / run['seconds']:>11,.0f} rows/s  peak {run['peak_rss_mb']:,.0f} MB "
              f"(target < 2048 MB)")
        print("    phases                      : " + "  ".join(
            f"{k} {v:.2f}s" for k, v in run["phases"].items()))
        print(f"  ratio migrate/CTAS            : {ratio:.2f}x  (target <= 1.5x; best of each; "
              f"CPU seconds {run['cpu_seconds']:.1f} / {base['cpu_seconds']:.1f} = "
              f"{run['cpu_seconds'] / base['cpu_seconds']:.2f}x)")
        big.unlink()
        ladder(args, tmp)
        if not args.no_pg:
            _pg(args, tmp)


if __name__ == "__main__":
    main()
