"""Shared constants and builders for the client tests.

The secrets are distinctive strings so that a test can search every log record, message and repr for
them.
"""

from __future__ import annotations

from typing import Any

import requests_mock

from vastplan.client import ConnectionConfig, RetryPolicy, VmsClient

ENDPOINT = "https://vms.example"
API = ENDPOINT + "/api/"
USER = "admin"
PASSWORD = "pw-S3cret-7d1f"
API_TOKEN = "apitok-S3cret-91ab"
ACCESS = "access-S3cret-0001"
ACCESS2 = "access-S3cret-0002"
REFRESH = "refresh-S3cret-0001"
REFRESH2 = "refresh-S3cret-0002"
SECRETS = (PASSWORD, API_TOKEN, ACCESS, ACCESS2, REFRESH, REFRESH2)

#: Retries fast enough for unit tests.
FAST_RETRY = RetryPolicy(max_attempts=3, initial_delay=0.001, max_delay=0.002, max_elapsed=5.0)


def make_config(**overrides: Any) -> ConnectionConfig:
    values: dict[str, Any] = {"endpoint": ENDPOINT, "api_token": API_TOKEN, "retry": FAST_RETRY}
    values.update(overrides)
    if "username" in overrides and "api_token" not in overrides:
        values.pop("api_token")
    return ConnectionConfig(**values)


def make_client(mock: requests_mock.Adapter, **overrides: Any) -> VmsClient:
    return VmsClient(make_config(**overrides), adapter=mock)


def login_client(mock: requests_mock.Adapter, **overrides: Any) -> VmsClient:
    """A Bearer-login client; the token endpoint answers ACCESS/REFRESH."""
    mock.register_uri("POST", ENDPOINT + "/api/token/", json={"access": ACCESS, "refresh": REFRESH})
    return make_client(mock, username=USER, password=PASSWORD, **overrides)


def token_calls(mock: requests_mock.Adapter) -> list[str]:
    return [r.path for r in mock.request_history if r.path.startswith("/api/token")]
