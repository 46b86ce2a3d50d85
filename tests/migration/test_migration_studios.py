"""The Domain and Mapping Studios: real ipywidgets clicks, the decisions file, the ledger, and a
rerun that applies them; RBAC; borderline columns through a scripted model."""
from __future__ import annotations

import json

import pytest
import scripted_model
from llm_fixtures import llm_home  # noqa: F401 - fixture
from mig_run import rows, run_stages

from workbench.errors import DslReject, PolicyBlock
from workbench.pipelines.migration import decisions, samples
from workbench.pipelines.migration.studios import DomainStudio, MappingStudio


@pytest.fixture
def crm(tmp_path):
    return samples.write_samples(tmp_path / "crm")


def _buttons(box, label):
    import ipywidgets as w

    out = []
    for child in box.children:
        if isinstance(child, w.HBox):
            out += [(child, b) for b in child.children
                    if isinstance(b, w.Button) and b.description == label]
    return out


def test_domain_studio_click_records_and_rerun_applies(crm, tmp_path):
    ws = tmp_path / "ws"
    first = run_stages(ws, crm, {"mode": "data_mode"}, upto="domains")
    ctx, _ = first["domains"]
    studio = DomainStudio(ctx)
    widget = studio.widget()
    row, unknown = _buttons(widget, "Unknown")[0]
    key = row.children[0].value.split("<code>")[1].split("</code>")[0]
    unknown.click()                                   # a real widget click
    assert studio.log[-1] == {"key": key, "action": "unknown"}
    other = next(r for r in studio.rows if f"{r['source_table']}.{r['source_column']}" != key)
    other_key = f"{other['source_table']}.{other['source_column']}"
    studio.set_domain(other_key, "general.note")
    made = decisions.latest(ws / "data/migration/decisions.json")
    assert made[("domain", key)]["action"] == "unknown"
    assert made[("domain", key)]["actor"]["role"] == "analyst"
    ledger = rows(ctx, "SELECT detail FROM ledger WHERE event = 'human_decision'")
    assert len(ledger) == 2 and key in ledger[0]["detail"]
    second = run_stages(ws, crm, {"mode": "data_mode"}, upto="domains")
    ctx2, _ = second["domains"]
    assert ctx2.run_id != ctx.run_id               # the decisions file is part of the contract
    got = {f"{r['source_table']}.{r['source_column']}": r for r in rows(
        ctx2, "SELECT * FROM migration_domains WHERE run_id = ? AND side = 'source'",
        ctx2.run_id)}
    assert got[key]["domain"] is None and got[key]["decided_by"].startswith("human:")
    assert got[other_key]["domain"] == "general.note" and got[other_key]["band"] == "high"


def test_studio_alias_is_staged_and_viewer_may_not_decide(crm, tmp_path):
    ws = tmp_path / "ws"
    ctx, _ = run_stages(ws, crm, {"mode": "data_mode"}, upto="domains")["domains"]
    studio = DomainStudio(ctx)
    r = studio.rows[0]
    studio.add_alias(f"{r['source_table']}.{r['source_column']}", "legacy spelling")
    staged = (ws / "data/migration/domains_staged.yml").read_text()
    assert "legacy spelling" in staged
    ctx.params["actor"] = {"user_id": "vic", "role": "viewer"}
    with pytest.raises(PolicyBlock, match="decide_domain"):
        DomainStudio(ctx).approve(f"{r['source_table']}.{r['source_column']}")


def test_mapping_studio_fix_with_a_plan_then_accepted_on_rerun(crm, tmp_path):
    ws = tmp_path / "ws"
    ctx, _out = run_stages(ws, crm, {"mode": "data_mode"}, upto="mapping")["mapping"]
    studio = MappingStudio(ctx)
    target = next(m for m in studio.rows if m["dsl"])
    key = f"{target['target_table']}.{target['target_column']}"
    assert "SQL:" in studio.detail_html(key)
    plan = json.loads(target["dsl"])
    studio.fix(key, dsl=plan, reason="checked by hand")
    with pytest.raises(DslReject, match="not in the DSL"):
        studio.fix(key, dsl={**plan, "steps": [{"op": "eval"}]})
    hold_key = next(f"{m['target_table']}.{m['target_column']}" for m in studio.rows
                    if f"{m['target_table']}.{m['target_column']}" != key)
    _, hold = _buttons(studio.widget(), "Hold")[1]
    hold.click()
    _ctx2, out2 = run_stages(ws, crm, {"mode": "data_mode"}, upto="mapping")["mapping"]
    got = {f"{r['target_table']}.{r['target_column']}": r
           for r in out2["mappings"].iter_rows(named=True)}
    assert got[key]["decision"] == "accept" and got[key]["decided_by"].startswith("human:")
    assert "checked by hand" in got[key]["rationale"]
    assert got[hold_key]["decision"] == "hold"


def test_borderline_columns_go_to_a_scripted_model(llm_home, crm, tmp_path):  # noqa: F811
    def answer(text):
        first = text.split("Candidate domains (id: description):\n- ", 1)[1].split(":", 1)[0]
        return json.dumps({"domain": first, "confidence": 1.0, "rationale": "the header says so"})

    import yaml

    from workbench.pipelines.migration.contract import load_profile

    profile = load_profile()  # a wide borderline band, so several columns go to the model
    profile["domaining"].update(tau_high=0.995, tau_low=0.3)
    profile_file = tmp_path / "wide.yml"
    profile_file.write_text(yaml.safe_dump(profile))
    model = scripted_model.script("scripted", default=answer)
    ctx, out = run_stages(tmp_path / "ws", crm, {"mode": "data_mode",
                                                 "threshold_profile": str(profile_file)},
                          model="scripted", upto="domains")["domains"]
    arb = out["arbitration"]
    assert arb["borderline"] >= 1, arb
    assert model.calls >= 1 and arb["status"] == "model" and arb["promoted"] >= 1, arb
    for p in model.sent:                      # what left the machine: masked sketches only
        assert "@example" not in p
    decided = rows(ctx, "SELECT decided_by FROM migration_domains WHERE run_id = ? AND "
                        "decided_by LIKE 'model:%'", ctx.run_id)
    assert len(decided) == arb["promoted"]
    calls = rows(ctx, "SELECT model, pii_mask_applied FROM ledger WHERE run_id = ? AND "
                      "stage = 'domains' AND model = 'scripted'", ctx.run_id)
    assert calls
