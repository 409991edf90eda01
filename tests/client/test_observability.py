"""What the client tells: DEBUG logs and the on_request hook — and that no secret is ever among it,
nor in an exception (its whole traceback) or a repr."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import requests_mock

from vastplan.client import VmsClient, VmsError

from .helpers import (
    ACCESS2,
    API,
    API_TOKEN,
    ENDPOINT,
    PASSWORD,
    REFRESH2,
    SECRETS,
    USER,
    login_client,
    make_client,
    make_config,
)
from .stub_server import StubServer

EXPIRED = {"detail": "Token is invalid or expired"}


@pytest.fixture
def http_server() -> Iterator[StubServer]:
    server = StubServer()
    yield server
    server.close()


def test_debug_log_has_method_path_status_and_time(
    mock: requests_mock.Adapter, caplog: pytest.LogCaptureFixture
) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    caplog.set_level(logging.DEBUG, logger="vastplan.client")
    make_client(mock).get("views", params={"name": "x"})
    (record,) = [r for r in caplog.records if r.name == "vastplan.client"]
    assert record.levelno == logging.DEBUG
    assert record.getMessage().startswith("GET /views/ -> 200 in ")
    assert record.getMessage().endswith(" ms")


def test_retries_are_logged(mock: requests_mock.Adapter, caplog: pytest.LogCaptureFixture) -> None:
    mock.register_uri("GET", API + "views/", [{"status_code": 503}, {"json": []}])
    caplog.set_level(logging.INFO, logger="vastplan.client")
    make_client(mock).get("views")
    assert any(r.getMessage().startswith("GET /views/: 503; retry 1 of 2 in ") for r in caplog.records)


def test_on_request_hook(mock: requests_mock.Adapter) -> None:
    seen: list[tuple[str, str, int | None, float]] = []
    mock.register_uri("POST", ENDPOINT + "/api/token/", json={"access": "a", "refresh": "r"})
    mock.register_uri("GET", API + "views/", json=[])
    mock.register_uri("POST", API + "views/", exc=requests.exceptions.ConnectTimeout)
    client = VmsClient(
        make_config(username=USER, password=PASSWORD), adapter=mock, on_request=lambda *a: seen.append(a)
    )
    client.get("views")
    with pytest.raises(VmsError):
        client.post("views", {})
    assert [(m, p, s) for m, p, s, _ in seen] == [
        ("POST", "/token/", 200),
        ("GET", "/views/", 200),
        ("POST", "/views/", None),
    ]
    assert all(isinstance(elapsed, float) and elapsed >= 0 for *_, elapsed in seen)


def test_a_failing_hook_does_not_break_the_call(
    mock: requests_mock.Adapter, caplog: pytest.LogCaptureFixture
) -> None:
    def hook(*args: Any) -> None:
        raise RuntimeError("metrics backend down")

    mock.register_uri("GET", API + "views/", json=[{"id": 1}])
    client = VmsClient(make_config(), adapter=mock, on_request=hook)
    assert client.get("views") == [{"id": 1}]
    assert "on_request hook failed for GET /views/" in caplog.text


def _all_text_of(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) + repr(exc)


def _exercise(mock: requests_mock.Adapter, http_url: str) -> list[BaseException]:
    """Every path that touches a secret: login, refresh, re-login, refusals, errors, real sockets."""
    errors: list[BaseException] = []

    def expect_error(call: Any, *args: Any) -> None:
        try:
            call(*args)
        except VmsError as exc:
            errors.append(exc)
        else:  # pragma: no cover
            raise AssertionError("expected an error")

    # Bearer: login, expiry, refresh, re-login after a refused refresh, still refused.
    client = login_client(mock, tenant="t1")
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", json={"access": ACCESS2, "refresh": REFRESH2})
    mock.register_uri("GET", API + "views/", [{"status_code": 403, "json": EXPIRED}, {"json": []}])
    client.get("views")
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", status_code=401, json=EXPIRED)
    mock.register_uri("GET", API + "quotas/", status_code=403, json=EXPIRED)
    expect_error(client.get, "quotas")
    mock.register_uri("POST", API + "views/", status_code=400, json={"path": ["This field must be unique."]})
    expect_error(client.post, "views", {"path": "/a"})
    mock.register_uri("POST", API + "snapshots/", exc=requests.exceptions.ReadTimeout("read timed out"))
    expect_error(client.post, "snapshots", {"name": "s"})
    # Bad password.
    bad = requests_mock.Adapter()
    bad.register_uri(
        "POST",
        ENDPOINT + "/api/token/",
        status_code=401,
        json={"detail": "Authentication failure, user: admin"},
    )
    expect_error(VmsClient(make_config(username=USER, password=PASSWORD), adapter=bad).get, "views")
    # Refused API token and Basic login.
    refused = requests_mock.Adapter()
    refused.register_uri("GET", API + "views/", status_code=401, json={"detail": "Invalid token."})
    expect_error(VmsClient(make_config(), adapter=refused).get, "views")
    expect_error(
        VmsClient(make_config(username=USER, password=PASSWORD, auth_mode="basic"), adapter=refused).get,
        "views",
    )
    # Over a real socket, so that urllib3 logs too; then a broken connection.
    with VmsClient(
        make_config(endpoint=http_url, username=USER, password=PASSWORD, auth_mode="basic")
    ) as real:
        real.get("versions")
    with VmsClient(make_config(endpoint=http_url)) as real:
        real.get("versions")
    with VmsClient(make_config(endpoint="http://127.0.0.1:9")) as unreachable:
        expect_error(unreachable.post, "views", {})
    return errors


def test_no_secret_in_logs_errors_or_reprs(
    mock: requests_mock.Adapter, http_server: StubServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3 included
    errors = _exercise(mock, http_server.url)
    assert len(errors) == 7
    assert len(caplog.records) > 10
    texts = [_all_text_of(e) for e in errors]
    for record in caplog.records:
        texts.append(record.getMessage())
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
    client = login_client(requests_mock.Adapter(), api_token=API_TOKEN)
    texts += [repr(client), repr(client.config), str(client.config), repr(client._credentials)]
    for mode in ("bearer", "basic"):
        other = VmsClient(make_config(username=USER, password=PASSWORD, auth_mode=mode), adapter=mock)
        texts.append(repr(other._credentials))
    joined = "\n".join(texts)
    for secret in SECRETS:
        assert secret not in joined
    # The requests that carried secrets were made, so the search above was not vacuous.
    bodies = [r.text or "" for r in mock.request_history]
    assert any(PASSWORD in body for body in bodies)
    assert any("Bearer " + ACCESS2 == r.headers.get("Authorization") for r in mock.request_history)
