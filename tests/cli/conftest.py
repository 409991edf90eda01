"""Fixtures of the command-line tests: a simulator server per module, state files, a clean process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vastplan.cli import redact

from .harness import VASTPLAN, SimServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: runs the installed vastplan command in a subprocess")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not VASTPLAN.exists():
        skip = pytest.mark.skip(reason="the vastplan console script is not installed next to the interpreter")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def sim_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    """One ``vastplan sim serve`` per test module (starting it costs more than a reset)."""
    server = SimServer(tmp_path_factory.mktemp("sim") / "state.json")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim(sim_server: SimServer) -> SimServer:
    """The module's server, reset to a fresh cluster with an empty call log."""
    sim_server.fresh()
    return sim_server


@pytest.fixture
def sim_file(tmp_path: Path) -> str:
    """A ``sim://`` endpoint whose state lives in a new file."""
    return f"sim://{tmp_path / 'cluster.json'}"


@pytest.fixture(autouse=True)
def _no_remembered_secrets() -> Iterator[None]:
    # In-process tests share the module-level set of secrets to redact; start each from none.
    redact.forget_all()
    yield
    redact.forget_all()
