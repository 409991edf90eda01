"""Retries of reads only, bounded; connection errors and outcome_unknown; timeouts on every call."""

from __future__ import annotations

import time

import pytest
import requests
import requests_mock
import urllib3.exceptions

from vastplan.client import RetryPolicy, VmsApiError, VmsConnectionError, VmsNotFound, VmsTransientError

from .helpers import API, ENDPOINT, login_client, make_client


def test_get_is_retried_until_it_works(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET",
        API + "views/",
        [{"status_code": 503, "text": "busy"}, {"status_code": 502}, {"json": [{"id": 1}]}],
    )
    assert make_client(mock).get("views") == [{"id": 1}]
    assert mock.call_count == 3


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_retries_are_bounded_in_count(mock: requests_mock.Adapter, status: int) -> None:
    mock.register_uri("GET", API + "views/", status_code=status)
    with pytest.raises(VmsTransientError) as caught:
        make_client(mock, retry=RetryPolicy(max_attempts=4, initial_delay=0.001, max_delay=0.001)).get(
            "views"
        )
    assert caught.value.status == status
    assert mock.call_count == 4


def test_get_retries_are_bounded_in_time(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", status_code=503)
    policy = RetryPolicy(max_attempts=1000, initial_delay=0.02, max_delay=0.02, max_elapsed=0.1)
    started = time.monotonic()
    with pytest.raises(VmsTransientError):
        make_client(mock, retry=policy).get("views")
    assert time.monotonic() - started < 1.0
    assert 2 <= mock.call_count < 20


def test_backoff_grows_exponentially() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=3.0)
    assert [policy.nominal_delay(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_retry_after_is_honoured_up_to_max_delay(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET", API + "views/", [{"status_code": 429, "headers": {"Retry-After": "30"}}, {"json": []}]
    )
    policy = RetryPolicy(max_attempts=2, initial_delay=0.0, max_delay=0.05)
    started = time.monotonic()
    assert make_client(mock, retry=policy).get("views") == []
    assert 0.05 <= time.monotonic() - started < 1.0


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_mutating_calls_are_not_retried(mock: requests_mock.Adapter, method: str) -> None:
    mock.register_uri(method, API + "views/1/", status_code=503, json={"detail": "Service Unavailable"})
    with pytest.raises(VmsTransientError) as caught:
        make_client(mock).request(method, "views/1", json={})
    assert str(caught.value) == f"{method} /views/1/ failed: 503 Service Unavailable: Service Unavailable"
    assert mock.call_count == 1


@pytest.mark.parametrize("status", [400, 404, 409, 500])
def test_permanent_errors_are_not_retried(mock: requests_mock.Adapter, status: int) -> None:
    mock.register_uri("GET", API + "views/", status_code=status)
    with pytest.raises(VmsApiError):
        make_client(mock).get("views")
    assert mock.call_count == 1


def test_get_connection_errors_are_retried(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET",
        API + "views/",
        [
            {"exc": requests.exceptions.ConnectionError("reset")},
            {"exc": requests.exceptions.ReadTimeout},
            {"json": []},
        ],
    )
    assert make_client(mock).get("views") == []
    assert mock.call_count == 3


def _refused() -> requests.exceptions.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection")  # type: ignore[arg-type]
    reason.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/api/views/", reason))  # type: ignore[arg-type]


def _broken() -> requests.exceptions.ConnectionError:
    lost = urllib3.exceptions.ProtocolError(
        "Connection aborted.", ConnectionResetError(104, "Connection reset by peer")
    )
    return requests.exceptions.ConnectionError(lost)


@pytest.mark.parametrize(
    ("exc", "unknown", "fragment"),
    [
        (
            requests.exceptions.ConnectTimeout("slow"),
            False,
            "cannot connect to https://vms.example: no connection within 10 s",
        ),
        (_refused(), False, "cannot connect to https://vms.example: Connection refused"),
        (requests.exceptions.ReadTimeout("slow"), True, "https://vms.example sent no answer within 60 s"),
        (_broken(), True, "the connection to https://vms.example broke: Connection reset by peer"),
        (
            requests.exceptions.ChunkedEncodingError("cut"),
            True,
            "the connection to https://vms.example broke",
        ),
        (
            requests.exceptions.SSLError("bad certificate"),
            False,
            "TLS failure talking to https://vms.example",
        ),
    ],
)
def test_outcome_unknown(
    mock: requests_mock.Adapter, exc: requests.RequestException, unknown: bool, fragment: str
) -> None:
    mock.register_uri("POST", API + "views/", exc=exc)
    with pytest.raises(VmsConnectionError) as caught:
        make_client(mock).post("/views/", {"path": "/a"})
    assert caught.value.outcome_unknown is unknown
    assert str(caught.value).startswith("POST /views/ failed: ")
    assert fragment in str(caught.value)
    assert mock.call_count == 1


def test_tls_failures_are_not_retried(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", exc=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(VmsConnectionError):
        make_client(mock).get("views")
    assert mock.call_count == 1


def test_timeouts_on_every_call(mock: requests_mock.Adapter) -> None:
    mock.register_uri(requests_mock.ANY, requests_mock.ANY, json={"access": "a", "results": [], "next": None})
    client = login_client(mock, connect_timeout=3, read_timeout=7)
    client.get("views")
    client.post("views", {})
    client.patch("views/1", {})
    client.delete("views/1")
    client.list("quotas")
    assert len(mock.request_history) == 6  # the login included
    assert {r.timeout for r in mock.request_history} == {(3, 7)}


def test_redirects_are_not_followed(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET", API + "views/", status_code=302, headers={"Location": "https://user:pw@login.example/sso"}
    )
    with pytest.raises(VmsApiError) as caught:
        make_client(mock).get("views")
    assert "redirected to https://login.example/sso" in str(caught.value)
    assert "pw@" not in str(caught.value)
    assert mock.call_count == 1


def test_not_found_on_get_is_immediate(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/9/", status_code=404, json={"detail": "Not found."})
    with pytest.raises(VmsNotFound):
        make_client(mock).get("views/9")
    assert [r.url for r in mock.request_history] == [ENDPOINT + "/api/views/9/"]
