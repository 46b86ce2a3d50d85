"""Alert rules (YAML, validated) and their evaluation over tier results into batched alerts."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.pipelines.trace_eval.alerts import (
    ChannelsConfig,
    channels_from_settings,
    evaluate_alerts,
    load_rules,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def frames(rows: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (results, traces) from row dicts with defaults for every column."""
    res, tr = [], []
    for i, r in enumerate(rows):
        tid = r.get("trace_id", f"t-{i:04d}")
        res.append({"run_id": "run-1", "trace_id": tid, "tier": r.get("tier", 1),
                    "module": r["module"], "passed": r.get("passed", False),
                    "severity": r.get("severity", "high"), "score": r.get("score", 1.0),
                    "reason": r.get("reason", f"{r['module']} flagged")})
        tr.append({"trace_id": tid, "model": r.get("model", "gpt-4o-mini"),
                   "started_at": r.get("at", T0), "response": r.get("response", "ok <PERSON>")})
    schema = {"run_id": pl.Utf8, "trace_id": pl.Utf8, "tier": pl.Int64, "module": pl.Utf8,
              "passed": pl.Boolean, "severity": pl.Utf8, "score": pl.Float64, "reason": pl.Utf8}
    traces = pl.DataFrame(tr, schema={"trace_id": pl.Utf8, "model": pl.Utf8,
                                      "started_at": pl.Datetime("us", "UTC"),
                                      "response": pl.Utf8})
    return pl.DataFrame(res, schema=schema), traces.unique("trace_id", keep="first")


def write(tmp_path, text: str):
    path = tmp_path / "rules.yml"
    path.write_text(text)
    return path


# --- parsing ---------------------------------------------------------------------------------

def test_shipped_rules_load():
    rs = load_rules()
    assert [r.name for r in rs.rules] == ["pii_leak", "safety_critical", "module_failure_rate",
                                          "risk_model_high", "llm_judge_fail"]
    assert rs.policy.route("critical").channels == ["webhook", "slack", "email"]
    assert rs.policy.route("medium").mode == "digest"


@pytest.mark.parametrize("body, rule, field", [
    (("rules:\n  - name: hot\n    when: {rate: {window_minutes: 60, threshold: 1.5}}\n"
      "    severity: high\n"), "hot", "when.rate.threshold"),
    (("rules:\n  - name: typo\n    when: {module: pii_leak, min_scor: 0.3}\n"
      "    severity: high\n"), "typo", "when.min_scor"),
    ("rules:\n  - name: loud\n    when: {module: pii_leak}\n    severity: urgent\n",
     "loud", "severity"),
    (("rules:\n  - name: pager\n    when: {module: pii_leak}\n    severity: high\n"
      "    channels: [pager]\n"), "pager", "channels.0"),
    ("rules:\n  - name: empty\n    when: {min_severity: high}\n    severity: high\n",
     "empty", "when"),
    ("rules:\n  - when: {module: pii_leak}\n    severity: high\n", "#1", "name"),
])
def test_bad_rule_names_rule_and_field(tmp_path, body, rule, field):
    with pytest.raises(BadInput) as err:
        load_rules(write(tmp_path, body))
    msg = str(err.value)
    assert f"'{rule}'" in msg or rule in msg
    assert f"field '{field}'" in msg
    assert err.value.exit_code == 2


def test_bad_files(tmp_path):
    with pytest.raises(BadInput, match="not valid YAML"):
        load_rules(write(tmp_path, "rules: [\n"))
    with pytest.raises(BadInput, match="not found"):
        load_rules(tmp_path / "missing.yml")
    with pytest.raises(BadInput, match="defined twice"):
        load_rules(write(tmp_path, "rules:\n" + "  - {name: a, when: {module: x}, severity: low}\n"
                         * 2))
    with pytest.raises(BadInput, match=r"alert policy .* field 'routing\.high\.mode'"):
        load_rules(write(tmp_path, "policy:\n  routing:\n    high: {channels: [slack], "
                         "mode: later}\n"))


def test_user_file_overrides_shipped(tmp_path):
    path = write(tmp_path, """
rules:
  - {name: pii_leak, when: {module: pii_leak}, severity: high, channels: [slack]}
  - {name: llm_judge_fail, when: {module: llm_judge}, severity: low, enabled: false}
  - {name: slow, when: {module: truncation}, severity: low}
policy:
  batch_minutes: 5
  routing:
    low: {channels: [slack], mode: digest}
""")
    rs = load_rules(path)
    by = {r.name: r for r in rs.rules}
    assert by["pii_leak"].severity == "high" and by["pii_leak"].channels == ["slack"]
    assert "llm_judge_fail" not in by and "slow" in by and "safety_critical" in by
    assert rs.policy.batch_minutes == 5
    assert rs.policy.route("low").channels == ["slack"]
    assert rs.policy.route("critical").channels == ["webhook", "slack", "email"]  # kept
    only = load_rules(write(tmp_path, "replace_shipped: true\nrules:\n"
                            "  - {name: only, when: {module: x}, severity: low}\n"))
    assert [r.name for r in only.rules] == ["only"]


# --- evaluation ------------------------------------------------------------------------------

def test_pii_leak_is_critical_and_ignores_passed_and_unevaluated():
    res, tr = frames([{"module": "pii_leak"}, {"module": "pii_leak", "passed": True},
                      {"module": "pii_leak", "passed": None}])
    alerts = evaluate_alerts(res, tr, None, T0)
    assert [(a.rule, a.severity, a.trace_ids) for a in alerts] == [
        ("pii_leak", "critical", ("t-0000",))]


def test_safety_only_critical_triggers():
    res, tr = frames([{"module": "safety_triggers", "severity": "high"},
                      {"module": "safety_triggers", "severity": "critical"}])
    (alert,) = evaluate_alerts(res, tr, None, T0)
    assert (alert.rule, alert.severity, alert.trace_ids) == ("safety_critical", "critical",
                                                             ("t-0001",))


def test_rate_rule_over_time_windows():
    rows = []
    # 12:00-13:00: 25 evaluated, 6 flagged (24 % > 20 %) → alert
    rows += [{"module": "format_validity", "passed": i >= 6, "at": T0 + timedelta(minutes=2 * i)}
             for i in range(25)]
    # 13:00-14:00: 19 evaluated, all flagged, under min_traces → no alert
    rows += [{"module": "format_validity", "at": T0 + timedelta(hours=1, minutes=i)}
             for i in range(19)]
    # 14:00-15:00: 30 evaluated, 3 flagged (10 %) → no alert
    rows += [{"module": "truncation", "passed": i >= 3, "at": T0 + timedelta(hours=2, minutes=i)}
             for i in range(30)]
    rows += [{"module": "truncation", "passed": None, "at": T0 + timedelta(hours=2)}] * 5
    res, tr = frames(rows)
    alerts = [a for a in evaluate_alerts(res, tr, None, T0) if a.rule == "module_failure_rate"]
    assert len(alerts) == 1
    a = alerts[0]
    assert (a.severity, a.module, a.count, a.window_start) == ("high", "format_validity", 6, T0)
    assert a.detail["evaluated"] == 25 and a.detail["rate"] == pytest.approx(0.24)
    assert "6 of 25" in a.reasons[0]


def test_risk_score_and_judge_verdict_are_medium():
    res, tr = frames([{"module": "risk_model", "tier": 2, "score": 0.85, "passed": True},
                      {"module": "risk_model", "tier": 2, "score": 0.79, "passed": True},
                      {"module": "llm_judge", "tier": 3, "passed": False},
                      {"module": "llm_judge", "tier": 3, "passed": None,
                       "reason": "not judged (offline)"}])
    got = {(a.rule, a.severity, a.trace_ids) for a in evaluate_alerts(res, tr, None, T0)}
    assert got == {("risk_model_high", "medium", ("t-0000",)),
                   ("llm_judge_fail", "medium", ("t-0002",))}


def test_batching_groups_and_excerpts():
    long = "masked <EMAIL_ADDRESS> " + "x" * 400
    rows = [{"module": "pii_leak", "at": T0 + timedelta(seconds=30 * i), "response": long}
            for i in range(20)]
    rows += [{"module": "pii_leak", "at": T0 + timedelta(minutes=40), "trace_id": "late"}]
    res, tr = frames(rows)
    alerts = evaluate_alerts(res, tr, None, T0)
    rate = [a for a in alerts if a.rule == "module_failure_rate"]   # 21 of 21 flagged in 1 h
    assert [(a.severity, a.count) for a in rate] == [("high", 21)]
    first, second = [a for a in alerts if a.rule == "pii_leak"]
    assert first.count == 20 and len(first.trace_ids) == 20
    assert first.window_end - first.window_start == timedelta(minutes=15)
    assert len(first.excerpts) == 5 and all(len(e.text) <= 200 for e in first.excerpts)
    assert second.trace_ids == ("late",) and second.fingerprint == first.fingerprint
    assert second.alert_id != first.alert_id

    by_model = load_rules().model_copy(update={"rules": [
        load_rules().rules[0].model_copy(update={"group_by": ["model"]})]})
    res, tr = frames([{"module": "pii_leak", "model": m} for m in ("a", "b", "a")])
    alerts = evaluate_alerts(res, tr, by_model, T0)
    assert sorted((a.group["model"], a.count) for a in alerts) == [("a", 2), ("b", 1)]
    assert len({a.fingerprint for a in alerts}) == 2


def test_missing_columns_and_missing_traces():
    with pytest.raises(BadInput, match="lack column"):
        evaluate_alerts(pl.DataFrame({"trace_id": ["x"]}), None, None, T0)
    res, _ = frames([{"module": "pii_leak"}])
    (alert,) = evaluate_alerts(res, None, None, T0)   # no traces: window from now, no excerpts
    assert alert.window_start == T0 and alert.excerpts == ()


# --- channel settings ------------------------------------------------------------------------

def test_channels_from_env_and_file():
    env = {"WORKBENCH_ALERT_WEBHOOK_URL": "http://127.0.0.1:9/hook",
           "WORKBENCH_ALERT_WEBHOOK_SECRET": "s" * 32,
           "WORKBENCH_ALERT_SMTP_HOST": "127.0.0.1", "WORKBENCH_ALERT_SMTP_PORT": "2525",
           "WORKBENCH_ALERT_SMTP_FROM": "alerts@example.org",
           "WORKBENCH_ALERT_SMTP_TO": "a@example.org, b@example.org",
           "WORKBENCH_ALERT_SMTP_STARTTLS": "false"}
    cfg = channels_from_settings(env=env, file_cfg={"slack": {"url": "https://hooks.example/x"},
                                                    "retry": {"max_attempts": 2}})
    assert cfg.configured() == ["webhook", "slack", "email"]
    assert cfg.email.to == ["a@example.org", "b@example.org"] and cfg.email.port == 2525
    assert cfg.email.starttls is False and cfg.retry.max_attempts == 2
    assert "s" * 32 not in repr(cfg)
    assert channels_from_settings(env={}, file_cfg={}) == ChannelsConfig()
    with pytest.raises(BadInput, match="WORKBENCH_ALERT_WEBHOOK_SECRET"):
        channels_from_settings(env={"WORKBENCH_ALERT_WEBHOOK_URL": "http://h/x"}, file_cfg={})
    with pytest.raises(BadInput, match="WORKBENCH_ALERT_SMTP_PORT"):
        channels_from_settings(env={**env, "WORKBENCH_ALERT_SMTP_PORT": "0"}, file_cfg={})
