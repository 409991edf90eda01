"""``Simulator``: the single entry point every transport goes through (adapter, server, ``sim://FILE``).

``handle(method, url, headers, body)`` parses the request, lets the faults decide (status, latency,
dropped connection), runs it against the backend under the store's lock, and logs it. Injected latency is
slept with no lock held, so a slow request never holds up the others.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vastplan.sim import control
from vastplan.sim.backend import SimBackend
from vastplan.sim.dispatch import dispatch
from vastplan.sim.faults import FaultPlan
from vastplan.sim.http import SimResponse
from vastplan.sim.request import SimRequest, parse_request
from vastplan.sim.state import Record
from vastplan.sim.store import Clock, FileStore, MemoryStore, Store, World

if TYPE_CHECKING:
    from vastplan.sim.adapter import SimAdapter


class Simulator:
    """A simulated VMS. ``Simulator()`` is a fresh in-memory cluster; ``Simulator.open_file(path)`` one whose
    state lives in a JSON file shared between processes (``sim://FILE`` endpoints)."""

    def __init__(self, *, clock: Clock = time.time) -> None:
        self._store: Store = MemoryStore(clock)
        self._clock = clock
        self._label = "memory"

    @classmethod
    def open_file(cls, path: str | os.PathLike[str], *, clock: Clock = time.time) -> Simulator:
        """A simulator persisted in ``path`` (created fresh when missing). Raises SimStateFileError when the
        file cannot be used, naming it."""
        simulator = cls.__new__(cls)
        simulator._store = FileStore(path, clock)
        simulator._clock = clock
        simulator._label = f"file={os.fspath(path)!r}"
        return simulator

    def __repr__(self) -> str:
        return f"Simulator({self._label})"

    # -- the entry point -------------------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        *,
        read_timeout: float | None = None,
    ) -> SimResponse:
        """Answer one request. ``read_timeout`` (seconds): when injected latency exceeds it, the request still
        runs (as on a real server) but the response comes back marked ``timed_out``."""
        request = parse_request(method, url, headers or {}, body)
        if request.is_control:
            with self._store.session() as world:
                return control.handle(world, request)
        started = self._clock()
        with self._store.session() as world:
            plan = world.faults.take(request)
            if plan.latency_s <= 0:
                return self._run(world, request, plan, started)
        delay = plan.latency_s
        timed_out = read_timeout is not None and delay > read_timeout
        time.sleep(min(delay, read_timeout) if read_timeout is not None else delay)
        with self._store.session() as world:
            response = self._run(world, request, plan, started)
        response.timed_out = timed_out
        return response

    @staticmethod
    def _run(world: World, request: SimRequest, plan: FaultPlan, started: float) -> SimResponse:
        response = plan.status.response() if plan.status is not None else dispatch(world.backend, request)
        world.calls.record(request, response, started=started, dropped=plan.drop)
        response.dropped = plan.drop
        return response

    # -- conveniences for in-process use ---------------------------------------------------------------------

    def adapter(self) -> SimAdapter:
        """A ``requests`` transport serving any URL it is mounted for."""
        from vastplan.sim.adapter import SimAdapter

        return SimAdapter(self)

    def state_dict(self) -> Record:
        with self._store.session() as world:
            return world.backend.state_dict()

    def load_state_dict(self, data: Any) -> None:
        with self._store.session() as world:
            world.backend.load_state_dict(data)

    def reset(self) -> None:
        """A fresh cluster, with an empty call log and no faults (``POST /_sim/reset``)."""
        with self._store.session() as world:
            world.backend.reset()
            world.calls.clear()
            world.faults.clear()

    @property
    def calls(self) -> list[Record]:
        """The call log (see :mod:`vastplan.sim.calls`), a copy."""
        with self._store.session() as world:
            return world.calls.entries()

    @property
    def backend(self) -> SimBackend:
        """The live backend of an in-memory simulator (a file-backed one has none between requests)."""
        if not isinstance(self._store, MemoryStore):
            raise TypeError("a file-backed simulator keeps no live backend; use the control API")
        return self._store.world.backend
