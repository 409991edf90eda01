"""ConnectionConfig: defaults, endpoint validation, credentials, repr without secrets, from_env."""

from __future__ import annotations

from typing import Any

import pytest

from vastplan.client import ConnectionConfig, RetryPolicy, VmsConfigError

from .helpers import API_TOKEN, PASSWORD


def test_defaults() -> None:
    config = ConnectionConfig("https://vms.example", api_token=API_TOKEN)
    assert config.verify_tls is True
    assert config.verify is True
    assert config.timeout == (10.0, 60.0)
    assert config.page_size == 1000
    assert config.api_version == ""
    assert config.effective_auth_mode == "api_token"
    assert config.retry == RetryPolicy()


@pytest.mark.parametrize(
    ("endpoint", "fragment"),
    [
        ("", "no endpoint given"),
        ("vms.example", "has no scheme: write https://vms.example"),
        ("ftp://vms.example", "scheme must be https, http or sim"),
        ("https://", "has no host name"),
        ("https://vms.example:99999", "port must be a number from 1 to 65535"),
        ("https://vms.example:https", "port must be a number from 1 to 65535"),
        ("https://vms.example/api/v5/", "has a path (/api/v5/)"),
        ("https://vms.example/?x=1", "must not have a query"),
        ("https://admin:hunter2@vms.example", "contains credentials"),
        ("sim://", "needs a state file"),
    ],
)
def test_bad_endpoints(endpoint: str, fragment: str) -> None:
    with pytest.raises(VmsConfigError) as caught:
        ConnectionConfig(endpoint, api_token=API_TOKEN)
    assert fragment in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://vms.example", "https://vms.example"),
        ("https://VMS.example:8443/", "https://vms.example:8443"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://[::1]:443", "https://[::1]:443"),
    ],
)
def test_good_endpoints(endpoint: str, origin: str) -> None:
    assert ConnectionConfig(endpoint, api_token=API_TOKEN).parsed_endpoint.origin == origin


def test_sim_endpoint_needs_no_credentials() -> None:
    parsed = ConnectionConfig("sim://state/cluster.json").parsed_endpoint
    assert (parsed.scheme, parsed.sim_file) == ("sim", "state/cluster.json")


@pytest.mark.parametrize("version", ["", "v1", "v5", "latest", "/v5/"])
def test_api_versions(version: str) -> None:
    config = ConnectionConfig("https://vms.example", api_token=API_TOKEN, api_version=version)
    assert config.api_version == version.strip("/")


@pytest.mark.parametrize("version", ["5", "v5.3", "newest", "v"])
def test_bad_api_versions(version: str) -> None:
    with pytest.raises(VmsConfigError, match="api_version"):
        ConnectionConfig("https://vms.example", api_token=API_TOKEN, api_version=version)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({}, "no credentials for https://vms.example"),
        ({"username": "admin"}, "both a username and a password"),
        ({"password": PASSWORD}, "both a username and a password"),
        ({"auth_mode": "basic", "api_token": API_TOKEN}, "needs a username and a password"),
        ({"auth_mode": "api_token", "username": "admin", "password": PASSWORD}, "needs an api_token"),
        ({"auth_mode": "kerberos", "api_token": API_TOKEN}, "auth_mode must be one of"),
        ({"api_token": API_TOKEN, "read_timeout": 0}, "must be positive"),
        ({"api_token": API_TOKEN, "page_size": 0}, "page_size"),
    ],
)
def test_bad_options(values: dict[str, Any], fragment: str) -> None:
    with pytest.raises(VmsConfigError) as caught:
        ConnectionConfig("https://vms.example", **values)
    assert fragment in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_bad_retry_policy() -> None:
    with pytest.raises(VmsConfigError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_auth_mode_auto() -> None:
    both = ConnectionConfig("https://vms.example", username="u", password=PASSWORD, api_token=API_TOKEN)
    assert both.effective_auth_mode == "api_token"
    login = ConnectionConfig("https://vms.example", username="u", password=PASSWORD)
    assert login.effective_auth_mode == "bearer"


def test_repr_and_str_hide_secrets() -> None:
    config = ConnectionConfig(
        "https://vms.example", username="admin", password=PASSWORD, api_token=API_TOKEN, tenant="t1"
    )
    for text in (repr(config), str(config), f"{config}", repr([config])):
        assert PASSWORD not in text
        assert API_TOKEN not in text
        assert "password='***'" in text
        assert "api_token='***'" in text
        assert "username='admin'" in text
    assert "password=None" in repr(ConnectionConfig("https://vms.example", api_token=API_TOKEN))


def test_verify_property() -> None:
    base = {"endpoint": "https://vms.example", "api_token": API_TOKEN}
    assert ConnectionConfig(**base, ca_bundle="/etc/ca.pem").verify == "/etc/ca.pem"
    assert ConnectionConfig(**base, ca_bundle="/etc/ca.pem", verify_tls=False).verify is False
    assert ConnectionConfig(**base, ca_bundle="").verify is True


def test_from_env_reads_every_variable() -> None:
    env = {
        "VAST_ENDPOINT": "https://vms.example:8443",
        "VAST_USER": "admin",
        "VAST_PASSWORD": PASSWORD,
        "VAST_API_TOKEN": API_TOKEN,
        "VAST_TENANT": "t1",
        "VAST_CA_BUNDLE": "/etc/vast-ca.pem",
        "VAST_INSECURE": "1",
        "UNRELATED": "x",
    }
    config = ConnectionConfig.from_env(env)
    assert config.endpoint == "https://vms.example:8443"
    assert (config.username, config.password, config.api_token) == ("admin", PASSWORD, API_TOKEN)
    assert config.tenant == "t1"
    assert config.ca_bundle == "/etc/vast-ca.pem"
    assert config.verify_tls is False


def test_from_env_overrides_win_and_none_is_ignored() -> None:
    env = {"VAST_ENDPOINT": "https://a.example", "VAST_API_TOKEN": API_TOKEN, "VAST_INSECURE": "0"}
    config = ConnectionConfig.from_env(env, endpoint="https://b.example", tenant=None, page_size=50)
    assert config.endpoint == "https://b.example"
    assert config.tenant is None
    assert config.page_size == 50
    assert config.verify_tls is True


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAST_ENDPOINT", "https://c.example")
    monkeypatch.setenv("VAST_API_TOKEN", API_TOKEN)
    monkeypatch.delenv("VAST_USER", raising=False)
    monkeypatch.delenv("VAST_PASSWORD", raising=False)
    assert ConnectionConfig.from_env().endpoint == "https://c.example"


@pytest.mark.parametrize(
    ("env", "overrides", "fragment"),
    [
        ({"VAST_API_TOKEN": API_TOKEN}, {}, "no endpoint given: set VAST_ENDPOINT"),
        (
            {"VAST_ENDPOINT": "https://a.example", "VAST_API_TOKEN": "t", "VAST_INSECURE": "maybe"},
            {},
            "VAST_INSECURE",
        ),
        (
            {"VAST_ENDPOINT": "https://a.example", "VAST_API_TOKEN": "t"},
            {"passwd": "x"},
            "unknown connection option",
        ),
    ],
)
def test_from_env_errors(env: dict[str, str], overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(VmsConfigError, match=fragment):
        ConnectionConfig.from_env(env, **overrides)


def test_config_is_frozen() -> None:
    config = ConnectionConfig("https://vms.example", api_token=API_TOKEN)
    with pytest.raises(AttributeError):
        config.endpoint = "https://other.example"  # type: ignore[misc]
