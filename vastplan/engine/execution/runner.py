"""One step, from its ``$ref``s to its final outcome: sends, waits, lookups, tolerated errors (DESIGN §6).

The rules, in the order they are applied to a failed send:

1. an error the step ``tolerate``s (or a 404 answering a DELETE) means "already done": the step is done;
2. a POST that may have been committed (the connection broke after sending, a 502 or 504) is never sent
   again blindly: the step's ``lookup`` lists the collection and decides; without a lookup the step fails;
3. any other transient error (connection trouble, 429, 502, 503, 504) is sent again after a backoff wait:
   PATCH, PUT and DELETE are idempotent, and a POST refused with 429/503 was never carried out;
4. anything else fails the step with the call, the status and the VMS's own text.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from vastplan.client.errors import VmsApiError, VmsError
from vastplan.engine.execution.events import EventSink
from vastplan.engine.execution.refs import RefError, resolve_refs
from vastplan.engine.execution.report import StepResult, StepStatus
from vastplan.engine.execution.retry import RetryPolicy, describe_error, is_transient, may_have_committed
from vastplan.engine.execution.steps import Step

__all__ = ["CreatedObjects", "RunContext", "StepClient", "announce", "run_step"]


class StepClient(Protocol):
    """What the executor needs of a :class:`vastplan.client.VmsClient`."""

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Any: ...

    def list(self, path: str, params: dict[str, Any] | None = None) -> Sequence[Mapping[str, Any]]: ...


class CreatedObjects:
    """The objects create steps returned (or lookups found), by address: where ``$ref``s are read from.

    Written and read from worker threads; a step reads only after the steps it needs are done.
    """

    def __init__(self, creators: Mapping[str, int]) -> None:
        self._creators = creators
        self._objects: dict[str, Mapping[str, Any]] = {}
        self._lock = threading.Lock()

    def record(self, address: str, obj: Mapping[str, Any]) -> None:
        with self._lock:
            self._objects[address] = obj

    def get(self, address: str) -> Mapping[str, Any]:
        with self._lock:
            obj = self._objects.get(address)
        if obj is not None:
            return obj
        if address not in self._creators:
            raise RefError(f"no step of this plan creates {address}")
        raise RefError(f"step {self._creators[address]}, which creates {address}, gave back no object")


@dataclass(frozen=True)
class RunContext:
    """Everything a step needs besides itself; shared by all worker threads."""

    client: StepClient
    policy: RetryPolicy
    events: EventSink
    objects: CreatedObjects
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    random: Callable[[], float]


@dataclass(frozen=True)
class _Call:
    """A step's request with every ``$ref`` resolved."""

    params: dict[str, Any]
    body: Any
    lookup_params: dict[str, Any]


class _Next(enum.Enum):
    SEND = "send"
    LOOK = "look"


def run_step(ctx: RunContext, step: Step) -> StepResult:
    """Run one step to its end; never raises for a VMS error (the result says ``failed``).

    Emits ``started``, ``retried`` and ``recovered``; the final ``done`` or ``failed`` is left to
    :func:`announce`, so that the scheduler can stop new steps before anyone hears of a failure.
    """
    ctx.events.emit("started", step.id, step.address, step.label, 0)
    try:
        call = _resolve(step, ctx.objects)
    except RefError as error:
        return _result(step, "failed", error=f"{step.label} not sent: {error}")
    result = _StepRun(ctx, step, call).run()
    if result.status == "done" and step.action == "create" and result.response is not None:
        ctx.objects.record(step.address, result.response)
    return result


def announce(ctx: RunContext, result: StepResult) -> None:
    """The ``done`` or ``failed`` event of a finished step."""
    if result.status == "done":
        ctx.events.emit("done", result.id, result.address, f"{result.method} {result.path}", result.attempts)
    else:
        ctx.events.emit("failed", result.id, result.address, result.error or "", result.attempts)


def _resolve(step: Step, objects: CreatedObjects) -> _Call:
    # Resolved once, just before the first send: the objects referred to are done by then (steps.py).
    lookup_params = step.lookup.params if step.lookup else {}
    return _Call(
        params=resolve_refs(dict(step.params), objects.get),
        body=resolve_refs(step.body, objects.get),
        lookup_params=resolve_refs(dict(lookup_params), objects.get),
    )


def _result(step: Step, status: StepStatus, **outcome: Any) -> StepResult:
    return StepResult(step.id, step.address, step.action, step.method, step.path, status, **outcome)


class _StepRun:
    """The mutable bookkeeping of one step's sends; lives on one worker thread."""

    def __init__(self, ctx: RunContext, step: Step, call: _Call) -> None:
        self.ctx = ctx
        self.step = step
        self.call = call
        self.sends = 0
        self.waits = 0
        self.started = ctx.clock()
        self.unknown = False  # a send may have been carried out and nothing has settled it yet
        self.may_resend = True
        self.last_error = ""

    def run(self) -> StepResult:
        move: _Next | StepResult = _Next.SEND
        while not isinstance(move, StepResult):
            move = self._send() if move is _Next.SEND else self._look()
        return move

    def _send(self) -> _Next | StepResult:
        self.sends += 1
        params = self.call.params or None
        try:
            response = self.ctx.client.request(
                self.step.method, self.step.path, params=params, json=self.call.body
            )
        except VmsError as error:
            return self._after(error)
        return self._done(response if isinstance(response, Mapping) else None, how="sent again")

    def _after(self, error: VmsError) -> _Next | StepResult:
        self.last_error = describe_error(self.step.method, self.step.path, error)
        if self._tolerated(error):
            return self._done(None, how="a repeat was answered as already done")
        self.unknown = self.unknown or may_have_committed(error)
        if self.step.method == "POST" and may_have_committed(error):
            return self._unknown_post()
        if not is_transient(error):
            return self._failed(self.last_error)
        if self.sends >= self.ctx.policy.attempts or not self._wait(self.last_error):
            return self._give_up()
        return _Next.SEND

    def _tolerated(self, error: VmsError) -> bool:
        if not isinstance(error, VmsApiError):
            return False
        if self.step.method == "DELETE" and error.status == 404:
            return True
        return any(t.matches(error.status, error.detail or "") for t in self.step.tolerate)

    def _unknown_post(self) -> _Next | StepResult:
        if self.step.lookup is None:
            return self._failed(
                f"{self.last_error}; outcome unknown: the VMS may have carried it out, and this step has "
                "no lookup to tell; re-plan to see the cluster's state"
            )
        reason = f"{self.last_error}; outcome unknown, looking the object up before sending again"
        # Look even when no send is left: finding the object still settles the step.
        self.may_resend = self.sends < self.ctx.policy.attempts and self._wait(reason)
        return _Next.LOOK

    def _look(self) -> _Next | StepResult:
        lookup = self.step.lookup
        assert lookup is not None  # only _unknown_post leads here, and it checked
        try:
            found = list(self.ctx.client.list(lookup.path, params=self.call.lookup_params or None))
        except VmsError as error:
            # Reads are already retried by the client (DESIGN §7); another layer here would multiply them.
            looked = describe_error("GET", lookup.path, error)
            return self._failed(
                f"{self.last_error}; outcome unknown, and the lookup failed: {looked}; "
                "re-plan to see the cluster's state"
            )
        return self._judge(found)

    def _judge(self, found: list[Mapping[str, Any]]) -> _Next | StepResult:
        action = self.step.action
        if len(found) > 1:
            return self._failed(
                f"{self.last_error}; outcome unknown, and the lookup found {_duplicates(found)}"
            )
        if action not in ("create", "delete"):
            return self._failed(f"{self.last_error}; outcome unknown; re-plan to see the cluster's state")
        present = len(found) == 1
        if present == (action == "create"):
            how = "the lookup found the object" if present else "the lookup found it gone"
            return self._done(found[0] if present else None, how=how)
        # The lookup proves the send was not carried out: sending again cannot duplicate anything.
        self.unknown = False
        return _Next.SEND if self.may_resend else self._give_up()

    def _wait(self, reason: str) -> bool:
        """Wait before the next try; False (without waiting) when that would pass ``max_elapsed``."""
        policy = self.ctx.policy
        self.waits += 1
        delay = policy.delay(self.waits, self.ctx.random())
        if self.ctx.clock() - self.started + delay > policy.max_elapsed:
            return False
        message = f"{reason}; waiting {delay:.2f} s (next attempt {self.sends + 1} of {policy.attempts})"
        self.ctx.events.emit("retried", self.step.id, self.step.address, message, self.sends)
        self.ctx.sleep(delay)
        return True

    def _done(self, response: Mapping[str, Any] | None, *, how: str) -> StepResult:
        """Done; ``how`` says how an unknown outcome was settled, if there was one."""
        recovered = self.unknown
        if recovered:
            message = f"{self.step.label}: the outcome was unknown; {how}"
            self.ctx.events.emit("recovered", self.step.id, self.step.address, message, self.sends)
        return _result(self.step, "done", attempts=self.sends, recovered=recovered, response=response)

    def _give_up(self) -> StepResult:
        elapsed = self.ctx.clock() - self.started
        noun = "attempt" if self.sends == 1 else "attempts"
        return self._failed(f"{self.last_error} (gave up after {self.sends} {noun} in {elapsed:.1f} s)")

    def _failed(self, error: str) -> StepResult:
        return _result(self.step, "failed", error=error, attempts=self.sends)


def _duplicates(found: Sequence[Mapping[str, Any]]) -> str:
    """``2 objects where one was expected: id=12 name=a, id=13 name=a``."""
    shown = [" ".join(f"{key}={obj[key]}" for key in ("id", "name", "path") if key in obj) for obj in found]
    return f"{len(found)} objects where one was expected: {', '.join(s or '?' for s in shown[:10])}"
