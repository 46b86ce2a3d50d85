"""Stage connections: DuckDB capped at the workspace's ``duckdb_memory``, spilling in the run."""
from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from workbench import config
from workbench.pipelines.ai_usage import lake


def _ctx(tmp_path, memory: str):
    settings = dataclasses.replace(config.load(tmp_path), duckdb_memory=memory)
    return SimpleNamespace(settings=settings, run_id="r1",
                           run_lake_path=lambda ds: settings.lake_dir / ds / "run_id=r1")


def test_setting_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DUCKDB_MEMORY", "300MB")
    assert config.load(tmp_path).duckdb_memory == "300MB"
    monkeypatch.delenv("WORKBENCH_DUCKDB_MEMORY")
    assert config.load(tmp_path).duckdb_memory == "1GB"


def test_a_scan_larger_than_the_cap_spills_instead_of_failing(tmp_path):
    # cache-buster URLs: every one distinct, so the aggregate's hash table outgrows 64 MB
    con = lake.connect(_ctx(tmp_path, "64MB"))
    limit, spill = con.sql("SELECT current_setting('memory_limit'), "
                           "current_setting('temp_directory')").fetchone()
    assert limit.startswith("61.0") and spill.endswith("ai_usage_spill/run_id=r1")
    n, events = con.sql("SELECT count(*), sum(c) FROM (SELECT 'https://h.example/p?cb=' || i "
                        "AS url, count(*) AS c FROM range(2000000) t(i) GROUP BY url)").fetchone()
    assert (n, events) == (2_000_000, 2_000_000)
    con.close()
