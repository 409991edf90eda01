"""What an apply did, step by step (DESIGN §6: every step is done, failed or not started)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["ApplyReport", "StepResult", "StepStatus"]

StepStatus = Literal["done", "failed", "not_started"]


@dataclass(frozen=True)
class StepResult:
    """The outcome of one step.

    ``error`` is set only when ``status`` is ``failed``: the call, the status and the VMS's own text.
    ``attempts`` counts the times the request was sent (0 when it never was). ``recovered`` says the
    outcome of a send was unknown and was settled afterwards (by ``lookup``, or by a repeat answered "already
    done"). ``response`` is the object the VMS returned, or the one ``lookup`` found, when there is one.
    """

    id: int
    address: str
    action: str
    method: str
    path: str
    status: StepStatus
    error: str | None = None
    attempts: int = 0
    recovered: bool = False
    response: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ApplyReport:
    """Every step of the plan, in plan order, with its outcome."""

    results: tuple[StepResult, ...]

    @property
    def ok(self) -> bool:
        """True when every step is done (an empty plan is ok)."""
        return all(result.status == "done" for result in self.results)

    @property
    def done(self) -> tuple[StepResult, ...]:
        return self._with("done")

    @property
    def failed(self) -> tuple[StepResult, ...]:
        return self._with("failed")

    @property
    def not_started(self) -> tuple[StepResult, ...]:
        return self._with("not_started")

    @property
    def created(self) -> Mapping[str, Mapping[str, Any]]:
        """Address → object, for every create step that is done and has an object (returned or found)."""
        return MappingProxyType(
            {
                result.address: result.response
                for result in self.results
                if result.action == "create" and result.status == "done" and result.response is not None
            }
        )

    def summary_line(self) -> str:
        """``3 done, 1 failed, 2 not started``."""
        return f"{len(self.done)} done, {len(self.failed)} failed, {len(self.not_started)} not started"

    def _with(self, status: StepStatus) -> tuple[StepResult, ...]:
        return tuple(result for result in self.results if result.status == status)
