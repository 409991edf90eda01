"""Share and snapshot lifecycle on the simulator: create, delete, extend, shrink, snapshots, stats, usage."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import SIM_VIPS, clear_calls, control, directory_exists, mutations, one, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

from manila import exception

from manila_vast.exceptions import VastBackendError

GIB = 2**30
PATH = "/manila/manila-s1"


@pytest.fixture
def drv(make_driver: Any) -> Any:
    return make_driver()


def test_create_share_layout_of_the_in_tree_driver(drv: Any, sim: Simulator) -> None:
    locations = drv.create_share(None, share("s1", size=2))
    assert locations == [{"path": f"{vip}:{PATH}", "is_admin_only": False} for vip in SIM_VIPS]
    policy = one(sim, "viewpolicies", name="s1")
    assert policy is not None
    # No hosts at all: never VAST's "*" default (in-tree bug 5).
    for hosts in ("nfs_read_write", "nfs_read_only", "nfs_root_squash", "nfs_no_squash", "nfs_all_squash"):
        assert policy[hosts] == [], hosts
    quota = one(sim, "quotas", path=PATH)
    assert quota is not None and quota["name"] == "s1" and quota["hard_limit"] == 2 * GIB
    view = one(sim, "views", path=PATH)
    assert view is not None and view["name"] == "s1" and view["policy_id"] == policy["id"]
    assert view["protocols"] == ["NFS"]
    assert directory_exists(sim, PATH)


def test_create_share_quota_before_view(drv: Any, sim: Simulator) -> None:
    clear_calls(sim)
    drv.create_share(None, share("s1"))
    assert mutations(sim) == ["POST /viewpolicies/", "POST /quotas/", "POST /views/"]


def test_create_share_twice_changes_nothing(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    clear_calls(sim)
    drv.create_share(None, share("s1"))
    assert mutations(sim) == []


def test_create_non_nfs_share_refused(drv: Any) -> None:
    with pytest.raises(exception.InvalidShare, match="only NFS"):
        drv.create_share(None, share("c1", proto="CIFS"))


def test_delete_share_removes_the_export_before_the_data(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    clear_calls(sim)
    drv.delete_share(None, share("s1"))
    assert mutations(sim) == [
        "DELETE /views/1/",
        "DELETE /quotas/1/",
        "DELETE /viewpolicies/1/",
        "DELETE /folders/delete_folder/",
    ]
    assert one(sim, "views", path=PATH) is None and one(sim, "viewpolicies", name="s1") is None
    assert not directory_exists(sim, PATH)
    assert [t["path"] for t in sim.state_dict()["trash"]] == [PATH]


def test_delete_share_is_idempotent(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    drv.delete_share(None, share("s1"))
    clear_calls(sim)
    drv.delete_share(None, share("s1"))
    drv.delete_share(None, share("never-created"))
    assert mutations(sim) == []


def test_delete_share_half_deleted(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    view = one(sim, "views", path=PATH)
    assert view is not None
    sim.backend.views.delete(view["id"])  # someone removed the export already
    drv.delete_share(None, share("s1"))
    assert not directory_exists(sim, PATH) and one(sim, "quotas", path=PATH) is None


def test_delete_share_refused_when_trash_disabled(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    control(sim, "POST", "/_sim/cluster", {"enable_trash": False})
    clear_calls(sim)
    with pytest.raises(VastBackendError, match="Trash Folder Access is disabled"):
        drv.delete_share(None, share("s1"))
    assert mutations(sim) == []  # refused before anything changed
    assert one(sim, "views", path=PATH) is not None


def test_delete_share_refused_before_4_7(drv: Any, sim: Simulator, make_driver: Any) -> None:
    drv.create_share(None, share("s1"))
    control(sim, "POST", "/_sim/cluster", {"version": "4.6.0"})
    old_cluster_driver = make_driver()  # a new connection reads the version again
    clear_calls(sim)
    with pytest.raises(VastBackendError, match="4.7"):
        old_cluster_driver.delete_share(None, share("s1"))
    assert mutations(sim) == []


def test_extend_share(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    clear_calls(sim)
    drv.extend_share(share("s1"), 5)
    assert mutations(sim) == ["PATCH /quotas/1/"]
    assert one(sim, "quotas", path=PATH)["hard_limit"] == 5 * GIB  # type: ignore[index]


def test_shrink_refused_when_usage_exceeds_new_size(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1", size=10))
    control(sim, "POST", "/_sim/usage", {"path": PATH, "used_bytes": 6 * GIB})
    clear_calls(sim)
    with pytest.raises(exception.ShareShrinkingPossibleDataLoss):
        drv.shrink_share(share("s1", size=10), 5)
    assert mutations(sim) == []
    drv.shrink_share(share("s1", size=10), 6)  # exactly the usage: allowed, as in-tree
    assert one(sim, "quotas", path=PATH)["hard_limit"] == 6 * GIB  # type: ignore[index]


def test_shrink_missing_share(drv: Any) -> None:
    with pytest.raises(exception.ShareResourceNotFound):
        drv.shrink_share(share("ghost"), 1)


def test_extend_never_recreates_a_vanished_directory(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    drv.delete_share(None, share("s1"))
    clear_calls(sim)
    with pytest.raises(exception.ShareResourceNotFound):
        drv.extend_share(share("s1"), 2)
    assert mutations(sim) == []


def test_snapshots(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    snapshot = {"id": "si1", "name": "share-snapshot-si1", "share_instance_id": "s1", "snapshot_id": "sn1"}
    update = drv.create_snapshot(None, snapshot)
    assert update["provider_location"] == "share-snapshot-si1"
    assert update["export_locations"] == [
        {"path": f"{vip}:{PATH}/.snapshot/share-snapshot-si1", "is_admin_only": False} for vip in SIM_VIPS
    ]
    stored = one(sim, "snapshots", name="share-snapshot-si1")
    assert stored is not None and stored["path"] == PATH + "/"
    clear_calls(sim)
    drv.delete_snapshot(None, {**snapshot, "provider_location": update["provider_location"]})
    assert mutations(sim) == [f"DELETE /snapshots/{stored['id']}/"]
    clear_calls(sim)
    drv.delete_snapshot(None, {**snapshot, "provider_location": update["provider_location"]})  # gone: fine
    assert mutations(sim) == []


def test_snapshot_name_clash_on_another_path_is_not_replaced(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1"))
    drv.create_share(None, share("s2"))
    drv.create_snapshot(None, {"name": "snap", "share_instance_id": "s1"})
    clear_calls(sim)
    with pytest.raises(VastBackendError, match="lose data"):
        drv.create_snapshot(None, {"name": "snap", "share_instance_id": "s2"})
    assert mutations(sim) == []


def test_stats(make_driver: Any, sim: Simulator) -> None:
    control(sim, "POST", "/_sim/cluster", {"logical_space": 100 * GIB, "drr": 3.0})
    drv = make_driver(
        reserved_share_percentage=5, reserved_share_extend_percentage=7, max_over_subscription_ratio=4.0
    )
    drv.create_share(None, share("s1", size=2))
    drv.create_share(None, share("s2", size=3))
    control(sim, "POST", "/_sim/usage", {"path": "/manila/manila-s1", "used_bytes": GIB})
    stats = drv.get_share_stats(refresh=True)
    assert stats["total_capacity_gb"] == 100.0
    assert stats["free_capacity_gb"] == pytest.approx(99.0)
    assert stats["provisioned_capacity_gb"] == 5.0  # the sum of the quotas, not the used space
    assert stats["thin_provisioning"] is True and stats["max_over_subscription_ratio"] == 4.0
    assert (
        stats["reserved_percentage"],
        stats["reserved_snapshot_percentage"],
        stats["reserved_share_extend_percentage"],
    ) == (5, 5, 7)
    assert stats["snapshot_support"] is True and stats["driver_handles_share_servers"] is False
    assert stats["ipv4_support"] is True and stats["ipv6_support"] is False
    assert stats["vendor_name"] == "VAST STORAGE" and stats["storage_protocol"] == "NFS"


def test_share_usage(drv: Any, sim: Simulator) -> None:
    drv.create_share(None, share("s1", size=2))
    control(sim, "POST", "/_sim/usage", {"path": PATH, "used_bytes": GIB // 2})
    (update,) = drv.update_share_usage_size(None, [share("s1"), share("missing")])
    assert update["id"] == "s1" and update["used_size"] == 0.5 and update["gathered_at"]


def test_backend_info_covers_what_should_re_ensure(drv: Any, make_driver: Any) -> None:
    info = drv.get_backend_info(None)
    assert set(info) >= {
        "vast_driver_version",
        "vast_mgmt_host",
        "vast_vippool_name",
        "vast_vips",
        "vast_root_export",
        "vast_tenant_name",
        "vast_root_squash",
    }
    assert make_driver(vast_root_squash=True).get_backend_info(None) != info
    assert make_driver(vast_root_export="other").get_backend_info(None) != info


def test_shares_in_a_tenant(make_driver: Any, sim: Simulator) -> None:
    from vastplan import api
    from vastplan.client import ConnectionConfig, VmsClient

    client = VmsClient(
        ConnectionConfig(endpoint="https://vms.test", username="admin", password="123456"),
        adapter=sim.adapter(),
    )
    api.plan_and_apply(client, api.load_documents([("tenant", {"version": 1, "tenants": [{"name": "t2"}]})]))
    tenant_id = one(sim, "tenants", name="t2")["id"]  # type: ignore[index]
    drv = make_driver(vast_tenant_name="t2")
    drv.create_share(None, share("s1"))
    drv.update_access(None, share("s1"), [rule("10.0.0.0/24")], [], [], [])
    for collection in ("viewpolicies", "quotas", "views"):
        assert one(sim, collection, name="s1")["tenant_id"] == tenant_id  # type: ignore[index]
    assert directory_exists(sim, PATH, tenant_id) and not directory_exists(sim, PATH)
    clear_calls(sim)
    result = drv.ensure_shares(None, [share("s1")])
    assert result["s1"]["status"] == "available" and mutations(sim) == []
    drv.delete_share(None, share("s1"))
    assert not directory_exists(sim, PATH, tenant_id)


def test_ipv6_vip_pool(drv: Any, sim: Simulator) -> None:
    sim.backend.vippools.update(
        1,
        {"ip_ranges": [["192.0.2.1", "192.0.2.1"], ["2001:db8::10", "2001:db8::11"]], "subnet_cidr_ipv6": 64},
    )
    locations = drv.create_share(None, share("s1"))
    assert [loc["path"] for loc in locations] == [
        f"192.0.2.1:{PATH}",
        f"[2001:db8::10]:{PATH}",
        f"[2001:db8::11]:{PATH}",
    ]
    stats = drv.get_share_stats(refresh=True)
    assert stats["ipv4_support"] is True and stats["ipv6_support"] is True
