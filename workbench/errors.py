"""One exception hierarchy, mapped to the error taxonomy (seed 001 §31) and the CLI exit codes.

Exit codes: 0 ok · 2 bad input or parameters · 3 a stage failed · 4 workspace locked.
Each error carries a taxonomy ``code`` and says whether the class is transient (retry and fall
back) or deterministic (never retry).
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_STAGE_FAILED = 3
EXIT_LOCKED = 4

# code -> (class, retry, fallback)
TAXONOMY: dict[str, tuple[str, bool, bool]] = {
    "POLICY_BLOCK": ("deterministic", False, False),
    "DSL_REJECT": ("deterministic", False, False),
    "PROVIDER_UNHEALTHY": ("transient", True, True),
    "RATE_LIMIT": ("transient", True, True),
    "TIMEOUT": ("transient", True, True),
    "QUOTA_EXHAUSTED": ("transient", True, True),
    "TRANSIENT_ERROR": ("transient", True, True),
    "DETERMINISTIC_FAILURE": ("deterministic", False, False),
    "QUARANTINE_REQUIRED": ("deterministic", False, False),
    "BUDGET_EXCEEDED": ("deterministic", False, False),
    "SCHEMA_INVALID": ("deterministic", False, True),
    "WORKSPACE_LOCKED": ("deterministic", False, False),
    "STAGE_FAILED": ("deterministic", False, False),
}


def is_transient(code: str | None) -> bool:
    """Return True when errors of this taxonomy code may be retried."""
    return bool(code) and TAXONOMY.get(code, ("", False, False))[1]


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose."""

    code = "DETERMINISTIC_FAILURE"
    exit_code = EXIT_STAGE_FAILED

    def __init__(self, message: str, *, code: str | None = None, detail: dict | None = None):
        super().__init__(message)
        if code:
            self.code = code
        self.detail = detail or {}

    @property
    def transient(self) -> bool:
        return is_transient(self.code)


class BadInput(WorkbenchError):
    """A parameter, path, pipeline name or input record is wrong; nothing was written."""

    code = "DETERMINISTIC_FAILURE"
    exit_code = EXIT_BAD_INPUT


class WorkspaceLocked(WorkbenchError):
    """Another live run holds the workspace lock."""

    code = "WORKSPACE_LOCKED"
    exit_code = EXIT_LOCKED

    def __init__(self, message: str, *, holder: dict | None = None):
        super().__init__(message, detail=holder or {})
        self.holder = holder or {}


class StageFailed(WorkbenchError):
    """A stage notebook raised; the run stopped there."""

    code = "STAGE_FAILED"
    exit_code = EXIT_STAGE_FAILED

    def __init__(self, message: str, *, stage: str, run_id: str, report: str | None = None):
        super().__init__(message, detail={"stage": stage, "run_id": run_id})
        self.stage, self.run_id, self.report = stage, run_id, report


class PolicyBlock(WorkbenchError):
    """An outgoing payload still holds PII (or breaks another egress policy)."""

    code = "POLICY_BLOCK"


class BudgetExceeded(WorkbenchError):
    """A call would exceed the token or USD budget of its run or stage."""

    code = "BUDGET_EXCEEDED"


class ProviderError(WorkbenchError):
    """A model provider failed; ``code`` tells which class (RATE_LIMIT, TIMEOUT, …)."""

    code = "TRANSIENT_ERROR"

    def __init__(self, message: str, *, code: str = "TRANSIENT_ERROR",
                 retry_after: float | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class QuarantineRequired(WorkbenchError):
    """A record failed validation and belongs in quarantine."""

    code = "QUARANTINE_REQUIRED"


class DslReject(BadInput):
    """A Transform DSL plan uses an unknown or out-of-policy op, or a bad argument (§11, §35)."""

    code = "DSL_REJECT"
