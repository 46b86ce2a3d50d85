import pytest

from workbench import config, runs
from workbench.errors import BadInput, WorkspaceLocked
from workbench.pipeline import Params, Pipeline


class P(Params):
    n: int = 3
    vendor: str = "auto"
    ratio: float = 0.5


PIPE = Pipeline("demo_p", "1", "test", stages=(), params=P)


def test_contract_hash_is_stable_across_key_order():
    a = {"pipeline": "x", "params": {"a": 1, "b": [1, 2], "c": {"z": 1, "y": 2}}, "model": "offline"}
    b = {"model": "offline", "params": {"c": {"y": 2, "z": 1}, "b": [1, 2], "a": 1}, "pipeline": "x"}
    assert runs.contract_hash(a) == runs.contract_hash(b)
    assert runs.contract_hash(a) != runs.contract_hash({**a, "model": "gpt-4o-mini"})


def test_plan_is_deterministic_and_names_the_run(tmp_path):
    f = tmp_path / "in.txt"
    f.write_text("hello")
    s = config.load(tmp_path)
    p1 = runs.plan_run(PIPE, s, inputs=[str(f)], params={"vendor": "squid", "n": 4})
    p2 = runs.plan_run(PIPE, s, inputs=[str(f)], params={"n": 4, "vendor": "squid"})
    assert p1.run_id == p2.run_id and p1.run_id.startswith("demo_p-")
    assert p1.run_id.endswith(p1.contract_hash[:8])
    assert p1.params == {"n": 4, "vendor": "squid", "ratio": 0.5}
    f.write_text("changed")
    assert runs.plan_run(PIPE, s, inputs=[str(f)], params={"n": 4}).run_id != p1.run_id
    assert runs.plan_run(PIPE, s, inputs=[str(f)], params={"n": 4}, fresh=True).run_id != \
        runs.plan_run(PIPE, s, inputs=[str(f)], params={"n": 4}).run_id
    assert not (tmp_path / "data").exists()  # planning writes nothing


@pytest.mark.parametrize("params, words", [
    ({"nn": 1}, ["'nn'", "accepted", "n (int)", "vendor (str)"]),
    ({"n": "many"}, ["'n'", "int"]),
    ({"ratio": "x"}, ["'ratio'", "float"]),
])
def test_bad_parameters_are_named(params, words):
    with pytest.raises(BadInput) as e:
        runs.validate_params(PIPE, params)
    for w in words:
        assert w in str(e.value)


def test_missing_input_is_named(tmp_path):
    with pytest.raises(BadInput, match="nope.log"):
        runs.fingerprint_inputs([str(tmp_path / "nope.log")])


def test_lock_names_holder_and_frees_on_release(tmp_path):
    s = config.load(tmp_path)
    with runs.WorkspaceLock(s, "run-A"), pytest.raises(WorkspaceLocked, match="run-A"):
        runs.WorkspaceLock(s, "run-B").acquire()
    with runs.WorkspaceLock(s, "run-B") as lock:
        assert lock.stale_holder is None  # released cleanly: nothing stale


def test_ledger_is_append_only_with_detail(tmp_path):
    import json

    from workbench import store

    s = config.load(tmp_path)
    runs.append_ledger(s, run_id="r1", stage="st", event="llm_call", model="m", tokens_in=3,
                       usd=0.1, status="ok", task="t1")
    runs.append_ledger(s, run_id="r1", stage="st", event="llm_call", model="m", status="ok")
    with store.connect(s) as con:
        rows = con.execute("SELECT event_id, tokens_in, detail FROM ledger ORDER BY event_id").fetchall()
    assert len(rows) == 2 and rows[0][0] < rows[1][0]
    assert json.loads(rows[0][2]) == {"task": "t1"} and rows[0][1] == 3
