"""Cluster version: fuzzy parsing, discovery, caching, gates."""

from __future__ import annotations

import pytest
import requests_mock

from vastplan.client import FEATURES, VmsProtocolError, VmsUnsupportedError, parse_version

from .helpers import API, make_client


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("5.3.0", (5, 3, 0)),
        ("5.0.0-25", (5, 0, 0, 25)),
        ("5.0.0.25", (5, 0, 0, 25)),
        ("4.7.0-sp2", (4, 7, 0)),
        ("v4.6.1", (4, 6, 1)),
        ("5.1.0rc3", (5, 1, 0)),
        (" 5.2 ", (5, 2)),
        ("5_3_0", (5, 3, 0)),
    ],
)
def test_parse_version(text: str, parts: tuple[int, ...]) -> None:
    assert parse_version(text) == parts


@pytest.mark.parametrize("text", ["", "unknown", "-"])
def test_unreadable_version(text: str) -> None:
    with pytest.raises(VmsProtocolError, match="cannot read the cluster version"):
        parse_version(text)


def _versions(mock: requests_mock.Adapter, sys_version: str) -> None:
    mock.register_uri(
        "GET",
        API + "versions/",
        json=[{"id": 2, "sys_version": sys_version, "status": "success"}, {"id": 1, "sys_version": "4.0.0"}],
    )


def test_cluster_version_is_read_once(mock: requests_mock.Adapter) -> None:
    _versions(mock, "5.0.0-25")
    client = make_client(mock)
    assert client.cluster_version() == (5, 0, 0, 25)
    assert client.cluster_version() == (5, 0, 0, 25)
    assert client.version_at_least(5)
    assert mock.call_count == 1
    assert mock.last_request.qs == {"status": ["success"]}
    assert mock.last_request.path == "/api/versions/"


def test_cluster_version_from_a_paginated_answer(mock: requests_mock.Adapter) -> None:
    mock.register_uri(
        "GET", API + "versions/", json={"count": 1, "next": None, "results": [{"sys_version": "5.3.0"}]}
    )
    assert make_client(mock).cluster_version() == (5, 3, 0)


@pytest.mark.parametrize(
    ("sys_version", "parts", "expected"),
    [
        ("5.3.0", (4, 7), True),
        ("4.7.0", (4, 7), True),
        ("4.7", (4, 7, 0), True),
        ("4.6.9-12", (4, 7), False),
        ("5.3.0", (5, 3, 0, 1), False),
        ("5.3.0-1", (5, 3, 0, 1), True),
    ],
)
def test_version_at_least(
    mock: requests_mock.Adapter, sys_version: str, parts: tuple[int, ...], expected: bool
) -> None:
    _versions(mock, sys_version)
    assert make_client(mock).version_at_least(*parts) is expected


def test_feature_table() -> None:
    assert FEATURES["trash_api"].minimum == (4, 7)
    assert FEATURES["snapshot_clone"].minimum == (4, 6)


def test_require_version_by_feature_key(mock: requests_mock.Adapter) -> None:
    _versions(mock, "4.6.0")
    client = make_client(mock)
    with pytest.raises(VmsUnsupportedError) as caught:
        client.require_version("trash_api")
    assert str(caught.value) == "the trash API (folder deletion) needs VAST 4.7 or later; cluster runs 4.6.0"
    assert (caught.value.required, caught.value.actual) == ((4, 7), "4.6.0")
    client.require_version("snapshot_clone")  # 4.6 is enough
    assert client.supports("snapshot_clone")
    assert not client.supports("trash_api")


def test_require_version_with_explicit_parts(mock: requests_mock.Adapter) -> None:
    _versions(mock, "5.2.0-100")
    client = make_client(mock)
    client.require_version("block storage", 5, 2)
    with pytest.raises(
        VmsUnsupportedError, match=r"^block storage needs VAST 5.3 or later; cluster runs 5.2.0-100$"
    ):
        client.require_version("block storage", 5, 3)


def test_unknown_feature(mock: requests_mock.Adapter) -> None:
    with pytest.raises(ValueError, match="unknown feature"):
        make_client(mock).require_version("time_travel")
    with pytest.raises(ValueError, match="unknown feature"):
        make_client(mock).supports("time_travel")


def test_no_successful_version(mock: requests_mock.Adapter) -> None:
    mock.register_uri("GET", API + "versions/", json=[])
    with pytest.raises(VmsProtocolError, match="no successfully installed version"):
        make_client(mock).cluster_version()
