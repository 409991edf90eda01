"""Api-Token, Bearer login, Basic; X-Tenant-Name; token renewal once, by one thread; refusals."""

from __future__ import annotations

import base64
import threading
import time
from typing import Any

import pytest
import requests_mock

from vastplan.client import VmsAuthError, VmsError, VmsPermissionDenied, VmsTransientError

from .helpers import (
    ACCESS,
    ACCESS2,
    API,
    API_TOKEN,
    ENDPOINT,
    PASSWORD,
    REFRESH,
    REFRESH2,
    USER,
    login_client,
    make_client,
    token_calls,
)

EXPIRED: dict[str, Any] = {"detail": "Token is invalid or expired", "code": "token_not_valid"}


def _bearer_only(token: str, ok_json: Any = None) -> Any:
    """A callback answering 200 to ``Bearer token`` and 403 "Token is invalid or expired" to anything else."""

    def answer(request: Any, context: Any) -> Any:
        if request.headers.get("Authorization") == f"Bearer {token}":
            context.status_code = 200
            return ok_json if ok_json is not None else []
        context.status_code = 403
        return EXPIRED

    return answer


def test_api_token_header(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock).get("/views/")
    assert mock.last_request.headers["Authorization"] == f"Api-Token {API_TOKEN}"
    assert token_calls(mock) == []


def test_bearer_login_once_then_bearer_header(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "v5/views/", json=[])
    client = login_client(mock, api_version="v5")
    client.get("views")
    client.get("views")
    # The token endpoint has no version segment (VMS_API.md §2.3).
    assert token_calls(mock) == ["/api/token/"]
    login = mock.request_history[0]
    assert login.json() == {"username": USER, "password": PASSWORD}
    assert "Authorization" not in login.headers
    assert mock.last_request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert mock.last_request.path == "/api/v5/views/"


def test_basic_auth(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock, username=USER, password=PASSWORD, auth_mode="basic").get("/views/")
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert mock.last_request.headers["Authorization"] == expected
    assert token_calls(mock) == []


def test_api_token_wins_in_auto_mode(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock, username=USER, password=PASSWORD, api_token=API_TOKEN).get("/views/")
    assert mock.last_request.headers["Authorization"] == f"Api-Token {API_TOKEN}"


def test_tenant_header_on_calls_and_on_the_token_request(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    login_client(mock, tenant="tenant-a").get("/views/")
    assert [r.headers.get("X-Tenant-Name") for r in mock.request_history] == ["tenant-a", "tenant-a"]


def test_no_tenant_header_without_tenant(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock).get("/views/")
    assert "X-Tenant-Name" not in mock.last_request.headers


def test_expired_token_is_refreshed_and_the_call_retried(mock: requests_mock.Adapter) -> None:
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", json={"access": ACCESS2, "refresh": REFRESH2})
    mock.register_uri("GET", API + "views/", json=_bearer_only(ACCESS2, [{"id": 1}]))
    assert login_client(mock).get("/views/") == [{"id": 1}]
    assert token_calls(mock) == ["/api/token/", "/api/token/refresh/"]
    assert mock.request_history[2].json() == {"refresh": REFRESH}
    assert [r.headers["Authorization"] for r in mock.request_history if r.path == "/api/views/"] == [
        f"Bearer {ACCESS}",
        f"Bearer {ACCESS2}",
    ]


def test_401_also_renews(mock: requests_mock.Adapter) -> None:
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", json={"access": ACCESS2})
    mock.register_uri(
        "GET", API + "views/", [{"status_code": 401, "json": {"detail": "expired"}}, {"json": []}]
    )
    assert login_client(mock).get("/views/") == []
    assert token_calls(mock) == ["/api/token/", "/api/token/refresh/"]


def test_refused_refresh_falls_back_to_a_new_login(mock: requests_mock.Adapter) -> None:
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", status_code=401, json=EXPIRED)
    mock.register_uri(
        "POST",
        ENDPOINT + "/api/token/",
        [
            {"json": {"access": ACCESS, "refresh": REFRESH}},
            {"json": {"access": ACCESS2, "refresh": REFRESH2}},
        ],
    )
    mock.register_uri("GET", API + "views/", json=_bearer_only(ACCESS2))
    client = make_client(mock, username=USER, password=PASSWORD)
    assert client.get("/views/") == []
    assert token_calls(mock) == ["/api/token/", "/api/token/refresh/", "/api/token/"]


def test_still_refused_after_renewal_is_a_clear_failure(mock: requests_mock.Adapter) -> None:
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", json={"access": ACCESS2})
    mock.register_uri("GET", API + "views/", status_code=403, json=EXPIRED)
    with pytest.raises(VmsAuthError) as caught:
        login_client(mock, tenant="t1").get("/views/")
    assert str(caught.value) == (
        "GET /views/ failed: 403 Forbidden: Token is invalid or expired; "
        f"still refused after logging in again as user 'admin' of tenant 't1' at {ENDPOINT}"
    )
    # One renewal, one retry: no loop.
    assert [r.path for r in mock.request_history] == [
        "/api/token/",
        "/api/views/",
        "/api/token/refresh/",
        "/api/views/",
    ]


def test_permission_denied_is_not_renewed(mock: requests_mock.Adapter) -> None:
    denied = {"detail": "You do not have permission to perform this action.", "code": "permission_denied"}
    mock.register_uri("POST", API + "vippools/", status_code=403, json=denied)
    with pytest.raises(VmsPermissionDenied) as caught:
        login_client(mock).post("/vippools/", {"name": "p"})
    assert caught.value.status == 403
    assert str(caught.value) == (
        "POST /vippools/ failed: 403 Forbidden: You do not have permission to perform this action."
    )
    assert [r.path for r in mock.request_history] == ["/api/token/", "/api/vippools/"]


def test_mutating_call_is_resent_after_renewal(mock: requests_mock.Adapter) -> None:
    # A refused token means the VMS did nothing, so sending the POST again cannot duplicate it.
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", json={"access": ACCESS2})
    mock.register_uri("POST", API + "views/", json=_bearer_only(ACCESS2, {"id": 7}))
    assert login_client(mock).post("/views/", {"path": "/a"}) == {"id": 7}
    assert [r.path for r in mock.request_history].count("/api/views/") == 2


def test_bad_password(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "POST",
        ENDPOINT + "/api/token/",
        status_code=401,
        json={"detail": "Authentication failure, user: admin"},
    )
    mock.register_uri("GET", API + "views/", json=[])
    with pytest.raises(VmsAuthError) as caught:
        make_client(mock, username=USER, password=PASSWORD).get("/views/")
    assert str(caught.value) == (
        f"login as user 'admin' at {ENDPOINT} failed: 401 Unauthorized: Authentication failure, user: admin"
    )
    assert caught.value.status == 401
    assert token_calls(mock) == ["/api/token/"]  # a refused login is not repeated
    assert PASSWORD not in repr(caught.value)


def test_refused_api_token(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", status_code=401, json={"detail": "Invalid token."})
    with pytest.raises(VmsAuthError) as caught:
        make_client(mock).get("/views/")
    assert str(caught.value) == (
        "GET /views/ failed: 401 Unauthorized: Invalid token.; the API token was refused by "
        f"{ENDPOINT}: check that it is valid and not revoked"
    )
    assert mock.call_count == 1


def test_refused_basic_login(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET", API + "views/", status_code=401, json={"detail": "Authentication failure, user: admin"}
    )
    with pytest.raises(VmsAuthError, match=r"user 'admin' was refused by https://vms.example \(Basic auth\)"):
        make_client(mock, username=USER, password=PASSWORD, auth_mode="basic").get("/views/")
    assert mock.call_count == 1


def test_login_during_an_outage_is_transient(mock: requests_mock.Adapter) -> None:
    mock.register_uri("POST", ENDPOINT + "/api/token/", status_code=503, text="restarting")
    with pytest.raises(VmsTransientError):
        make_client(mock, username=USER, password=PASSWORD).post("/views/", {})


def test_eight_threads_on_an_expired_token_make_one_token_request(mock: requests_mock.Adapter) -> None:
    threads = 8
    barrier = threading.Barrier(threads, timeout=10)
    lock = threading.Lock()
    counts = {"token": 0}

    def refresh(request: Any, context: Any) -> Any:
        with lock:
            counts["token"] += 1
        time.sleep(0.05)  # keep the others waiting while one thread renews
        return {"access": ACCESS2, "refresh": REFRESH2}

    def views(request: Any, context: Any) -> Any:
        if request.headers.get("Authorization") == f"Bearer {ACCESS2}":
            return [{"id": 1}]
        barrier.wait()  # every thread has been refused before any renews
        context.status_code = 403
        return EXPIRED

    client = login_client(mock)
    mock.register_uri("GET", API + "versions/", json=[{"sys_version": "5.3.0"}])
    client.get("versions")  # logged in: the token endpoint has been called once
    mock.register_uri("POST", ENDPOINT + "/api/token/refresh/", json=refresh)
    mock.register_uri("GET", API + "views/", json=views)

    results: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(client.get("/views/"))
        except VmsError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert errors == []
    assert results == [[{"id": 1}]] * threads
    assert counts["token"] == 1
    assert token_calls(mock) == ["/api/token/", "/api/token/refresh/"]


def test_eight_threads_starting_together_log_in_once(mock: requests_mock.Adapter) -> None:
    lock = threading.Lock()
    counts = {"login": 0}

    def login(request: Any, context: Any) -> Any:
        with lock:
            counts["login"] += 1
        time.sleep(0.05)
        return {"access": ACCESS, "refresh": REFRESH}

    mock.register_uri("POST", ENDPOINT + "/api/token/", json=login)
    mock.register_uri("GET", API + "views/", json=_bearer_only(ACCESS))
    client = make_client(mock, username=USER, password=PASSWORD)
    workers = [threading.Thread(target=client.get, args=("/views/",)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert counts["login"] == 1
    assert len([r for r in mock.request_history if r.path == "/api/views/"]) == 8
