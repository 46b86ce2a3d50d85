from pathlib import Path

import duckdb

from workbench import config, store


def test_migrations_apply_in_order_once_and_record_version(tmp_path):
    d = tmp_path / "sql"
    d.mkdir()
    (d / "001_a.sql").write_text("CREATE TABLE a (x INTEGER);")
    (d / "002_b.sql").write_text("ALTER TABLE a ADD COLUMN y VARCHAR; INSERT INTO a VALUES (1, 'one');")
    (d / "notes.sql").write_text("THIS IS NOT A MIGRATION;")  # no NNN_ prefix: ignored
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    assert store.migrate(con, [("extra", d)]) == ["extra/001_a.sql", "extra/002_b.sql"]
    assert store.migrate(con, [("extra", d)]) == []  # second time: nothing pending
    assert con.execute("SELECT * FROM a").fetchall() == [(1, "one")]
    assert store.schema_version(con) == {"extra": 2}
    (d / "003_c.sql").write_text("INSERT INTO a VALUES (2, 'two');")
    assert store.migrate(con, [("extra", d)]) == ["extra/003_c.sql"]
    assert store.schema_version(con) == {"extra": 3}


def test_failed_migration_rolls_back_and_is_not_recorded(tmp_path):
    d = tmp_path / "sql"
    d.mkdir()
    (d / "001_ok.sql").write_text("CREATE TABLE ok (x INTEGER);")
    (d / "002_bad.sql").write_text("CREATE TABLE half (x INTEGER); SELECT * FROM missing_table;")
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    try:
        store.migrate(con, [("extra", d)])
    except duckdb.Error:
        pass
    assert store.schema_version(con) == {"extra": 1}
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half" not in tables


def test_connect_creates_core_tables_and_closes(tmp_path):
    settings = config.load(tmp_path)
    with store.connect(settings) as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"runs", "stages", "ledger", "input_files", "cache", "pii_audit",
                "quarantine", "schema_migrations"} <= tables
        assert store.schema_version(con)["core"] >= 1
    # closed: another process-level connection can open the file read-write at once
    other = duckdb.connect(str(Path(settings.db_path)))
    other.close()
