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
