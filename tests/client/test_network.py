"""Real sockets: TLS on by default (CA bundle works, none fails clearly), insecure mode warns once,
refused connections, lost answers (outcome unknown) and read timeouts."""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests_mock
import trustme

from vastplan.client import RetryPolicy, VmsClient, VmsConfigError, VmsConnectionError

from .helpers import API, API_TOKEN, FAST_RETRY, make_client, make_config
from .stub_server import StubServer


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def https_server(ca: trustme.CA) -> Iterator[StubServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = StubServer(context)
    yield server
    server.close()


@pytest.fixture
def http_server() -> Iterator[StubServer]:
    server = StubServer()
    yield server
    server.close()


def _client(url: str, **overrides: object) -> VmsClient:
    return VmsClient(make_config(endpoint=url, **overrides))


def test_verify_is_true_by_default(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock).get("views")
    assert mock.last_request.verify is True


def test_ca_bundle_is_passed_through(mock: requests_mock.Adapter, ca_file: str) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock, ca_bundle=ca_file).get("views")
    assert mock.last_request.verify == ca_file


def test_insecure_mode_passes_false_and_warns_once(
    mock: requests_mock.Adapter, caplog: pytest.LogCaptureFixture
) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    with caplog.at_level(logging.WARNING, logger="vastplan.client"):
        client = make_client(mock, verify_tls=False)
        client.get("views")
        make_client(mock, verify_tls=False).get("views")
    assert mock.last_request.verify is False
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["TLS verification is off for https://vms.example: the VMS's identity is not checked"]


def test_https_with_the_ca_bundle_works(https_server: StubServer, ca_file: str) -> None:
    with _client(https_server.url, ca_bundle=ca_file) as client:
        assert client.cluster_version() == (5, 3, 0)
    assert https_server.requests == [("GET", "/api/versions/?status=success")]


def test_https_without_the_ca_fails_clearly(https_server: StubServer) -> None:
    with _client(https_server.url) as client, pytest.raises(VmsConnectionError) as caught:
        client.get("versions")
    message = str(caught.value)
    assert message.startswith(f"GET /versions/ failed: TLS failure talking to {https_server.url}: ")
    assert "certificate verify failed" in message
    assert "VAST_CA_BUNDLE" in message
    assert caught.value.outcome_unknown is False
    assert https_server.requests == []


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_https_insecure_mode_connects(https_server: StubServer) -> None:
    with _client(https_server.url, verify_tls=False) as client:
        assert client.get("versions") == [{"sys_version": "5.3.0"}]


def test_connection_refused(http_server: StubServer) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with _client(f"http://127.0.0.1:{port}") as client, pytest.raises(VmsConnectionError) as caught:
        client.post("views", {"path": "/a"})
    assert caught.value.outcome_unknown is False
    assert f"cannot connect to http://127.0.0.1:{port}" in str(caught.value)


def test_lost_answer_to_a_post_is_outcome_unknown(http_server: StubServer) -> None:
    http_server.mode = "drop"
    with _client(http_server.url) as client, pytest.raises(VmsConnectionError) as caught:
        client.post("views", {"path": "/a"})
    assert caught.value.outcome_unknown is True
    assert "the request may have been carried out" in str(caught.value)
    assert http_server.requests == [("POST", "/api/views/")]  # sent once, never repeated


def test_lost_answers_to_a_get_are_retried(http_server: StubServer) -> None:
    http_server.mode = "drop"
    with _client(http_server.url) as client, pytest.raises(VmsConnectionError):
        client.get("views")
    assert len(http_server.requests) == FAST_RETRY.max_attempts


def test_read_timeout(http_server: StubServer) -> None:
    http_server.mode = "slow"
    http_server.delay = 0.6
    config = make_config(endpoint=http_server.url, read_timeout=0.15, retry=RetryPolicy(max_attempts=1))
    with VmsClient(config) as client, pytest.raises(VmsConnectionError) as caught:
        client.patch("views/1", {"path": "/a"})
    assert caught.value.outcome_unknown is True
    assert f"{http_server.url} sent no answer within 0.15 s" in str(caught.value)


def test_plain_http_to_another_host_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="vastplan.client"):
        VmsClient(make_config(endpoint="http://vms.example", api_token=API_TOKEN)).close()
        VmsClient(make_config(endpoint="http://127.0.0.1:9", api_token=API_TOKEN)).close()
    assert [r.getMessage() for r in caplog.records] == [
        "http://vms.example is plain HTTP: credentials and data cross the network unencrypted"
    ]


def test_missing_ca_bundle_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(VmsConfigError, match=r"CA bundle .*nope.pem does not exist"):
        _client("https://vms.example", ca_bundle=str(missing))
