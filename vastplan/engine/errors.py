"""Every error the engine raises on purpose, in one tree.

::

    VastplanError                 (vastplan.errors)
    └── EngineError               planning or applying could not go on
        ├── StalePlanError        the cluster changed since the plan was made; re-plan   (.expected .actual)
        ├── DigestMismatch        the plan is not the one that was approved               (.expected .actual)
        ├── DataLossRefused       the plan loses data and nobody allowed it                (.addresses)
        ├── InvalidSteps          the steps of a plan do not form a runnable graph         (.problems)
        ├── ApplyFailed           a step failed; the report says what ran and what did not (.report)
        └── NotConverged          apply finished, yet planning again still finds changes   (.addresses)

``str(error)`` is a message fit for a terminal. None carries a credential: the texts come from addresses,
digests, step paths and the VMS's own error text, never from request headers (DESIGN §5).

Each class keeps its constructor arguments so that it survives pickling and ``copy`` (``__reduce__``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vastplan.errors import VastplanError

if TYPE_CHECKING:
    from vastplan.engine.execution.report import ApplyReport

__all__ = [
    "ApplyFailed",
    "DataLossRefused",
    "DigestMismatch",
    "EngineError",
    "InvalidSteps",
    "NotConverged",
    "StalePlanError",
]

# How many addresses or failures a message names before it says "and N more".
_NAMED = 10
_FAILURES_NAMED = 3


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _name_some(items: Sequence[str], limit: int = _NAMED) -> str:
    shown = ", ".join(items[:limit])
    rest = len(items) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


class EngineError(VastplanError):
    """Base class of every error raised by :mod:`vastplan.engine`."""


class StalePlanError(EngineError):
    """The objects a plan was computed from have changed on the cluster (DESIGN §5): re-plan.

    ``expected`` is the plan's ``observed_digest``, ``actual`` the digest of what the cluster holds now;
    ``addresses`` optionally names the objects that changed, when the caller knows them.
    """

    def __init__(self, expected: str, actual: str, addresses: Sequence[str] = ()) -> None:
        self.expected = expected
        self.actual = actual
        self.addresses = tuple(addresses)
        message = (
            "the cluster changed since the plan was made "
            f"(observed {expected} when planning, {actual} now); plan again"
        )
        if self.addresses:
            message += f"; changed: {_name_some(self.addresses)}"
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.expected, self.actual, self.addresses))


class DigestMismatch(EngineError):
    """The plan's digest is not the one the caller approved (``--expect-digest``, DESIGN §5)."""

    def __init__(self, expected: str, actual: str) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"plan digest is {actual}, but {expected} was expected: this is not the plan that was approved"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.expected, self.actual))


class DataLossRefused(EngineError):
    """The plan holds data-loss changes and data loss was not allowed explicitly (DESIGN §5)."""

    def __init__(self, addresses: Sequence[str]) -> None:
        self.addresses = tuple(addresses)
        super().__init__(
            f"refusing to apply {_count(len(self.addresses), 'data-loss change')}: "
            f"{_name_some(self.addresses)}; "
            f"allow data loss explicitly (--allow-data-loss) to apply {'it' if len(self.addresses) == 1 else 'them'}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.addresses,))


class InvalidSteps(EngineError):
    """The steps handed to the executor cannot be run: bad fields, unknown or cyclic ``depends_on``.

    Raised before any request is sent. A plan made by the planner never has these problems; a hand-edited
    plan file may.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("the plan's steps cannot be run: " + "; ".join(self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


class ApplyFailed(EngineError):
    """A step failed and apply stopped (DESIGN §6). ``report`` says which steps are done, failed or not
    started; planning again continues from wherever it stopped."""

    def __init__(self, report: ApplyReport) -> None:
        self.report = report
        failures = [f"step {r.id} {r.address}: {r.error}" for r in report.failed]
        message = f"apply failed: {report.summary_line()}"
        if failures:
            message += "; " + _name_some(failures, _FAILURES_NAMED)
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.report,))


class NotConverged(EngineError):
    """Every step ran, yet planning again still finds changes (DESIGN §6). That is a bug in vastplan (or
    someone changed the cluster during apply): we want to hear about it."""

    def __init__(self, addresses: Sequence[str]) -> None:
        self.addresses = tuple(addresses)
        super().__init__(
            f"apply finished but {_count(len(self.addresses), 'change')} "
            f"{'remains' if len(self.addresses) == 1 else 'remain'}: {_name_some(self.addresses)}; "
            "unless the cluster was changed meanwhile, this is a vastplan bug: please report it "
            "with the output of `vastplan plan --format json`"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.addresses,))
