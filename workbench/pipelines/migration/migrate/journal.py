"""The ledger events of one engine call, written in as few brief workspace connections as can be.

DuckDB allows one writer per file, so the engine opens the workspace database briefly: once
before touching the target (policy decisions, pre-flight, strategy) and once at the end, in the
transaction that mirrors the checkpoints (promotion or failed validation).

Examples
--------
>>> j = Journal(None, "run-1")
>>> j.add("migration_preflight", decision="accept", detail={"checks": 3})
>>> [e for e, _ in j.events]
['migration_preflight']
"""
from __future__ import annotations

from .checkpoints import STAGE


class Journal:
    """Ledger events waiting to be written for one run."""

    def __init__(self, settings, run_id: str):
        self.settings, self.run_id, self.events = settings, run_id, []

    def add(self, event: str, **fields) -> None:
        """Queue one ledger event (written by :meth:`flush`)."""
        self.events.append((event, fields))

    def decision(self, decision) -> None:
        """Queue a policy decision as the ``policy_decision`` event the policy engine writes."""
        self.add("policy_decision", policy_version=decision.policy_version,
                 **decision.as_event())

    def flush(self, con=None) -> None:
        """Write the queued events (on ``con`` when given, else in one brief connection)."""
        from .... import store
        from ....runs import append_ledger

        if not self.events:
            return
        if con is None:
            with store.connect(self.settings) as own:
                own.execute("BEGIN")
                self.flush(own)
                own.execute("COMMIT")
            return
        for event, fields in self.events:
            append_ledger(self.settings, run_id=self.run_id, stage=STAGE, event=event, con=con,
                          **fields)
        self.events = []
