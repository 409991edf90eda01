"""Mountable snapshots on the simulator (MANILA.md §1.6): export locations under the share's ``.snapshot``,
and ``snapshot_update_access`` honouring hosts the share lets in (read-only whatever level is asked) while
refusing, with the reason, hosts it would have to open the share to."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import SIM_VIPS, clear_calls, mutations, one, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

from manila import exception

PATH = "/manila/manila-s1"
SNAPSHOT = {"id": "si1", "name": "share-snapshot-si1", "share_instance_id": "s1", "snapshot_id": "sn1"}


@pytest.fixture
def drv(make_driver: Any, sim: Simulator) -> Any:
    created = make_driver()
    created.create_share(None, share("s1"))
    rules = [rule("10.0.0.0/24", "rw"), rule("10.1.0.5", "ro")]
    created.update_access(None, share("s1"), rules, rules, [], [])
    return created


def snap_rule(access_to: str, access_id: str, level: str = "ro") -> dict[str, Any]:
    """A snapshot access rule as manila passes it (level asked may be anything; VAST serves ro)."""
    return {
        "id": f"map-{access_id}",
        "access_id": access_id,
        "access_type": "ip",
        "access_to": access_to,
        "access_level": level,
        "state": "applying",
    }


def test_snapshot_export_locations(drv: Any, sim: Simulator) -> None:
    update = drv.create_snapshot(None, SNAPSHOT)
    assert update["export_locations"] == [
        {"path": f"{vip}:{PATH}/.snapshot/share-snapshot-si1", "is_admin_only": False} for vip in SIM_VIPS
    ]
    stored = one(sim, "snapshots", name="share-snapshot-si1")
    assert stored is not None and stored["path"] == PATH + "/"


def test_hosts_of_the_share_get_the_snapshot_read_only(drv: Any, sim: Simulator) -> None:
    drv.create_snapshot(None, SNAPSHOT)
    before = one(sim, "viewpolicies", name="s1")
    clear_calls(sim)
    rules = [snap_rule("10.0.0.7", "a", level="rw"), snap_rule("10.1.0.5", "b")]
    assert drv.snapshot_update_access(None, SNAPSHOT, rules, rules, []) is None
    assert mutations(sim) == []  # served through the share's export: nothing to change
    assert one(sim, "viewpolicies", name="s1") == before  # and in particular no rw for the snapshot


def test_a_host_the_share_does_not_let_in_is_refused(drv: Any, sim: Simulator) -> None:
    drv.create_snapshot(None, SNAPSHOT)
    clear_calls(sim)
    rules = [snap_rule("10.0.0.7", "a"), snap_rule("192.168.5.5", "c")]
    with pytest.raises(
        exception.InvalidSnapshotAccess, match=r"rule c: 192\.168\.5\.5 has no access to the share"
    ):
        drv.snapshot_update_access(None, SNAPSHOT, rules, [rules[1]], [])
    assert mutations(sim) == []
    policy = one(sim, "viewpolicies", name="s1")
    assert policy is not None and "192.168.5.5" not in policy["nfs_read_only"]  # the share stays closed to it


def test_removing_rules_and_full_sync_never_fail(drv: Any, sim: Simulator) -> None:
    drv.create_snapshot(None, SNAPSHOT)
    clear_calls(sim)
    gone = [snap_rule("172.16.0.1", "never-applied")]
    drv.snapshot_update_access(None, SNAPSHOT, [], [], gone)
    drv.snapshot_update_access(None, SNAPSHOT, [snap_rule("10.0.0.9", "a")], [], [])  # full sync
    drv.snapshot_update_access(None, SNAPSHOT, [], [], [])
    assert mutations(sim) == []


def test_invalid_snapshot_rules_are_refused(drv: Any) -> None:
    bad = [{**snap_rule("alice", "u"), "access_type": "user"}]
    with pytest.raises(exception.InvalidSnapshotAccess, match="only 'ip'"):
        drv.snapshot_update_access(None, SNAPSHOT, bad, bad, [])


def test_capabilities_in_stats(drv: Any) -> None:
    stats = drv.get_share_stats(refresh=True)
    assert stats["mount_snapshot_support"] is True
    assert stats["snapshot_inherit_share_access_support"] is True
    assert stats["snapshot_support"] is True
    assert stats["revert_to_snapshot_support"] is False
    assert stats["create_share_from_snapshot_support"] is True  # the simulator runs VAST 5.3
