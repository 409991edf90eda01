"""update_access on the simulator: the contract of MANILA.md §1.3, and each in-tree bug of §2.3 absent."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import clear_calls, mutations, one, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

from manila import exception

HOST_LISTS = ("nfs_read_write", "nfs_read_only", "nfs_root_squash", "nfs_no_squash", "nfs_all_squash")


@pytest.fixture
def drv(make_driver: Any) -> Any:
    created = make_driver()
    created.create_share(None, share("s1"))
    return created


def policy(sim: Simulator, name: str = "s1") -> dict[str, list[str]]:
    record = one(sim, "viewpolicies", name=name)
    assert record is not None
    return {key: sorted(record.get(key) or []) for key in HOST_LISTS}


def set_policy(sim: Simulator, **lists: list[str]) -> None:
    """Change the policy behind the driver's back, as drift or an older driver would."""
    record = one(sim, "viewpolicies", name="s1")
    assert record is not None
    sim.backend.viewpolicies.update(record["id"], lists)


def test_cidrs_stay_cidrs(drv: Any, sim: Simulator) -> None:
    # In-tree bug 1: /24 became 254 hosts; /16 65,534; 0.0.0.0/0 hung the process.
    rules = [rule("10.0.0.0/24"), rule("172.16.0.0/12", "ro"), rule("0.0.0.0/0", "ro")]
    assert drv.update_access(None, share("s1"), rules, rules, [], []) == {}
    assert policy(sim)["nfs_read_write"] == ["10.0.0.0/24"]
    assert policy(sim)["nfs_read_only"] == ["0.0.0.0/0", "172.16.0.0/12"]


def test_no_star_and_explicit_no_root_squash(drv: Any, sim: Simulator) -> None:
    # In-tree bugs 5 and 6: "*" defaults stayed; no_squash and root_squash were both "*".
    set_policy(sim, nfs_read_write=["*"], nfs_read_only=["*"], nfs_root_squash=["*"], nfs_no_squash=["*"])
    drv.update_access(None, share("s1"), [rule("10.0.0.1", "ro")], [rule("10.0.0.1", "ro")], [], [])
    assert policy(sim) == {
        "nfs_read_write": [],
        "nfs_read_only": ["10.0.0.1"],
        "nfs_root_squash": [],
        "nfs_no_squash": ["10.0.0.1"],
        "nfs_all_squash": [],
    }


def test_root_squash_option(make_driver: Any, sim: Simulator) -> None:
    squashing = make_driver(vast_root_squash=True)
    squashing.create_share(None, share("s1"))
    squashing.update_access(None, share("s1"), [rule("10.0.0.0/24")], [], [], [])
    assert policy(sim)["nfs_root_squash"] == ["10.0.0.0/24"] and policy(sim)["nfs_no_squash"] == []


def test_recovery_removes_stale_hosts(drv: Any, sim: Simulator) -> None:
    # In-tree bug 2: with add and delete empty (recovery), only unions were taken.
    set_policy(sim, nfs_read_write=["10.9.9.9", "10.0.0.1"], nfs_no_squash=["10.9.9.9", "10.0.0.1"])
    drv.update_access(None, share("s1"), [rule("10.0.0.1")], [], [], [])
    assert policy(sim)["nfs_read_write"] == ["10.0.0.1"]
    assert policy(sim)["nfs_no_squash"] == ["10.0.0.1"]


def test_adds_and_denies_together(drv: Any, sim: Simulator) -> None:
    # In-tree bug 3: the deny PATCH, computed from the old policy, dropped the add.
    drv.update_access(None, share("s1"), [rule("10.0.0.1")], [rule("10.0.0.1")], [], [])
    drv.update_access(None, share("s1"), [rule("10.0.0.2")], [rule("10.0.0.2")], [rule("10.0.0.1")], [])
    assert policy(sim)["nfs_read_write"] == ["10.0.0.2"]


def test_level_change_moves_the_host(drv: Any, sim: Simulator) -> None:
    # In-tree bug 4: rw→ro (update_rules only) left the host in both lists, RW kept.
    drv.update_access(
        None, share("s1"), [rule("10.0.0.1", "rw", "a1")], [rule("10.0.0.1", "rw", "a1")], [], []
    )
    changed = rule("10.0.0.1", "ro", "a1")
    drv.update_access(None, share("s1"), [changed], [], [], [changed])
    assert policy(sim)["nfs_read_write"] == [] and policy(sim)["nfs_read_only"] == ["10.0.0.1"]


def test_deny_everything_leaves_nobody(drv: Any, sim: Simulator) -> None:
    drv.update_access(None, share("s1"), [rule("10.0.0.1")], [rule("10.0.0.1")], [], [])
    drv.update_access(None, share("s1"), [], [], [rule("10.0.0.1")], [])
    assert all(hosts == [] for hosts in policy(sim).values())


def test_invalid_rules_are_errors_keyed_by_access_id(drv: Any, sim: Simulator) -> None:
    # In-tree bug 7: keyed by the mapping id, which the manager cannot resolve.
    rules = [
        rule("10.0.0.1", "ry", "a-level"),
        rule("10.0.0.2/33", access_id="a-cidr"),
        rule("10.0.0.2.4", access_id="a-addr"),
        rule("alice", access_type="user", access_id="a-user"),
        rule("10.0.0.5", "ro", "a-good"),
    ]
    result = drv.update_access(None, share("s1"), rules, rules, [], [])
    assert result == {key: {"state": "error"} for key in ("a-level", "a-cidr", "a-addr", "a-user")}
    assert policy(sim)["nfs_read_only"] == ["10.0.0.5"]


def test_ipv6(drv: Any, sim: Simulator) -> None:
    drv.update_access(None, share("s1"), [rule("2001:db8::/64"), rule("2001:db8:1::5", "ro")], [], [], [])
    assert policy(sim)["nfs_read_write"] == ["2001:db8::/64"]
    assert policy(sim)["nfs_read_only"] == ["2001:db8:1::5"]


def test_one_patch_and_none_when_in_sync(drv: Any, sim: Simulator) -> None:
    rules = [rule("10.0.0.0/24"), rule("10.1.0.0/24", "ro")]
    clear_calls(sim)
    drv.update_access(None, share("s1"), rules, rules, [], [])
    assert mutations(sim) == ["PATCH /viewpolicies/1/"]
    clear_calls(sim)
    drv.update_access(None, share("s1"), rules, rules, [], [])  # re-sent adds are idempotent
    assert mutations(sim) == []


def test_deny_of_a_rule_never_applied_does_not_fail(drv: Any) -> None:
    assert drv.update_access(None, share("s1"), [], [], [rule("10.7.7.7")], []) == {}


def test_non_nfs_share_refused(drv: Any) -> None:
    # In-tree bug 8: returned None, so manila marked the rules active though nothing was applied.
    with pytest.raises(exception.InvalidShare):
        drv.update_access(None, share("s1", proto="CIFS"), [rule("10.0.0.1")], [], [], [])
