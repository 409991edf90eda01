"""Injected faults (DESIGN §8, ``POST /_sim/faults``): error statuses, latency, broken connections.

A fault matches requests by method and by route (the path without ``/api/<ver>``, normalised with a trailing
slash; shell-style wildcards allowed: ``/views/*/`` is any one view, ``/views/*`` the list too).
``times`` counts the requests it still applies to; without it the fault stays until ``DELETE /_sim/faults``.
Control calls never meet faults.
"""

from __future__ import annotations

import fnmatch
from dataclasses import asdict, dataclass
from typing import Any

from vastplan.sim.errors import FieldErrors
from vastplan.sim.http import SimResponse, json_response, text_response
from vastplan.sim.request import SimRequest
from vastplan.sim.state import Record

_KEYS = frozenset({"method", "path", "status", "latency_ms", "drop_after_commit", "times", "body"})


@dataclass
class Fault:
    method: str | None = None
    path: str | None = None
    status: int | None = None
    latency_ms: float | None = None
    drop_after_commit: bool = False
    times: int | None = None
    body: Any = None

    def matches(self, request: SimRequest) -> bool:
        if self.method and self.method.upper() != request.method:
            return False
        return not self.path or fnmatch.fnmatchcase(request.route, self.path)

    def response(self) -> SimResponse:
        """The answer a status fault gives instead of running the request."""
        status = self.status or 500
        if isinstance(self.body, str):
            return text_response(status, self.body)
        body = self.body if self.body is not None else {"detail": f"Simulated fault: HTTP {status}."}
        return json_response(status, body)

    def to_json(self) -> Record:
        return {key: value for key, value in asdict(self).items() if value not in (None, False)}

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """Validate one fault description; raises FieldErrors naming the bad key."""
        if not isinstance(data, dict):
            raise FieldErrors.one("non_field_errors", "A fault is a JSON object.")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise FieldErrors({key: ["Unknown fault key."] for key in unknown})
        fault = cls(
            method=_optional(data, "method", str),
            path=_route_pattern(_optional(data, "path", str)),
            status=_optional(data, "status", int),
            latency_ms=_optional(data, "latency_ms", (int, float)),
            drop_after_commit=bool(_optional(data, "drop_after_commit", bool)),
            times=_optional(data, "times", int),
            body=data.get("body"),
        )
        if fault.status is None and not fault.latency_ms and not fault.drop_after_commit:
            raise FieldErrors.one(
                "non_field_errors", "A fault needs status, latency_ms or drop_after_commit."
            )
        if fault.status is not None and not 100 <= fault.status <= 599:
            raise FieldErrors.one("status", "Expected an HTTP status between 100 and 599.")
        if fault.times is not None and fault.times < 1:
            raise FieldErrors.one("times", "Expected a positive count.")
        if fault.latency_ms is not None and fault.latency_ms < 0:
            raise FieldErrors.one("latency_ms", "Expected a non-negative number of milliseconds.")
        return fault


def _optional(data: Record, key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and kind is not bool:
        raise FieldErrors.one(key, "Wrong type.")
    if not isinstance(value, kind):
        raise FieldErrors.one(key, "Wrong type.")
    return value


def _route_pattern(path: str | None) -> str | None:
    """``/views`` -> ``/views/``: routes always end with a slash. A pattern ending in ``*`` is left alone."""
    if path is None:
        return None
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith(("/", "*")) else path + "/"


@dataclass
class FaultPlan:
    """What the faults decided for one request."""

    latency_s: float = 0.0
    status: Fault | None = None
    drop: bool = False


class FaultBook:
    """The active faults, in the order they were added."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self.faults: list[Fault] = faults or []

    def add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def clear(self) -> None:
        self.faults.clear()

    def take(self, request: SimRequest) -> FaultPlan:
        """Match ``request`` against the faults, using up one of each matching fault's ``times``."""
        plan = FaultPlan()
        for fault in list(self.faults):
            if not fault.matches(request):
                continue
            used = False
            if fault.latency_ms:
                plan.latency_s += fault.latency_ms / 1000
                used = True
            if fault.status is not None and plan.status is None:
                plan.status, used = fault, True
            if fault.drop_after_commit and not plan.drop:
                plan.drop, used = True, True
            if used and fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
        return plan

    def to_json(self) -> list[Record]:
        return [fault.to_json() for fault in self.faults]

    @classmethod
    def from_json(cls, data: Any) -> FaultBook:
        return cls([Fault.from_json(item) for item in data or []])
