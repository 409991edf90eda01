"""Processes of the end-to-end stack: each in its own session (so its whole process group can be ended),
its output in its own log file, stopped by pid and process group, never by name.

:class:`Supervisor` keeps every process it started, in order, and stops them in reverse order; it is also
registered with :mod:`atexit` and for SIGTERM/SIGHUP, so that an interrupted test session still leaves
nothing behind.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

TAIL_LINES = 60
STOP_GRACE = 15.0


class StackError(RuntimeError):
    """A service of the stack did not start or did not become ready; the message holds its log's tail."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for programs that cannot be told to pick one themselves)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines of a log file ('' when there is none)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 256 * 1024))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class Service:
    """One long-running program of the stack."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log: Path,
        *,
        env: Mapping[str, str] | None = None,
        user: str | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log = log
        self.env = dict(env) if env is not None else None
        self.user = user
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        pid = self.proc.pid if self.proc else None
        return f"Service({self.name!r}, pid={pid})"

    def start(self) -> Service:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            out.write(f"===== e2e: starting {self.name}: {' '.join(self.argv)}\n".encode())
            out.flush()
            kwargs: dict[str, Any] = {}
            if self.user is not None:
                kwargs.update(user=self.user, group=self.user, extra_groups=[])
            self.proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,  # its own process group: stop() reaches its children too
                **kwargs,
            )
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def check_running(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise StackError(f"{self.name} exited with status {self.proc.returncode}\n{self.log_tail()}")

    def stop(self, grace: float = STOP_GRACE) -> None:
        """SIGTERM to the process group, SIGKILL to it after ``grace`` seconds; children left behind by a
        leader that already exited are ended too."""
        if self.proc is None:
            return
        group = self.proc.pid  # start_new_session: the group id is the leader's pid
        self._signal_group(group, signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self._signal_group(group, signal.SIGKILL)
            self.proc.wait(timeout=5)
        deadline = time.monotonic() + 5
        while self._group_alive(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        self._signal_group(group, signal.SIGKILL)
        with contextlib.suppress(OSError), self.log.open("ab") as out:
            out.write(f"===== e2e: stopped {self.name} (status {self.proc.returncode})\n".encode())
        self.proc = None

    @staticmethod
    def _signal_group(group: int, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)

    @staticmethod
    def _group_alive(group: int) -> bool:
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def log_tail(self, lines: int = TAIL_LINES) -> str:
        return f"----- last {lines} lines of {self.log.name} -----\n{tail(self.log, lines)}"


class Supervisor:
    """Every service of one stack, stopped in reverse start order, whatever happens."""

    def __init__(self) -> None:
        self.services: list[Service] = []
        self._previous: dict[int, Any] = {}
        self._stopped = False
        atexit.register(self.stop_all)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            self._previous[sig] = signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, frame: Any) -> None:
        # Turned into an interrupt: pytest then tears fixtures down, and atexit catches the rest.
        raise KeyboardInterrupt(f"signal {signum}")

    def start(self, service: Service) -> Service:
        self.services.append(service)
        return service.start()

    def get(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)

    def stop_all(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for service in reversed(self.services):
            with contextlib.suppress(Exception):
                service.stop()
        for sig, handler in self._previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)
        atexit.unregister(self.stop_all)

    def log_tails(self, lines: int = TAIL_LINES) -> Iterator[tuple[str, str]]:
        for service in self.services:
            yield service.name, tail(service.log, lines)


def wait_for(
    check: Callable[[], Any],
    what: str,
    *,
    timeout: float,
    interval: float = 0.5,
    watch: Sequence[Service] = (),
) -> Any:
    """Call ``check`` until it returns something true (returned) or ``timeout`` passes (:class:`StackError`).
    A service in ``watch`` that exits fails the wait at once, with its log's tail. Exceptions from ``check``
    count as "not yet"; the last one is reported."""
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        for service in watch:
            service.check_running()
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 - "not ready yet", reported if it lasts
            last, result = exc, None
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f" (last error: {last!r})" if last else ""
            tails = "\n".join(service.log_tail() for service in watch)
            raise StackError(f"timed out after {timeout:.0f} s waiting for {what}{detail}\n{tails}")
        time.sleep(interval)
