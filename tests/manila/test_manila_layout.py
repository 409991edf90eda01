"""Layout: the in-tree driver's paths and names, VIP expansion, export locations (pure)."""

from __future__ import annotations

import pytest

from manila_vast.layout import (
    LayoutError,
    expand_ip_ranges,
    export_locations,
    ip_versions,
    normalize_root,
    share_path,
    snapshot_path,
    vips_digest,
)


@pytest.mark.parametrize(("given", "root"), [("manila", "/manila"), ("/fake/", "/fake"), ("a/b", "/a/b")])
def test_root_normalised_as_in_tree(given: str, root: str) -> None:
    assert normalize_root(given) == root


@pytest.mark.parametrize("bad", ["", "/", "  ", "a/../b", "a//b"])
def test_root_refused(bad: str) -> None:
    with pytest.raises(LayoutError, match="vast_root_export"):
        normalize_root(bad)


def test_paths_match_in_tree_layout() -> None:
    assert share_path("/fake", "fakeid") == "/fake/manila-fakeid"
    assert snapshot_path("/fake", "fakeid") == "/fake/manila-fakeid/"


def test_expand_ranges_inclusive_in_order() -> None:
    assert expand_ip_ranges([["192.0.2.1", "192.0.2.3"], ["10.0.0.9", "10.0.0.9"]]) == [
        "192.0.2.1",
        "192.0.2.2",
        "192.0.2.3",
        "10.0.0.9",
    ]
    assert expand_ip_ranges([["2001:db8::1", "2001:db8::2"]]) == ["2001:db8::1", "2001:db8::2"]


@pytest.mark.parametrize(
    "bad",
    [
        [["192.0.2.9", "192.0.2.1"]],
        [["10.0.0.1", "2001:db8::1"]],
        [["x", "y"]],
        [["10.0.0.1"]],
        [["10.0.0.0", "10.0.255.255"]],
    ],
)
def test_expand_refuses_bad_ranges(bad: list[list[str]]) -> None:
    with pytest.raises(LayoutError):
        expand_ip_ranges(bad)


def test_export_locations_as_in_tree_with_ipv6_brackets() -> None:
    assert export_locations(["1.1.1.0", "2001:db8::1"], "/fake/manila-fakeid") == [
        {"path": "1.1.1.0:/fake/manila-fakeid", "is_admin_only": False},
        {"path": "[2001:db8::1]:/fake/manila-fakeid", "is_admin_only": False},
    ]


def test_ip_versions_and_digest() -> None:
    assert ip_versions(["192.0.2.1"]) == [4]
    assert ip_versions(["192.0.2.1", "2001:db8::1"]) == [4, 6]
    assert vips_digest(["b", "a"]) == vips_digest(["a", "b"]) != vips_digest(["a"])
