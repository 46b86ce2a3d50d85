"""The command-line contract: workbench run migration ..., bad parameters, the catalog commands."""
from __future__ import annotations

import duckdb
import yaml

from workbench.pipelines.migration import samples


def test_run_metadata_only_through_the_cli(cli, tmp_path):
    crm = samples.write_samples(tmp_path / "crm")
    ws = tmp_path / "ws"
    r = cli("run", "migration", "--workspace", str(ws), "--input", str(crm[0]), "--input",
            str(crm[1]), "--param", f"target={crm[2]}", "--param", "mode=metadata_only",
            "--param", "actor=ana:operator", "--quiet", timeout=600)
    assert r.returncode == 0, r.stderr
    with duckdb.connect(str(ws / "data/workbench.duckdb"), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("migration_catalog", "migration_domains", "migration_matches",
                            "migration_mappings", "migration_analysis")}
        actor = con.execute("SELECT contract FROM runs").fetchone()[0]
    assert all(counts.values()), counts
    assert '"role":"operator"' in actor
    index = next((ws / "reports/migration").glob("*/index.html")).read_text()
    assert "mapping_plan.json" in index and "run_contract.json" in index


def test_bad_parameters_are_named_before_any_work(cli, tmp_path):
    crm = samples.write_samples(tmp_path / "crm")
    r = cli("run", "migration", "--workspace", str(tmp_path / "ws"), "--input", str(crm[0]),
            "--param", "mode=everything")
    assert r.returncode == 2 and "mode" in r.stderr
    r = cli("run", "migration", "--workspace", str(tmp_path / "ws"), "--input", str(crm[0]),
            "--param", "actor=eve:superuser")
    assert r.returncode == 2 and "role" in r.stderr
    assert not (tmp_path / "ws" / "reports").exists()


def test_staged_and_promote_commands(cli, tmp_path):
    ws = tmp_path / "ws"
    (ws / "data/migration").mkdir(parents=True)
    (ws / "data/migration/domains_staged.yml").write_text(yaml.safe_dump([{
        "domain": "person.last_name", "language": "nl", "aliases": ["achternaam_oud"],
        "negatives": [], "regex": "", "reason": "t", "at": "2026-12-03T00:00:00",
        "proposed_by": {"user_id": "ana", "role": "analyst"}}]))
    r = cli("migration", "staged", "--workspace", str(ws))
    assert r.returncode == 0 and "person.last_name" in r.stdout and "1 staged" in r.stdout
    r = cli("migration", "promote-domains", "--workspace", str(ws), "--actor", "vic:viewer")
    assert r.returncode != 0 and "promote_domains" in (r.stderr + r.stdout)
    r = cli("migration", "promote-domains", "--workspace", str(ws), "--actor", "ana:analyst")
    assert r.returncode == 0 and "promoted 1" in r.stdout
    live = yaml.safe_load((ws / "data/migration/domains_live.yml").read_text())
    assert live["version"] == "1.1.0"
