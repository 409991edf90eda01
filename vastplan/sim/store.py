"""Where a simulator's world (cluster state, faults, call log) lives: in memory, or in a JSON file.

``session()`` yields the world for one request and makes that request atomic:
- :class:`MemoryStore` holds the backend lock for the session;
- :class:`FileStore` (``sim://FILE``) takes an exclusive ``fcntl`` lock on ``FILE.lock``, loads the file,
  yields, and writes the file back (atomically, by rename) when anything changed, so two processes sharing
  the file never lose each other's updates. A missing file is a fresh cluster; a file that is not a
  simulator state raises :class:`~vastplan.sim.errors.SimStateFileError` naming it.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from vastplan.sim.backend import SimBackend
from vastplan.sim.calls import CallLog
from vastplan.sim.errors import FieldErrors, SimStateFileError
from vastplan.sim.faults import FaultBook
from vastplan.sim.state import ClusterState

FILE_FORMAT = 1
Clock = Callable[[], float]


@dataclass
class World:
    backend: SimBackend
    faults: FaultBook = field(default_factory=FaultBook)
    calls: CallLog = field(default_factory=CallLog)


class Store(Protocol):
    def session(self) -> AbstractContextManager[World]:
        """A context manager yielding the :class:`World` for one atomic request."""


class MemoryStore:
    def __init__(self, clock: Clock = time.time) -> None:
        self.world = World(SimBackend(clock=clock))

    @contextmanager
    def session(self) -> Iterator[World]:
        with self.world.backend.lock:
            yield self.world


class FileStore:
    def __init__(self, path: str | os.PathLike[str], clock: Clock = time.time) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._clock = clock
        # flock excludes other processes; this lock keeps threads of one process in line too.
        self._thread_lock = threading.Lock()
        with self.session():
            pass

    @contextmanager
    def session(self) -> Iterator[World]:
        with self._thread_lock, self._file_lock():
            text = self._read()
            world = self._decode(text)
            yield world
            updated = self._encode(world)
            if updated != text:
                self._write(updated)

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        try:
            handle = open(self.lock_path, "a+")  # noqa: SIM115 - held for the whole session
        except OSError as exc:
            raise SimStateFileError(
                f"simulator state file {self.path}: cannot open lock file: {exc}"
            ) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SimStateFileError(f"simulator state file {self.path} cannot be read: {exc}") from exc

    def _decode(self, text: str | None) -> World:
        if text is None:
            return World(SimBackend(clock=self._clock))
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FILE_FORMAT or "state" not in data:
                raise ValueError(f"not a vastplan simulator state (format {FILE_FORMAT})")
            backend = SimBackend(ClusterState.from_json(data["state"]), clock=self._clock)
            return World(
                backend, FaultBook.from_json(data.get("faults")), CallLog(list(data.get("calls") or []))
            )
        except (ValueError, FieldErrors) as exc:
            raise SimStateFileError(f"simulator state file {self.path} is corrupt: {exc}") from exc

    @staticmethod
    def _encode(world: World) -> str:
        document = {
            "format": FILE_FORMAT,
            "state": world.backend.state_dict(),
            "faults": world.faults.to_json(),
            "calls": world.calls.entries(),
        }
        return json.dumps(document, indent=1, sort_keys=True)

    def _write(self, text: str) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise SimStateFileError(f"simulator state file {self.path} cannot be written: {exc}") from exc
