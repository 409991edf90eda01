"""Defects found in release QA, each pinned by the test that would have caught it."""

from __future__ import annotations

import ssl
import warnings
from collections.abc import Iterator

import pytest
import trustme
import urllib3

from vastplan.client import ConnectionConfig, VmsClient, VmsConnectionError

from .helpers import API_TOKEN, make_config
from .stub_server import StubServer


@pytest.fixture
def http_server() -> Iterator[StubServer]:
    server = StubServer()
    yield server
    server.close()


@pytest.fixture
def https_server() -> Iterator[StubServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    server = StubServer(context)
    yield server
    server.close()


def test_insecure_mode_warns_once_not_on_every_request(https_server: StubServer) -> None:
    # --insecure used to print urllib3's InsecureRequestWarning (two lines each) for every single call of
    # a plan, burying the plan under dozens of identical warnings; the client's own warning says it once.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with VmsClient(make_config(endpoint=https_server.url, verify_tls=False)) as client:
            for _ in range(3):
                client.get("versions")
    insecure = [w for w in caught if issubclass(w.category, urllib3.exceptions.InsecureRequestWarning)]
    assert insecure == []


def test_insecure_mode_for_one_host_keeps_warnings_for_others() -> None:
    VmsClient(make_config(endpoint="https://lab.example", verify_tls=False))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        warnings.warn(
            "Unverified HTTPS request is being made to host 'prod.example'.",
            urllib3.exceptions.InsecureRequestWarning,
            stacklevel=1,
        )
    assert len(caught) == 1


def test_https_to_a_plain_http_port_says_so(http_server: StubServer) -> None:
    # The TLS hint used to suggest a CA bundle, which cannot help when the port speaks no TLS at all.
    https_url = http_server.url.replace("http://", "https://")
    with VmsClient(make_config(endpoint=https_url)) as client, pytest.raises(VmsConnectionError) as caught:
        client.get("versions")
    message = str(caught.value)
    assert "does not speak TLS" in message
    assert http_server.url in message
    assert "VAST_CA_BUNDLE" not in message


def test_a_user_name_beside_an_api_token_is_not_an_error() -> None:
    # VAST_USER left in the environment while VAST_API_TOKEN is set used to fail with "give both a
    # username and a password", although the token alone authenticates.
    config = ConnectionConfig.from_env(
        {"VAST_ENDPOINT": "https://vms.example", "VAST_USER": "ops", "VAST_API_TOKEN": API_TOKEN}
    )
    assert config.effective_auth_mode == "api_token"
