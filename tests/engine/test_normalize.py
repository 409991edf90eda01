"""The normalisers: one canonical form per meaning."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from vastplan.engine import normalize as norm


def test_sets_ignore_order_and_duplicates() -> None:
    as_set = norm.as_set()
    assert as_set(["NFS4", "NFS", "NFS"]) == as_set(["NFS", "NFS4"]) == ("NFS", "NFS4")
    assert as_set(None) == ()


def test_sets_of_objects_compare_by_content() -> None:
    as_set = norm.as_set()
    assert as_set([{"b": 1, "a": 2}, {"a": 2, "b": 1}]) == as_set([{"a": 2, "b": 1}])


@pytest.mark.parametrize(
    "spelled, canonical",
    [
        ("2001:DB8::/64", "2001:db8::/64"),
        (" 10.0.0.1 ", "10.0.0.1"),
        ("10.0.0.1/24", "10.0.0.1/24"),  # host bits are kept: no silent change of meaning
        ("~192.0.2.0", "~192.0.2.0"),
        ("@netgroup", "@netgroup"),
        ("10.0.*.*", "10.0.*.*"),
        ("*", "*"),
    ],
)
def test_host_entries(spelled: str, canonical: str) -> None:
    assert norm.host_entry(spelled) == canonical


@pytest.mark.parametrize(
    "value, expected",
    [
        ("10GiB", 10 * 2**30),
        (10737418240, 10737418240),
        ("500GB", 500 * 10**9),
        (None, None),
        ("huge", "huge"),
    ],
)
def test_sizes(value: object, expected: object) -> None:
    assert norm.size(value) == expected


def test_unset_limits_are_none_whether_null_or_zero() -> None:
    limit = norm.unset_if_zero(norm.size)
    assert limit(0) is None and limit(None) is None and limit("1KiB") == 1024


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/a/b/", "/a/b"),
        ("/", "/"),
        ("//a//b", "/a/b"),
    ],
)
def test_dir_paths(value: str, expected: str) -> None:
    assert norm.dir_path(value) == expected


def test_snapshot_paths_end_with_a_slash() -> None:
    assert norm.snapshot_path("/a/b") == norm.snapshot_path("/a/b/") == "/a/b/"
    assert norm.snapshot_path("/") == "/"


@pytest.mark.parametrize(
    "value, seconds",
    [
        (3600, 3600),
        ("3600", 3600),
        ("1h", 3600),
        ("01:00:00", 3600),
        ("00:00:30", 30),
        ("1 00:00:05", 86405),
        ("90m", 5400),
    ],
)
def test_durations(value: object, seconds: int) -> None:
    assert norm.duration(value) == seconds


def test_timestamps_are_utc() -> None:
    assert norm.timestamp("2026-01-01T01:00:00+01:00") == "2026-01-01T00:00:00Z"
    assert norm.timestamp("2026-01-01T00:00:00") == norm.timestamp("2026-01-01T00:00:00Z")
    assert norm.timestamp("not a time") == "not a time"


def test_freeze_and_thaw_round_trip() -> None:
    value = {"a": [1, {"b": [2]}]}
    frozen = norm.freeze(value)
    assert isinstance(frozen, MappingProxyType) and frozen["a"] == (1, MappingProxyType({"b": (2,)}))
    assert norm.thaw(frozen) == value


def test_project_keeps_only_the_keys_the_spec_writes() -> None:
    live = norm.freeze({"hard_limit": 5, "soft_limit": 3, "grace_period": None})
    assert norm.thaw(norm.project(live, {"hard_limit": 5})) == {"hard_limit": 5}
    assert norm.project(7, 5) == 7
