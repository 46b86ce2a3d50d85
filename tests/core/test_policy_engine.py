"""The policy engine: capability matrix by mode, RBAC, providers, cost caps, ledger records."""
from __future__ import annotations

import pytest
import yaml

from workbench import config, policy, store
from workbench.errors import BadInput, PolicyBlock


def test_capability_matrix_of_the_shipped_manifest():
    p = policy.load()
    assert p.capability("metadata_only", "row_samples") is False
    assert p.capability("data_mode", "row_samples") is True
    assert p.capability("metadata_only", "migration") == "dry_run"
    assert p.allows_capability("data_mode", "transform_preview", "sample").allowed
    refused = p.allows_capability("metadata_only", "transform_preview", "sample")
    assert not refused.allowed and "metadata_only" in refused.reason
    with pytest.raises(BadInput, match="mode 'both'"):
        p.capability("both", "row_samples")


@pytest.mark.parametrize(("role", "action", "allowed"), [
    ("viewer", "view_artifacts", True), ("viewer", "view_pii", False),
    ("analyst", "create_run", True), ("analyst", "release_quarantine", False),
    ("operator", "release_quarantine", True), ("operator", "edit_policy", False),
    ("maintainer", "toggle_local_only_override", True), ("analyst", "promote_domains", True),
    ("admin", "manage_providers", True), ("operator", "manage_providers", False),
])
def test_rbac_matrix_of_section_32(role, action, allowed):
    assert policy.load().allows_action({"user_id": "u", "role": role}, action).allowed is allowed


def test_unknown_role_and_action():
    p = policy.load()
    assert not p.allows_action({"user_id": "u", "role": "root"}, "create_run").allowed
    with pytest.raises(BadInput, match="unknown action"):
        p.allows_action({"user_id": "u", "role": "admin"}, "format_disk")


def test_provider_lists_deny_wins_and_offline_always_allowed():
    p = policy.load()
    assert p.allows_provider("offline", allow=["ollama"]).allowed
    assert not p.allows_provider("gpt-4o", allow=["ollama"]).allowed
    assert p.allows_provider("ollama:llama3", allow=["ollama"]).allowed
    assert not p.allows_provider("ollama:llama3", allow=["ollama"], deny=["ollama:*"]).allowed


def test_cost_caps():
    p = policy.load()
    assert p.allows_cost(usd=1.0, tokens=10).allowed
    over = p.allows_cost(usd=50.0)
    assert not over.allowed and "$50.00" in over.reason


def test_require_records_a_ledger_event_with_the_policy_version(tmp_path):
    settings = config.load(tmp_path)
    p = policy.load()
    d = p.allows_action({"user_id": "ana", "role": "analyst"}, "rollback")
    with pytest.raises(PolicyBlock) as err:
        p.require(d, settings=settings, run_id="r1", stage="migrate")
    assert err.value.code == "POLICY_BLOCK" and "operator" in str(err.value)
    with store.connect(settings) as con:
        row = con.execute("SELECT event, decision, error_code, detail FROM ledger "
                          "WHERE run_id = 'r1'").fetchone()
    assert row[:3] == ("policy_decision", "reject", "POLICY_BLOCK")
    assert '"policy_version":"policy-1.0.0"' in row[3]


def test_a_manifest_by_path_with_its_own_version(tmp_path):
    data = yaml.safe_load(policy.DEFAULT_MANIFEST.read_text())
    data["version"] = "policy-9.0.0"
    data["actions"]["release_quarantine"] = ["admin"]
    f = tmp_path / "strict.yml"
    f.write_text(yaml.safe_dump(data))
    p = policy.load(f)
    assert p.version == "policy-9.0.0"
    assert not p.allows_action({"user_id": "o", "role": "operator"}, "release_quarantine").allowed


def test_a_broken_manifest_is_named(tmp_path):
    f = tmp_path / "bad.yml"
    f.write_text("version: x\nroles: [a]\nactions: {go: [b]}\ncapabilities: {metadata_only: {}, data_mode: {}}\n")
    with pytest.raises(BadInput, match="unknown roles"):
        policy.load(f)
    with pytest.raises(BadInput, match="does not exist"):
        policy.load(tmp_path / "none.yml")
