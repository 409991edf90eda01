"""Status → exception class, the VMS's detail text in its three body styles, messages, pickling."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
import requests_mock

from vastplan.client import (
    VmsApiError,
    VmsAuthError,
    VmsBadRequest,
    VmsConflict,
    VmsConnectionError,
    VmsError,
    VmsNotFound,
    VmsPermissionDenied,
    VmsServerError,
    VmsTransientError,
    VmsUnsupportedError,
)
from vastplan.client.errors import error_for_status, extract_detail
from vastplan.errors import VastplanError

from .helpers import API, make_client

TOKEN_EXPIRED = {"detail": "Token is invalid or expired", "code": "token_not_valid"}


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"name": ["This field must be unique."]}, VmsBadRequest),
        (401, {"detail": "Authentication failure, user: admin"}, VmsAuthError),
        (403, TOKEN_EXPIRED, VmsAuthError),
        (403, {"detail": "You do not have permission.", "code": "permission_denied"}, VmsPermissionDenied),
        (403, {"detail": "Forbidden"}, VmsPermissionDenied),
        (404, {"detail": "Not found."}, VmsNotFound),
        (409, {"detail": "busy"}, VmsConflict),
        (429, "slow down", VmsTransientError),
        (502, "<html><title>502 Bad Gateway</title></html>", VmsTransientError),
        (503, {"detail": "Service Unavailable - Max allowed API tokens reached"}, VmsTransientError),
        (504, None, VmsTransientError),
        (500, "Internal Server Error", VmsServerError),
        (501, None, VmsServerError),
        (418, None, VmsApiError),
    ],
)
def test_status_maps_to_class(status: int, body: Any, expected: type[VmsApiError]) -> None:
    error = error_for_status("GET", "/views/", status, body)
    assert type(error) is expected
    assert isinstance(error, VmsApiError)
    assert isinstance(error, VmsError)
    assert isinstance(error, VastplanError)
    assert error.status == status
    assert error.body == body


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"detail": "Not found."}, "Not found."),
        (TOKEN_EXPIRED | {"messages": [{"token_class": "AccessToken"}]}, "Token is invalid or expired"),
        ({"path": ["This field must be unique."]}, "path: This field must be unique."),
        (
            {"name": ["This field is required."], "path": ["Must start with /.", "Too long."]},
            "name: This field is required.; path: Must start with /. Too long.",
        ),
        (
            {"non_field_errors": ["The fields tenant_id, path must make a unique set."]},
            "The fields tenant_id, path must make a unique set.",
        ),
        ({"protocols": {"0": ["Not a valid choice."]}}, "protocols.0: Not a valid choice."),
        (["first problem", "second problem"], "first problem second problem"),
        ("trash folder disabled", "trash folder disabled"),
        ("  no such directory\n", "no such directory"),
        (
            "<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head></html>",
            "503 Service Unavailable",
        ),
        (None, ""),
    ],
)
def test_detail_extraction(body: Any, detail: str) -> None:
    assert extract_detail(body) == detail


def test_long_detail_is_cut() -> None:
    detail = extract_detail("x" * 5000)
    assert len(detail) == 500
    assert detail.endswith("...")


def test_message_names_method_path_status_and_detail(mock: requests_mock.Adapter) -> None:
    mock.register_uri("POST", API + "views/", status_code=400, json={"path": ["This field must be unique."]})
    client = make_client(mock)
    with pytest.raises(VmsBadRequest) as caught:
        client.post("/views/", {"path": "/a", "policy_id": 1})
    error = caught.value
    assert str(error) == "POST /views/ failed: 400 Bad Request: path: This field must be unique."
    assert (error.method, error.path, error.status) == ("POST", "/views/", 400)
    assert error.detail == "path: This field must be unique."
    assert error.body == {"path": ["This field must be unique."]}


def test_plain_text_error_body(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "DELETE",
        API + "folders/delete_folder/",
        status_code=400,
        text="trash folder disabled",
        headers={"Content-Type": "text/plain"},
    )
    with pytest.raises(VmsBadRequest) as caught:
        make_client(mock).delete("folders/delete_folder", json={"path": "/x", "tenant_id": 1})
    assert caught.value.detail == "trash folder disabled"
    assert (
        str(caught.value) == "DELETE /folders/delete_folder/ failed: 400 Bad Request: trash folder disabled"
    )


def test_error_path_has_no_query_and_no_host(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/12/", status_code=404, json={"detail": "Not found."})
    with pytest.raises(VmsNotFound) as caught:
        make_client(mock).get("views/12", params={"fields": "id"})
    assert caught.value.path == "/views/12/"
    assert "vms.example" not in str(caught.value)
    assert str(caught.value) == "GET /views/12/ failed: 404 Not Found: Not found."


def test_message_without_detail() -> None:
    assert (
        str(error_for_status("DELETE", "/quotas/3/", 502, None))
        == "DELETE /quotas/3/ failed: 502 Bad Gateway"
    )


def test_retryable_flags() -> None:
    assert error_for_status("GET", "/x/", 503, None).retryable
    assert not error_for_status("GET", "/x/", 400, None).retryable
    assert not error_for_status("GET", "/x/", 500, None).retryable
    assert VmsConnectionError("x", outcome_unknown=True).retryable


@pytest.mark.parametrize(
    "error",
    [
        error_for_status("POST", "/views/", 400, {"path": ["dup"]}),
        error_for_status("GET", "/views/", 503, "busy"),
        VmsConnectionError("POST /views/ failed: broke", outcome_unknown=True),
        VmsUnsupportedError("the trash API (folder deletion)", (4, 7), "4.6.0"),
    ],
)
def test_errors_pickle(error: VmsError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
