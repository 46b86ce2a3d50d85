"""The pii stage's identity parameters: handles under person/user keys are masked, encoded or not."""
from __future__ import annotations

from types import SimpleNamespace

import polars as pl

from workbench import config
from workbench.pipelines.ai_usage.privacy import _identity_params


def test_identity_params_mask_handles_under_plain_and_encoded_keys(tmp_path):
    ctx = SimpleNamespace(settings=config.load(tmp_path))
    queries = pl.Series(["name=jane.doe&x=1", "user%5Fname=wei.chen", "full+name=lars.berg",
                         "%6Eame=olga.sato", "q=jane.doe", None])
    m, audit = _identity_params(queries, "redact", ctx)
    masked = dict(zip(m["value"].to_list(), m["masked"].to_list(), strict=True))
    assert set(masked) == {"name=jane.doe&x=1", "user%5Fname=wei.chen", "full+name=lars.berg",
                           "%6Eame=olga.sato"}                 # free text (q=) is not a key's job
    assert all(".".join(h) not in v for v in masked.values()
               for h in (("jane", "doe"), ("wei", "chen"), ("lars", "berg"), ("olga", "sato")))
    assert masked["name=jane.doe&x=1"].startswith("name=<") and masked["name=jane.doe&x=1"] \
        .endswith(">&x=1")
    assert sum(a["count"] for a in audit) == 4 and {a["action"] for a in audit} == {"redact"}


def test_identity_params_find_keys_anywhere_among_many_distinct_queries(tmp_path):
    # cache busters make every query distinct; keys are judged once and only queries holding an
    # identity key with a value are rebuilt
    ctx = SimpleNamespace(settings=config.load(tmp_path))
    busters = [f"_cb={i}&q=report" for i in range(5000)]
    queries = pl.Series(busters + ["_cb=1&owner=jdoe.x", "xname=zed.q&filename=a.txt",
                                   "name=&x=2", "x=1&login=wchen&name=", "aname=jane.doe"])
    m, audit = _identity_params(queries, "redact", ctx)
    masked = dict(zip(m["value"].to_list(), m["masked"].to_list(), strict=True))
    assert set(masked) == {"_cb=1&owner=jdoe.x", "x=1&login=wchen&name="}
    assert masked["x=1&login=wchen&name="].startswith("x=1&login=<") \
        and masked["x=1&login=wchen&name="].endswith(">&name=")
    assert "jdoe" not in masked["_cb=1&owner=jdoe.x"] and sum(a["count"] for a in audit) == 2
