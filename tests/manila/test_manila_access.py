"""Access rules → policy host lists: the contract of MANILA.md §1.3 and the in-tree bugs of §2.3."""

from __future__ import annotations

import pytest

from manila_vast.access import (
    HostAccess,
    InvalidAccessRule,
    access_of_policy,
    check_access_rule,
    normalize_host,
    policy_fields,
    policy_fields_from_rules,
    rule_key,
)


def rule(
    access_to: str,
    level: str = "rw",
    *,
    access_id: str | None = None,
    access_type: str = "ip",
    mapping_id: str | None = None,
) -> dict[str, str]:
    access_id = access_id or f"acc-{access_to}-{level}"
    return {
        "id": mapping_id or f"map-{access_id}",
        "access_id": access_id,
        "access_type": access_type,
        "access_to": access_to,
        "access_level": level,
    }


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("10.0.0.7", "10.0.0.7"),
        ("10.0.0.7/32", "10.0.0.7"),
        ("10.0.0.0/24", "10.0.0.0/24"),
        ("10.0.0.9/29", "10.0.0.8/29"),  # host bits dropped, the subnet kept
        ("0.0.0.0/0", "0.0.0.0/0"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("2001:DB8::/64", "2001:db8::/64"),
        ("2001:db8::1/128", "2001:db8::1"),
    ],
)
def test_cidrs_stay_cidrs(given: str, written: str) -> None:
    # In-tree bug 1: 10.0.0.0/24 became 254 host entries and 0.0.0.0/0 hung the process.
    assert normalize_host(given) == written


@pytest.mark.parametrize("bad", ["10.0.0.2/33", "10.0.0.2.4", "*", "", "host.example", "@netgroup"])
def test_invalid_addresses(bad: str) -> None:
    with pytest.raises(InvalidAccessRule):
        normalize_host(bad)


def test_ipv6_refused_when_disabled() -> None:
    with pytest.raises(InvalidAccessRule, match="IPv6"):
        normalize_host("2001:db8::1", allow_ipv6=False)


def test_check_access_rule() -> None:
    assert check_access_rule(rule("10.1.0.0/16", "ro")) == ("ro", "10.1.0.0/16")
    with pytest.raises(InvalidAccessRule, match="type 'user'"):
        check_access_rule(rule("alice", access_type="user"))
    with pytest.raises(InvalidAccessRule, match="level 'ry'"):
        check_access_rule(rule("10.0.0.1", "ry"))


def test_policy_equals_rules_with_no_squash_by_default() -> None:
    fields, errors = policy_fields_from_rules(
        [rule("10.0.0.0/24", "rw"), rule("192.0.2.9", "ro"), rule("2001:db8::/64", "ro")], root_squash=False
    )
    assert errors == {}
    assert fields == {
        "nfs_read_write": ["10.0.0.0/24"],
        "nfs_read_only": ["192.0.2.9", "2001:db8::/64"],
        "nfs_root_squash": [],
        "nfs_no_squash": ["10.0.0.0/24", "192.0.2.9", "2001:db8::/64"],
        "nfs_all_squash": [],
    }


def test_root_squash_lists_every_granted_host() -> None:
    fields, _ = policy_fields_from_rules([rule("10.0.0.1"), rule("10.0.0.2", "ro")], root_squash=True)
    assert fields["nfs_root_squash"] == ["10.0.0.1", "10.0.0.2"]
    assert fields["nfs_no_squash"] == []


def test_no_rules_means_nobody_never_star() -> None:
    # In-tree bug 5: a new share kept VAST's default "*" and was world-mountable.
    fields, _ = policy_fields_from_rules([], root_squash=False)
    assert all(hosts == [] for hosts in fields.values())


def test_invalid_rules_keyed_by_access_id_and_valid_ones_kept() -> None:
    # In-tree bug 7: errors were keyed by the mapping id, which the manager cannot resolve.
    rules = [
        rule("10.0.0.1", "ry", access_id="a-level", mapping_id="m1"),
        rule("10.0.0.2/33", access_id="a-cidr", mapping_id="m2"),
        rule("10.0.0.2.4", access_id="a-addr", mapping_id="m3"),
        rule("alice", access_type="user", access_id="a-user", mapping_id="m4"),
        rule("10.0.0.5", "ro", access_id="a-good"),
    ]
    fields, errors = policy_fields_from_rules(rules, root_squash=False)
    assert set(errors) == {"a-level", "a-cidr", "a-addr", "a-user"}
    assert fields["nfs_read_only"] == ["10.0.0.5"]
    assert fields["nfs_read_write"] == []


def test_rule_key_prefers_access_id() -> None:
    assert rule_key({"id": "m", "access_id": "a"}) == "a"
    assert rule_key({"id": "m"}) == "m"


def test_read_write_wins_over_read_only_for_the_same_host() -> None:
    fields, _ = policy_fields_from_rules(
        [rule("10.0.0.1", "ro"), rule("10.0.0.1", "rw", access_id="x")], root_squash=False
    )
    assert fields["nfs_read_write"] == ["10.0.0.1"]
    assert fields["nfs_read_only"] == []


def test_access_of_policy_drops_star_and_keeps_named_hosts() -> None:
    live = {
        "nfs_read_write": ["*", "10.0.0.1"],
        "nfs_read_only": ["*", "10.0.0.1", "@ng"],
        "nfs_root_squash": ["*"],
        "nfs_no_squash": ["*"],
    }
    access = access_of_policy(live)
    assert access == HostAccess(frozenset({"10.0.0.1"}), frozenset({"@ng"}))
    assert policy_fields(access, root_squash=False)["nfs_no_squash"] == ["10.0.0.1", "@ng"]


def test_access_of_policy_tolerates_missing_lists() -> None:
    assert access_of_policy({"name": "x", "nfs_read_write": None}) == HostAccess()
