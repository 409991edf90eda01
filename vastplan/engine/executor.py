"""Runs the steps of a plan against a VMS and reports what happened to each (DESIGN §6).

The executor knows no resource kind: everything it needs is in the steps (docs/internals.md, "A step").

- Steps run once every step they need is done: their ``depends_on``, plus the create step of each address
  their ``$ref``s name. Independent steps run concurrently, at most ``parallelism`` at a time; ready steps
  start lowest id first, so ``parallelism=1`` runs in step id order.
- ``{"$ref": "ADDRESS.FIELD"}`` anywhere in a body, params or lookup params is replaced, just before the
  step runs, by that field of the object the address's create step returned (or its lookup found). Paths
  are literal. A reference that cannot be resolved fails its step, which is then never sent.
- Transient failures are retried with exponential backoff and full jitter (:class:`RetryPolicy`). A POST
  whose outcome is unknown is settled by the step's ``lookup``, never repeated blindly. Errors listed in
  ``tolerate``, and a DELETE answered 404, mean "already done".
- After a failure that retries cannot fix, no new step starts; steps in flight finish; the report lists
  every step as ``done``, ``failed`` or ``not_started``. Planning again continues from there.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from vastplan.engine.execution.events import ApplyEvent, EventSink, EventType
from vastplan.engine.execution.report import ApplyReport, StepResult, StepStatus
from vastplan.engine.execution.retry import RetryPolicy
from vastplan.engine.execution.runner import CreatedObjects, RunContext, StepClient, announce, run_step
from vastplan.engine.execution.scheduler import run_graph
from vastplan.engine.execution.steps import build_graph

__all__ = [
    "ApplyEvent",
    "ApplyReport",
    "EventType",
    "RetryPolicy",
    "StepClient",
    "StepResult",
    "StepStatus",
    "execute_steps",
]


def execute_steps(
    client: StepClient,
    steps: Sequence[Mapping[str, Any]],
    *,
    parallelism: int = 8,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 (frozen: sharing the default is safe)
    on_event: Callable[[ApplyEvent], object] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> ApplyReport:
    """Run ``steps`` (the ``steps`` of a plan document) and report every step's outcome.

    Raises :class:`vastplan.engine.errors.InvalidSteps` before sending anything when the steps cannot be
    run (bad fields, duplicate ids, unknown or cyclic dependencies, malformed ``$ref``s), and
    ``ValueError`` for a ``parallelism`` below 1. VMS errors never escape: they are in the report.
    ``on_event`` is called from worker threads, one call at a time; what it raises is logged and ignored.
    ``sleep`` and ``clock`` are the waits between retries and the clock bounding them, for tests.
    """
    if parallelism < 1:
        raise ValueError(f"parallelism must be at least 1, got {parallelism}")
    graph = build_graph(steps)
    ctx = RunContext(
        client=client,
        policy=retry,
        events=EventSink(on_event),
        objects=CreatedObjects(graph.creators),
        sleep=sleep,
        clock=clock,
        random=random.random,
    )
    results = run_graph(
        graph, lambda step: run_step(ctx, step), lambda result: announce(ctx, result), parallelism
    )
    return ApplyReport(
        tuple(
            results.get(step.id)
            or StepResult(step.id, step.address, step.action, step.method, step.path, "not_started")
            for step in graph.steps
        )
    )
