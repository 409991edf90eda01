"""What every benchmark needs: simulators to measure against, call counting, timing, the machine.

Counting is exact: every benchmark reads the simulator's own call log (``GET /_sim/calls``), which sees
every VMS request whichever client sent it (ours, or the in-tree driver's). Logins are counted apart
(``/token/``): they are one per client, not per operation.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import platform
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import requests

from vastplan.client import ConnectionConfig, VmsClient
from vastplan.sim import Simulator, serve

T = TypeVar("T")

ADMIN = ("admin", "123456")  # the simulator's demo user (docs/simulator.md)
_LOGIN_ROUTES = ("/token/", "/token/refresh/")


# ------------------------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    """The facts a reader needs to compare numbers: no host name, no path."""
    return {
        "cpus": str(os.cpu_count() or "?"),
        "cpus usable": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": f"{platform.system()} {platform.machine()}",
        "processor": _processor_model(),
    }


def _processor_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


# ------------------------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """Wall times of repeated runs (seconds)."""

    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def __str__(self) -> str:
        return seconds(self.median)


def seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 100:
        return f"{value:.2f} s"
    return f"{value:.0f} s"


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and its wall time; the garbage collector runs before, not during, the clock."""
    gc.collect()
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


# --------------------------------------------------------------------------------------- simulators


class Control:
    """The simulator's control API (``/_sim/...``), over whichever transport reaches it."""

    def __init__(self, base_url: str, adapter: Any = None, verify: bool | str = True) -> None:
        self.base_url = base_url.rstrip("/")
        self.verify = verify
        self.session = requests.Session()
        if adapter is not None:
            self.session.mount(self.base_url + "/", adapter)

    def __call__(self, method: str, path: str, body: Any = None) -> Any:
        response = self.session.request(
            method, f"{self.base_url}/_sim/{path}", json=body, timeout=600, verify=self.verify
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def state(self) -> dict[str, Any]:
        result = self("GET", "state")
        assert isinstance(result, dict)
        return result

    def load(self, state: dict[str, Any]) -> None:
        self("PUT", "state", state)

    def calls(self) -> list[dict[str, Any]]:
        result = self("GET", "calls")
        return list(result["calls"] if isinstance(result, dict) else result)

    def clear_calls(self) -> None:
        self("DELETE", "calls")

    def fault(self, **fault: Any) -> None:
        self("POST", "faults", fault)

    def clear_faults(self) -> None:
        self("DELETE", "faults")


@dataclass(frozen=True)
class CallCount:
    """The VMS calls of one measured operation, logins apart."""

    total: int
    logins: int
    by_route: Counter[str]
    mutations: int

    @classmethod
    def of(cls, calls: list[dict[str, Any]]) -> CallCount:
        logins = sum(1 for c in calls if c["route"] in _LOGIN_ROUTES)
        rest = [c for c in calls if c["route"] not in _LOGIN_ROUTES]
        mutations = sum(
            1
            for c in rest
            if c["method"] in ("POST", "PATCH", "PUT", "DELETE") and "stat_path" not in c["route"]
        )
        return cls(
            len(rest), logins, Counter(f"{c['method']} {_collection(c['route'])}" for c in rest), mutations
        )


def _collection(route: str) -> str:
    """``/views/12/`` → ``/views/{id}/``: routes grouped by endpoint."""
    parts = [("{id}" if p.isdigit() else p) for p in route.strip("/").split("/")]
    return "/" + "/".join(parts) + "/"


@dataclass
class InProcess:
    """A simulator reached through its ``requests`` transport: no socket, no thread switch."""

    sim: Simulator = field(default_factory=Simulator)
    endpoint: str = "https://vms.bench.invalid"

    @functools.cached_property
    def control(self) -> Control:
        return Control(self.endpoint, adapter=self.sim.adapter())

    def client(self, **options: Any) -> VmsClient:
        config = ConnectionConfig(endpoint=self.endpoint, username=ADMIN[0], password=ADMIN[1], **options)
        return VmsClient(config, adapter=self.sim.adapter())


@dataclass
class Served:
    """A simulator served on 127.0.0.1 (HTTPS with a throwaway CA, as the in-tree driver always speaks
    HTTPS) in a thread of this process."""

    server: Any
    ca_file: str | None

    @property
    def url(self) -> str:
        return str(self.server.url)

    @property
    def port(self) -> int:
        return int(self.server.port)

    @property
    def sim(self) -> Simulator:
        return self.server.simulator  # type: ignore[no-any-return]

    @functools.cached_property
    def control(self) -> Control:
        return Control(self.url, verify=self.ca_file or True)

    def client(self, **options: Any) -> VmsClient:
        config = ConnectionConfig(
            endpoint=self.url, username=ADMIN[0], password=ADMIN[1], ca_bundle=self.ca_file, **options
        )
        return VmsClient(config)


@contextlib.contextmanager
def served(*, https: bool = True) -> Iterator[Served]:
    """``serve()`` on 127.0.0.1, port chosen by the system; HTTPS needs ``trustme`` (the ``test`` extra)."""
    with tempfile.TemporaryDirectory(prefix="vastplan-bench-") as tmp:
        cert = key = ca_file = None
        if https:
            import trustme

            ca = trustme.CA()
            issued = ca.issue_cert("127.0.0.1")
            cert, key, ca_file = (os.path.join(tmp, n) for n in ("cert.pem", "key.pem", "ca.pem"))
            issued.cert_chain_pems[0].write_to_path(cert)
            issued.private_key_pem.write_to_path(key)
            ca.cert_pem.write_to_path(ca_file)
        server = serve("127.0.0.1", 0, cert=cert, key=key).start()
        try:
            yield Served(server, ca_file)
        finally:
            server.shutdown()


def have(module: str) -> bool:
    """Whether an optional module can be imported (manila, trustme, matplotlib)."""
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@dataclass
class Subprocess:
    """A simulator served over HTTP by ``vastplan sim serve`` in a process of its own: what the measuring
    process spends (time, memory) is then the client's and the engine's alone."""

    url: str
    process: Any

    @functools.cached_property
    def control(self) -> Control:
        return Control(self.url)

    def client(self, on_request: Any = None, **options: Any) -> VmsClient:
        config = ConnectionConfig(endpoint=self.url, username=ADMIN[0], password=ADMIN[1], **options)
        return VmsClient(config, on_request=on_request)


@contextlib.contextmanager
def simulator_process() -> Iterator[Subprocess]:
    """``python -m vastplan.cli sim serve --port 0``; stopped with SIGTERM (it exits cleanly)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vastplan.cli", "sim", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        if "listening on" not in line:
            raise RuntimeError(f"the simulator did not start: {line!r}")
        yield Subprocess(line.rsplit(" ", 1)[-1].strip(), process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


class RequestClock:
    """An ``on_request`` hook for :class:`VmsClient`: how many exchanges, and the time spent waiting for
    the VMS (so that wall time minus this is the time spent in our own code)."""

    def __init__(self) -> None:
        self.count = 0
        self.waiting = 0.0

    def __call__(self, method: str, path: str, status: int | None, elapsed: float) -> None:
        self.count += 1
        self.waiting += elapsed

    def reset(self) -> None:
        self.count, self.waiting = 0, 0.0
