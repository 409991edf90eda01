"""The engine's exception tree: messages fit for a terminal, and values that survive pickling."""

from __future__ import annotations

import pickle

import pytest

from vastplan.engine.errors import (
    ApplyFailed,
    DataLossRefused,
    DigestMismatch,
    EngineError,
    InvalidSteps,
    NotConverged,
    StalePlanError,
)
from vastplan.engine.executor import ApplyReport, StepResult
from vastplan.errors import VastplanError


def failed_report() -> ApplyReport:
    return ApplyReport(
        (
            StepResult(1, "viewpolicy[p]", "create", "POST", "/viewpolicies/", "done", attempts=1),
            StepResult(
                2,
                "view[/v]",
                "create",
                "POST",
                "/views/",
                "failed",
                error="POST /views/ failed: 400",
                attempts=1,
            ),
            StepResult(3, "quota[/v]", "create", "POST", "/quotas/", "not_started"),
        )
    )


ERRORS: list[EngineError] = [
    StalePlanError("sha256:aa", "sha256:bb", ["view[/v]"]),
    DigestMismatch("sha256:aa", "sha256:bb"),
    DataLossRefused(["folder[/f]", "snapshot[s]"]),
    InvalidSteps(["step 1: depends on itself"]),
    ApplyFailed(failed_report()),
    NotConverged(["view[/v]"]),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_engine_error_is_a_vastplan_error_and_pickles(error: EngineError) -> None:
    assert isinstance(error, VastplanError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)


def test_messages() -> None:
    assert str(StalePlanError("sha256:aa", "sha256:bb")) == (
        "the cluster changed since the plan was made (observed sha256:aa when planning, sha256:bb now); plan again"
    )
    assert "changed: view[/v]" in str(ERRORS[0])
    assert "this is not the plan that was approved" in str(ERRORS[1])
    assert str(ERRORS[2]) == (
        "refusing to apply 2 data-loss changes: folder[/f], snapshot[s]; "
        "allow data loss explicitly (--allow-data-loss) to apply them"
    )
    assert str(ERRORS[4]) == (
        "apply failed: 1 done, 1 failed, 1 not started; step 2 view[/v]: POST /views/ failed: 400"
    )
    assert str(ERRORS[5]).startswith("apply finished but 1 change remains: view[/v]")


def test_long_lists_are_cut_short() -> None:
    message = str(DataLossRefused([f"folder[/f{n}]" for n in range(25)]))
    assert "folder[/f9] and 15 more" in message and "folder[/f10]" not in message


def test_apply_failed_carries_the_report() -> None:
    report = failed_report()
    assert ApplyFailed(report).report is report
    assert DataLossRefused(["a[b]"]).addresses == ("a[b]",)
    assert NotConverged(["a[b]"]).addresses == ("a[b]",)
