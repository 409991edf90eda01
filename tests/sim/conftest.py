"""Fixtures for the simulator tests: an in-process simulator reached through ``requests``, like the client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vastplan.sim import SimServer, Simulator, serve

from .support import Api, make_api


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def api(sim: Simulator) -> Api:
    return make_api(sim)


@pytest.fixture
def anon(sim: Simulator) -> Api:
    """The same simulator with no credentials on the session."""
    return make_api(sim, auth=None)


@pytest.fixture
def policy(api: Api) -> dict[str, Any]:
    return api.create("viewpolicies", name="pol-a")


@pytest.fixture
def http_server() -> Iterator[SimServer]:
    with serve() as server:
        yield server


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost (trustme)."""
    trustme = pytest.importorskip("trustme")
    directory = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    files = {"ca": directory / "ca.pem", "cert": directory / "cert.pem", "key": directory / "key.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    issued.cert_chain_pems[0].write_to_path(str(files["cert"]))
    for extra in issued.cert_chain_pems[1:]:
        extra.write_to_path(str(files["cert"]), append=True)
    issued.private_key_pem.write_to_path(str(files["key"]))
    return files
