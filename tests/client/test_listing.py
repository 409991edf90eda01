"""Lists: page_size always sent, next followed on our host only, plain arrays, single objects; URLs."""

from __future__ import annotations

from typing import Any

import pytest
import requests_mock

from vastplan.client import VmsConfigError, VmsProtocolError

from .helpers import API, API_TOKEN, make_client


def _page(records: list[dict[str, Any]], link: str | None, count: int = 5) -> dict[str, Any]:
    return {"count": count, "next": link, "previous": None, "results": records}


def test_several_pages(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET",
        API + "views/",
        [
            {"json": _page([{"id": 1}, {"id": 2}], API + "views/?page=2&page_size=2&tenant_id=1")},
            {"json": _page([{"id": 3}, {"id": 4}], API + "views/?page=3&page_size=2&tenant_id=1")},
            {"json": _page([{"id": 5}], None)},
        ],
    )
    client = make_client(mock, page_size=2)
    assert client.list("/views/", {"tenant_id": 1}) == [{"id": i} for i in range(1, 6)]
    queries = [r.qs for r in mock.request_history]
    assert queries == [
        {"tenant_id": ["1"], "page_size": ["2"]},
        {"page": ["2"], "page_size": ["2"], "tenant_id": ["1"]},
        {"page": ["3"], "page_size": ["2"], "tenant_id": ["1"]},
    ]
    # Our credentials go with every page.
    assert {r.headers["Authorization"] for r in mock.request_history} == {f"Api-Token {API_TOKEN}"}


def test_iter_list_yields_pages(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET",
        API + "quotas/",
        [
            {"json": _page([{"id": 1}], API + "quotas/?page=2&page_size=1")},
            {"json": _page([{"id": 2}], None)},
        ],
    )
    pages = make_client(mock).iter_list("quotas")
    assert next(pages) == [{"id": 1}]
    assert mock.call_count == 1  # lazily: the second page is read when asked for
    assert list(pages) == [[{"id": 2}]]


def test_page_size_always_sent(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    client = make_client(mock)
    client.list("/views/")
    assert mock.last_request.qs == {"page_size": ["1000"]}
    client.list("/views/", {"page_size": 10})
    assert mock.last_request.qs == {"page_size": ["10"]}


def test_plain_array(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[{"id": 1}, {"id": 2}])
    assert make_client(mock).list("views") == [{"id": 1}, {"id": 2}]


def test_single_object(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "monitors/ad_hoc_query/", json={"data": [[1, 2]], "prop_list": ["a"]})
    assert make_client(mock).list("monitors/ad_hoc_query") == [{"data": [[1, 2]], "prop_list": ["a"]}]


def test_empty_answer(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", status_code=204)
    assert make_client(mock).list("views") == []


def test_next_to_another_host_is_refused(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET", API + "views/", json=_page([{"id": 1}], "https://evil.example/api/views/?page=2")
    )
    mock.register_uri("GET", "https://evil.example/api/views/", json=_page([], None))
    with pytest.raises(VmsProtocolError, match=r"points at another host \(evil.example\)"):
        make_client(mock).list("views")
    assert [r.hostname for r in mock.request_history] == ["vms.example"]


def test_next_on_our_host_is_fetched_on_our_scheme(mock: requests_mock.Adapter) -> None:
    # A VMS behind a TLS-terminating proxy may write http:// links; we never downgrade.
    mock.register_uri(
        "GET",
        API + "views/",
        [
            {"json": _page([{"id": 1}], "http://VMS.example/api/views/?page=2")},
            {"json": _page([{"id": 2}], None)},
        ],
    )
    assert make_client(mock).list("views") == [{"id": 1}, {"id": 2}]
    assert [r.scheme for r in mock.request_history] == ["https", "https"]


def test_relative_next(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET",
        API + "views/",
        [{"json": _page([{"id": 1}], "/api/views/?page=2")}, {"json": _page([{"id": 2}], None)}],
    )
    assert make_client(mock).list("views") == [{"id": 1}, {"id": 2}]


def test_next_loop_is_detected(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=_page([{"id": 1}], API + "views/?page=2"))
    with pytest.raises(VmsProtocolError, match="round in a circle"):
        make_client(mock).list("views")
    assert mock.call_count == 2


def test_records_must_be_objects(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[1, 2])
    with pytest.raises(VmsProtocolError, match="expected a list of objects"):
        make_client(mock).list("views")


@pytest.mark.parametrize(
    ("api_version", "path", "url_path"),
    [
        ("", "/views/", "/api/views/"),
        ("", "views", "/api/views/"),
        ("v5", "views/12", "/api/v5/views/12/"),
        ("latest", "/folders/delete_folder", "/api/latest/folders/delete_folder/"),
        ("v1", "/snapshots/3/clone/", "/api/v1/snapshots/3/clone/"),
    ],
)
def test_urls_end_with_a_slash(
    mock: requests_mock.Adapter, api_version: str, path: str, url_path: str
) -> None:
    mock.register_uri(requests_mock.ANY, requests_mock.ANY, json={})
    make_client(mock, api_version=api_version).get(path)
    assert mock.last_request.path == url_path


def test_query_encoding(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "views/", json=[])
    make_client(mock).get(
        "views", params={"enabled": True, "locked": False, "name__in": ["a", "b"], "x": None}
    )
    assert mock.last_request.qs == {"enabled": ["true"], "locked": ["false"], "name__in": ["a", "b"]}


def test_json_bodies_on_every_method(mock: requests_mock.Adapter) -> None:
    mock.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=200, json={"ok": 1})
    client = make_client(mock)
    assert client.post("views", {"a": 1}) == {"ok": 1}
    assert client.patch("views/1", {"b": 2}) == {"ok": 1}
    assert client.put("views/1", {"c": 3}) == {"ok": 1}
    assert client.delete("folders/delete_folder", json={"path": "/x"}) == {"ok": 1}
    assert [(r.method, r.json()) for r in mock.request_history] == [
        ("POST", {"a": 1}),
        ("PATCH", {"b": 2}),
        ("PUT", {"c": 3}),
        ("DELETE", {"path": "/x"}),
    ]


def test_empty_and_text_answers(mock: requests_mock.Adapter) -> None:
    mock.register_uri("DELETE", API + "views/1/", status_code=204)
    mock.register_uri("PATCH", API + "vippools/1/", status_code=200, text="")
    mock.register_uri("GET", API + "text/", text="plain words")
    client = make_client(mock)
    assert client.delete("views/1") is None
    assert client.patch("vippools/1", {"enabled": False}) is None
    assert client.get("text") == "plain words"


def test_url_instead_of_path_is_refused(mock: requests_mock.Adapter) -> None:
    with pytest.raises(VmsConfigError, match="not a URL"):
        make_client(mock).get("https://other.example/api/views/")
