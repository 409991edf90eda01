"""The client against the real simulator: in-process (its requests adapter), ``sim://FILE`` through
``connect()``, and ``serve()`` over HTTP and HTTPS. Faults come from the simulator's control API."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import trustme

from vastplan.client import (
    ConnectionConfig,
    RetryPolicy,
    VmsAuthError,
    VmsBadRequest,
    VmsClient,
    VmsConnectionError,
    VmsError,
    VmsNotFound,
    VmsTransientError,
    connect,
)
from vastplan.sim import Simulator
from vastplan.sim.server import serve

ORIGIN = "https://vms.sim.example"
FAST = RetryPolicy(max_attempts=4, initial_delay=0.001, max_delay=0.005, max_elapsed=5.0)


class Control:
    """The simulator's control API (DESIGN.md §8), over any transport."""

    def __init__(self, origin: str, adapter: requests.adapters.BaseAdapter | None = None, verify: Any = True):
        self.origin = origin
        self.session = requests.Session()
        self.verify = verify
        if adapter is not None:
            self.session.mount(origin + "/", adapter)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.session.request(method, self.origin + path, json=body, verify=self.verify, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def calls(self) -> list[dict[str, Any]]:
        answer = self.call("GET", "/_sim/calls")
        return list(answer["calls"] if isinstance(answer, dict) else answer)

    def fault(self, **spec: Any) -> None:
        self.call("POST", "/_sim/faults", spec)


def _routes(calls: list[dict[str, Any]]) -> list[str]:
    """The paths without their /api/<ver> prefix, e.g. /views/3/."""
    return [str(c["route"]) for c in calls]


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def control(sim: Simulator) -> Control:
    return Control(ORIGIN, sim.adapter())


def _client(sim: Simulator, **overrides: Any) -> VmsClient:
    values: dict[str, Any] = {"endpoint": ORIGIN, "username": "admin", "password": "123456", "retry": FAST}
    values.update(overrides)
    return VmsClient(ConnectionConfig(**values), adapter=sim.adapter())


def test_bearer_login_and_version(sim: Simulator, control: Control) -> None:
    with _client(sim, api_version="v5") as vms:
        assert vms.cluster_version() == (5, 3, 0)
        vms.require_version("trash_api")
        tenants = vms.list("/tenants/")
    assert any(t["name"] == "default" and t["id"] == 1 for t in tenants)
    assert "/token/" in _routes(control.calls())


def test_basic_auth(sim: Simulator) -> None:
    with _client(sim, auth_mode="basic") as vms:
        assert vms.version_at_least(5, 3)


def test_tenant_header(sim: Simulator) -> None:
    with _client(sim, tenant="default") as vms:
        assert vms.list("/viewpolicies/") is not None


def test_bad_password(sim: Simulator) -> None:
    with _client(sim, password="wrong-S3cret") as vms, pytest.raises(VmsAuthError) as caught:
        vms.list("/views/")
    assert str(caught.value).startswith(f"login as user 'admin' at {ORIGIN} failed: 401 Unauthorized")
    assert "wrong-S3cret" not in str(caught.value)


def test_pagination(sim: Simulator, control: Control) -> None:
    with _client(sim, page_size=2, api_version="latest") as vms:
        for i in range(5):
            vms.post("/viewpolicies/", {"name": f"policy-{i}", "tenant_id": 1})
        control.call("DELETE", "/_sim/calls")
        names = {p["name"] for p in vms.list("/viewpolicies/", {"name__startswith": "policy-"})}
    assert names == {f"policy-{i}" for i in range(5)}
    reads = [c for c in control.calls() if c["method"] == "GET"]
    assert len(reads) == 3


def test_error_mapping(sim: Simulator) -> None:
    with _client(sim) as vms:
        vms.post("/viewpolicies/", {"name": "dup", "tenant_id": 1})
        with pytest.raises(VmsBadRequest) as caught:
            vms.post("/viewpolicies/", {"name": "dup", "tenant_id": 1})
        assert caught.value.detail
        assert str(caught.value).startswith("POST /viewpolicies/ failed: 400 Bad Request: ")
        with pytest.raises(VmsNotFound):
            vms.get("/views/424242/")


def test_get_retried_through_injected_503s(sim: Simulator, control: Control) -> None:
    control.fault(method="GET", path="/views/", status=503, times=2)
    with _client(sim) as vms:
        control.call("DELETE", "/_sim/calls")
        assert vms.list("/views/") == []
    statuses = [c["status"] for c in control.calls() if c["route"] == "/views/"]
    assert statuses == [503, 503, 200]


def test_post_not_retried(sim: Simulator, control: Control) -> None:
    control.fault(method="POST", path="/viewpolicies/", status=503, times=1)
    with _client(sim) as vms:
        with pytest.raises(VmsTransientError):
            vms.post("/viewpolicies/", {"name": "p", "tenant_id": 1})
        assert vms.list("/viewpolicies/", {"name": "p"}) == []


def test_dropped_answer_after_commit(sim: Simulator, control: Control) -> None:
    with _client(sim) as vms:
        vms.cluster_version()  # logged in, so that the next call is the POST
        control.fault(drop_after_commit=True, times=1)
        with pytest.raises(VmsConnectionError) as caught:
            vms.post("/viewpolicies/", {"name": "committed", "tenant_id": 1})
        assert caught.value.outcome_unknown is True
        # The VMS did commit it: the caller must look before sending it again.
        assert [p["name"] for p in vms.list("/viewpolicies/", {"name": "committed"})] == ["committed"]


def test_connect_sim_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with connect(ConnectionConfig("sim://cluster.json")) as vms:
        assert vms.cluster_version() == (5, 3, 0)
        vms.post("/viewpolicies/", {"name": "kept", "tenant_id": 1})
    assert (tmp_path / "cluster.json").exists()
    with connect(ConnectionConfig(f"sim://{tmp_path / 'cluster.json'}")) as vms:
        assert [p["name"] for p in vms.list("/viewpolicies/", {"name": "kept"})] == ["kept"]


@pytest.fixture
def http_sim() -> Iterator[Any]:
    server = serve("127.0.0.1", port=0)
    server.start()
    yield server
    server.shutdown()


def test_expired_tokens_with_eight_threads(http_sim: Any) -> None:
    # Over real sockets, with latency on the reads, so that all eight threads are refused before any
    # of them renews (in-process, the simulator answers one request at a time).
    control = Control(http_sim.url)
    config = ConnectionConfig(http_sim.url, username="admin", password="123456")
    with VmsClient(config) as vms:
        vms.cluster_version()
        control.fault(expire_tokens=True)
        control.fault(path="/views/", latency_ms=100, times=8)
        control.call("DELETE", "/_sim/calls")
        errors: list[VmsError] = []

        def work() -> None:
            try:
                vms.list("/views/")
            except VmsError as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert errors == []
    calls = control.calls()
    statuses = [c["status"] for c in calls if c["route"] == "/views/"]
    assert statuses.count(200) == 8
    assert statuses.count(403) >= 2  # normally 8; a thread slow to start may arrive after the renewal
    # One renewal, by one thread. The simulator's expire_tokens kills the refresh token too, so the
    # renewal is one refresh attempt (refused) and one login: two token requests, never one per thread.
    assert [(c["route"], c["status"]) for c in calls if c["route"].startswith("/token/")] == [
        ("/token/refresh/", 403),
        ("/token/", 200),
    ]


def test_serve_over_http(http_sim: Any) -> None:
    with VmsClient(ConnectionConfig(http_sim.url, username="admin", password="123456")) as vms:
        assert vms.cluster_version() == (5, 3, 0)


def test_serve_read_timeout_and_lost_answer(http_sim: Any) -> None:
    control = Control(http_sim.url)
    config = ConnectionConfig(
        http_sim.url, username="admin", password="123456", read_timeout=0.2, retry=RetryPolicy(max_attempts=1)
    )
    with VmsClient(config) as vms:
        vms.cluster_version()
        control.fault(drop_after_commit=True, times=1)
        with pytest.raises(VmsConnectionError) as caught:
            vms.post("/viewpolicies/", {"name": "lost", "tenant_id": 1})
        assert caught.value.outcome_unknown is True
        control.call("DELETE", "/_sim/faults")
        control.fault(latency_ms=600)
        with pytest.raises(VmsConnectionError) as caught:
            vms.get("/views/")
        assert caught.value.outcome_unknown is True


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    folder = tmp_path_factory.mktemp("simtls")
    paths = {"ca": str(folder / "ca.pem"), "cert": str(folder / "cert.pem"), "key": str(folder / "key.pem")}
    ca.cert_pem.write_to_path(paths["ca"])
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(paths["cert"], append=True)
    cert.private_key_pem.write_to_path(paths["key"])
    return paths


@pytest.fixture
def https_sim(tls: dict[str, str]) -> Iterator[Any]:
    server = serve("127.0.0.1", port=0, cert=tls["cert"], key=tls["key"])
    server.start()
    yield server
    server.shutdown()


def test_serve_over_https_with_the_ca_bundle(https_sim: Any, tls: dict[str, str]) -> None:
    assert https_sim.url.startswith("https://")
    config = ConnectionConfig(https_sim.url, username="admin", password="123456", ca_bundle=tls["ca"])
    with VmsClient(config) as vms:
        assert vms.cluster_version() == (5, 3, 0)


def test_serve_over_https_without_the_ca(https_sim: Any) -> None:
    config = ConnectionConfig(https_sim.url, username="admin", password="123456")
    with VmsClient(config) as vms, pytest.raises(VmsConnectionError) as caught:
        vms.cluster_version()
    assert "TLS failure" in str(caught.value)
    assert "certificate verify failed" in str(caught.value)
    assert caught.value.outcome_unknown is False
