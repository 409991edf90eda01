"""ensure_shares on the simulator (MANILA.md §1.4, in-tree bug 12): one read per collection, a status per
share, repairs without ever re-creating a directory, reapply_access_rules where the policy drifted."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import SIM_VIPS, calls, clear_calls, control, mutations, one, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

IDS = ("s1", "s2", "s3")


@pytest.fixture
def drv(make_driver: Any) -> Any:
    created = make_driver()
    for instance_id in IDS:
        created.create_share(None, share(instance_id))
        created.update_access(None, share(instance_id), [rule("10.0.0.0/24")], [], [], [])
    return created


def shares() -> list[dict[str, Any]]:
    return [share(i) for i in IDS]


def test_in_sync_reads_each_collection_once(drv: Any, sim: Simulator) -> None:
    clear_calls(sim)
    result = drv.ensure_shares(None, shares())
    for instance_id in IDS:
        assert result[instance_id] == {
            "status": "available",
            "reapply_access_rules": False,
            "export_locations": [
                {"path": f"{vip}:/manila/manila-{instance_id}", "is_admin_only": False} for vip in SIM_VIPS
            ],
        }
    assert sorted(c["route"] for c in calls(sim)) == ["/quotas/", "/viewpolicies/", "/views/", "/vippools/"]


def test_world_open_policy_closed_and_rules_reapplied(drv: Any, sim: Simulator) -> None:
    record = one(sim, "viewpolicies", name="s2")
    assert record is not None
    sim.backend.viewpolicies.update(
        record["id"], {"nfs_read_write": ["*", "10.0.0.0/24"], "nfs_read_only": ["*"]}
    )
    clear_calls(sim)
    result = drv.ensure_shares(None, shares())
    assert result["s2"]["reapply_access_rules"] is True
    assert not result["s1"]["reapply_access_rules"] and not result["s3"]["reapply_access_rules"]
    assert mutations(sim) == [f"PATCH /viewpolicies/{record['id']}/"]
    fixed = one(sim, "viewpolicies", name="s2")
    assert fixed is not None and fixed["nfs_read_write"] == ["10.0.0.0/24"] and fixed["nfs_read_only"] == []


def test_missing_view_policy_and_quota_restored(drv: Any, sim: Simulator) -> None:
    view = one(sim, "views", path="/manila/manila-s1")
    policy = one(sim, "viewpolicies", name="s1")
    quota = one(sim, "quotas", path="/manila/manila-s3")
    assert view and policy and quota
    sim.backend.views.delete(view["id"])
    sim.backend.viewpolicies.delete(policy["id"])
    sim.backend.quotas.delete(quota["id"])
    clear_calls(sim)
    result = drv.ensure_shares(None, shares())
    assert {i: r["status"] for i, r in result.items()} == dict.fromkeys(IDS, "available")
    assert result["s1"]["reapply_access_rules"] is True  # the new policy has no hosts until re-applied
    assert result["s3"]["reapply_access_rules"] is False
    assert sorted(mutations(sim)) == ["POST /quotas/", "POST /viewpolicies/", "POST /views/"]
    assert one(sim, "views", path="/manila/manila-s1") is not None
    assert one(sim, "quotas", path="/manila/manila-s3")["hard_limit"] == 2**30  # type: ignore[index]


def test_share_whose_directory_is_gone_is_an_error_never_recreated(drv: Any, sim: Simulator) -> None:
    for collection, key, value in (
        ("views", "path", "/manila/manila-s2"),
        ("quotas", "path", "/manila/manila-s2"),
    ):
        record = one(sim, collection, **{key: value})
        assert record is not None
        getattr(sim.backend, collection).delete(record["id"])
    sim.backend.fs.delete_folder(1, "/manila/manila-s2")
    clear_calls(sim)
    result = drv.ensure_shares(None, shares())
    assert result["s2"] == {"status": "error"}
    assert result["s1"]["status"] == result["s3"]["status"] == "available"
    assert mutations(sim) == []  # nothing created: not the directory, not a quota, not a view


def test_one_broken_share_does_not_fail_the_others(drv: Any, sim: Simulator) -> None:
    ids = {}
    for instance_id in ("s1", "s2"):
        record = one(sim, "viewpolicies", name=instance_id)
        assert record is not None
        ids[instance_id] = record["id"]
        sim.backend.viewpolicies.update(record["id"], {"nfs_read_write": ["*", "10.0.0.0/24"]})
    # Every PATCH of s2's policy fails, as a VMS refusing that one object would.
    control(
        sim,
        "POST",
        "/_sim/faults",
        {
            "method": "PATCH",
            "path": f"/viewpolicies/{ids['s2']}/",
            "status": 400,
            "body": {"detail": "refused"},
        },
    )
    result = drv.ensure_shares(None, shares())
    assert result["s2"] == {"status": "error"}
    assert result["s1"]["status"] == "available" and result["s1"]["reapply_access_rules"] is True
    assert one(sim, "viewpolicies", name="s1")["nfs_read_write"] == ["10.0.0.0/24"]  # type: ignore[index]


def test_non_nfs_share_is_an_error_for_that_share_only(drv: Any) -> None:
    result = drv.ensure_shares(None, [*shares(), share("c1", proto="CIFS")])
    assert result["c1"] == {"status": "error"}
    assert all(result[i]["status"] == "available" for i in IDS)


def test_unreadable_backend_is_a_status_not_an_exception(drv: Any, sim: Simulator) -> None:
    control(sim, "POST", "/_sim/faults", {"method": "GET", "path": "/views/", "status": 500})
    assert drv.ensure_shares(None, shares()) == {i: {"status": "error"} for i in IDS}
