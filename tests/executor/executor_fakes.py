"""A small in-memory stand-in for VmsClient, for unit tests of the executor.

Collections are keyed by their path (``/views/``); a POST to a collection creates an object with the next
id, PATCH and DELETE act on ``/collection/ID/``, a POST elsewhere (``/folders/create_folder/``) returns
None. Faults are scripted per (method, path): raise an error instead of acting, or act and then raise (a
connection broken after the VMS committed). Every call is logged; ``hook`` runs inside each call, e.g. to
hold calls at a barrier or to count calls in flight.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vastplan.client.errors import VmsConnectionError, VmsError, error_for_status
from vastplan.engine.executor import ApplyReport, execute_steps


def api_error(method: str, path: str, status: int, detail: str = "") -> VmsError:
    body = {"detail": detail} if detail else None
    return error_for_status(method, path, status, body)


def dropped() -> VmsError:
    return VmsConnectionError("connection aborted after the request was sent", outcome_unknown=True)


def refused() -> VmsError:
    return VmsConnectionError("connection refused", outcome_unknown=False)


@dataclass
class Fault:
    method: str
    path: str
    error: Callable[[], VmsError]
    times: int
    commit: bool


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: Mapping[str, Any] | None
    body: Any


class FakeClient:
    def __init__(self) -> None:
        self.collections: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[Call] = []
        self.hook: Callable[[Call], None] | None = None
        self._faults: list[Fault] = []
        self._ids = itertools.count(100)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ test set-up and inspection

    def add(self, collection: str, **fields: Any) -> dict[str, Any]:
        obj = {"id": next(self._ids), **fields}
        self.collections.setdefault(collection, []).append(obj)
        return obj

    def fail(
        self, method: str, path: str, error: Callable[[], VmsError], *, times: int = 1, commit: bool = False
    ) -> None:
        self._faults.append(Fault(method, path, error, times, commit))

    def fail_status(self, method: str, path: str, status: int, detail: str = "", *, times: int = 1) -> None:
        self.fail(method, path, lambda: api_error(method, path, status, detail), times=times)

    def sent(self, method: str | None = None, path: str | None = None) -> list[Call]:
        return [c for c in self.calls if (method in (None, c.method)) and (path in (None, c.path))]

    # ------------------------------------------------------------------ the client interface

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Any:
        call = Call(method, path, params, json)
        with self._lock:
            self.calls.append(call)
        if self.hook:
            self.hook(call)
        with self._lock:
            fault = self._take_fault(method, path)
            if fault and not fault.commit:
                raise fault.error()
            result = self._act(method, path, json)
        if fault:
            raise fault.error()
        return result

    def list(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        call = Call("GET", path, params, None)
        with self._lock:
            self.calls.append(call)
            fault = self._take_fault("GET", path)
            if fault:
                raise fault.error()
            wanted = params or {}
            return [
                dict(obj)
                for obj in self.collections.get(path, [])
                if all(obj.get(key) == value for key, value in wanted.items())
            ]

    # ------------------------------------------------------------------ internals

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.times > 0 and fault.method == method and fault.path == path:
                fault.times -= 1
                return fault
        return None

    def _act(self, method: str, path: str, body: Any) -> Any:
        if method == "POST":
            if path.count("/") != 2:  # an action endpoint such as /folders/create_folder/
                return None
            obj = {"id": next(self._ids), **(body or {})}
            self.collections.setdefault(path, []).append(obj)
            return dict(obj)
        collection, _, rest = path.rstrip("/").rpartition("/")
        objects = self.collections.get(collection + "/", [])
        match = [obj for obj in objects if str(obj["id"]) == rest]
        if not match:
            raise api_error(method, path, 404, "Not found.")
        if method == "DELETE":
            objects.remove(match[0])
            return None
        match[0].update(body or {})
        return dict(match[0])


def step(
    step_id: int,
    address: str,
    *,
    action: str = "create",
    method: str | None = None,
    path: str = "/views/",
    body: Any = None,
    params: Mapping[str, Any] | None = None,
    depends_on: tuple[int, ...] = (),
    lookup: Mapping[str, Any] | None = None,
    tolerate: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A step of a plan document; the method follows from the action unless given."""
    default = {"create": "POST", "update": "PATCH", "delete": "DELETE"}[action]
    return {
        "id": step_id,
        "address": address,
        "action": action,
        "method": method or default,
        "path": path,
        "params": dict(params or {}),
        "body": body,
        "depends_on": list(depends_on),
        "risk": "safe",
        "description": f"{action} {address}",
        "lookup": dict(lookup) if lookup is not None else None,
        "tolerate": tolerate or [],
    }


class Sleeper:
    """Stands in for time.sleep and time.monotonic: records each wait and moves its clock on by it."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 0.0
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)
            self.now += seconds

    def clock(self) -> float:
        return self.now


def run_steps(
    client: Any, steps: list[dict[str, Any]], sleeper: Sleeper | None = None, **options: Any
) -> ApplyReport:
    """execute_steps with waits that take no time."""
    sleeper = sleeper or Sleeper()
    return execute_steps(client, steps, sleep=sleeper.sleep, clock=sleeper.clock, **options)


class InFlight:
    """A hook that counts calls in flight and, with ``barrier``, holds each until N are in flight at once."""

    def __init__(self, parties: int = 0) -> None:
        self.now = 0
        self.most = 0
        self._lock = threading.Lock()
        self._barrier = threading.Barrier(parties) if parties > 1 else None

    def __call__(self, call: Call) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            if self._barrier is not None:
                # Passes only when `parties` calls are in flight together: proof of overlap, not of timing.
                self._barrier.wait(timeout=10)
        finally:
            with self._lock:
                self.now -= 1
