"""manage_existing / unmanage and manage_existing_snapshot / unmanage_snapshot on the simulator: taking over
an export made outside manila, the refusals (manila's own exception types, with the reason), and a managed
share living its life (access, extend, snapshots, ensure, usage, delete) at the directory it came with."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import SIM_VIPS, clear_calls, control, directory_exists, mutations, one, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

from manila import exception

GIB = 2**30
LEGACY = "/manila/projects"


def apply_spec(sim: Simulator, doc: dict[str, Any]) -> None:
    """Make objects as an operator would, outside manila (vastplan's engine over the simulator)."""
    from vastplan import api
    from vastplan.client import ConnectionConfig, VmsClient

    client = VmsClient(
        ConnectionConfig(endpoint="https://vms.test", username="admin", password="123456"),
        adapter=sim.adapter(),
    )
    api.plan_and_apply(client, api.load_documents([("operator", {"version": 1, **doc})]))


def legacy_export(sim: Simulator, path: str = LEGACY, *, limit: int | None = 3 * GIB + 5) -> None:
    """An NFS export someone made by hand: its own policy (granting a subnet), a quota, a view."""
    quota: dict[str, Any] = {"name": "legacy-quota", "path": path, "create_dir": True}
    if limit is not None:
        quota["hard_limit"] = limit
    apply_spec(
        sim,
        {
            "viewpolicies": [{"name": "legacy-policy", "nfs_read_write": ["10.9.0.0/16"]}],
            "quotas": [quota],
            "views": [
                {"path": path, "name": "legacy-view", "policy": "legacy-policy", "protocols": ["NFS", "NFS4"]}
            ],
        },
    )


def managed(instance_id: str, location: str, size: int = 1) -> dict[str, Any]:
    """The share instance manila passes to manage_existing: the admin's export path, no size yet."""
    return {**share(instance_id, size=size), "export_locations": [{"path": location, "is_admin_only": False}]}


def locations(path: str) -> list[dict[str, Any]]:
    return [{"path": f"{vip}:{path}", "is_admin_only": False} for vip in SIM_VIPS]


@pytest.fixture
def drv(make_driver: Any) -> Any:
    return make_driver()


def test_manage_takes_over_an_export(drv: Any, sim: Simulator) -> None:
    legacy_export(sim)
    control(sim, "POST", "/_sim/usage", {"path": LEGACY, "used_bytes": GIB})
    clear_calls(sim)
    update = drv.manage_existing(managed("m1", f"192.0.2.3:{LEGACY}"), {})
    assert update == {"size": 4, "export_locations": locations(LEGACY)}  # 3 GiB + 5 bytes → 4 GiB
    quota = one(sim, "quotas", path=LEGACY)
    assert quota is not None and quota["name"] == "m1" and quota["hard_limit"] == 4 * GIB
    policy = one(sim, "viewpolicies", name="m1")
    assert policy is not None and policy["nfs_read_write"] == [] and policy["nfs_read_only"] == []
    view = one(sim, "views", path=LEGACY)
    assert view is not None and view["name"] == "m1" and view["policy_id"] == policy["id"]
    assert sorted(view["protocols"]) == ["NFS", "NFS4"]  # the view's other protocols are kept
    assert one(sim, "viewpolicies", name="legacy-policy") is not None  # not ours: left alone
    assert directory_exists(sim, LEGACY)
    assert sorted(mutations(sim)) == sorted(
        ["POST /viewpolicies/", f"PATCH /quotas/{quota['id']}/", f"PATCH /views/{view['id']}/"]
    )


def test_manage_then_unmanage_then_manage_again(drv: Any, sim: Simulator) -> None:
    legacy_export(sim)
    first = drv.manage_existing(managed("m1", f"192.0.2.1:{LEGACY}"), {})
    clear_calls(sim)
    drv.unmanage({**managed("m1", f"192.0.2.1:{LEGACY}"), "export_locations": first["export_locations"]})
    assert mutations(sim) == []  # forgetting touches nothing
    assert one(sim, "views", path=LEGACY)["name"] == "m1"  # type: ignore[index]
    again = drv.manage_existing(managed("m2", f"192.0.2.2:{LEGACY}"), {})
    assert again == {"size": 4, "export_locations": locations(LEGACY)}
    assert one(sim, "quotas", path=LEGACY)["name"] == "m2"  # type: ignore[index]
    view = one(sim, "views", path=LEGACY)
    policy = one(sim, "viewpolicies", name="m2")
    assert view is not None and policy is not None and view["policy_id"] == policy["id"]
    clear_calls(sim)
    assert drv.manage_existing(managed("m2", f"192.0.2.2:{LEGACY}"), {})["size"] == 4  # a retry: no change
    assert mutations(sim) == []


def test_manage_a_share_of_this_driver_after_unmanage(drv: Any, sim: Simulator) -> None:
    created = drv.create_share(None, share("old", size=2))
    drv.unmanage({**share("old"), "export_locations": created})
    update = drv.manage_existing(managed("new", created[0]["path"]), {})
    assert update == {"size": 2, "export_locations": locations("/manila/manila-old")}
    assert one(sim, "quotas", path="/manila/manila-old")["name"] == "new"  # type: ignore[index]


def test_managed_share_lives_at_its_own_directory(drv: Any, sim: Simulator) -> None:
    legacy_export(sim)
    update = drv.manage_existing(managed("m1", f"192.0.2.1:{LEGACY}"), {})
    share_now = {**share("m1", size=update["size"]), "export_locations": update["export_locations"]}

    drv.update_access(None, share_now, [rule("10.0.0.0/24")], [rule("10.0.0.0/24")], [], [])
    assert one(sim, "viewpolicies", name="m1")["nfs_read_write"] == ["10.0.0.0/24"]  # type: ignore[index]

    drv.extend_share(share_now, 6)
    assert one(sim, "quotas", path=LEGACY)["hard_limit"] == 6 * GIB  # type: ignore[index]
    share_now["size"] = 6

    snapshot = {"id": "si1", "name": "share-snapshot-si1", "share_instance_id": "m1", "share": share_now}
    snap = drv.create_snapshot(None, snapshot)
    assert one(sim, "snapshots", name="share-snapshot-si1")["path"] == LEGACY + "/"  # type: ignore[index]
    assert snap["export_locations"][0]["path"] == f"192.0.2.1:{LEGACY}/.snapshot/share-snapshot-si1"

    clear_calls(sim)
    result = drv.ensure_shares(None, [share_now])
    assert result["m1"]["status"] == "available" and result["m1"]["export_locations"] == locations(LEGACY)
    assert mutations(sim) == []

    control(sim, "POST", "/_sim/usage", {"path": LEGACY, "used_bytes": 3 * GIB})
    (usage,) = drv.update_share_usage_size(None, [share_now])
    assert usage["used_size"] == 3.0

    drv.delete_snapshot(None, {**snapshot, "provider_location": snap["provider_location"]})
    drv.delete_share(None, share_now)
    assert not directory_exists(sim, LEGACY) and one(sim, "views", path=LEGACY) is None
    assert one(sim, "viewpolicies", name="legacy-policy") is not None


def test_manage_without_a_quota_needs_a_size(drv: Any, sim: Simulator) -> None:
    apply_spec(
        sim,
        {
            "viewpolicies": [{"name": "bare-policy"}],
            "views": [{"path": "/manila/bare", "policy": "bare-policy", "create_dir": True}],
        },
    )
    with pytest.raises(exception.ManageInvalidShare, match="has no quota.*size=<GiB>"):
        drv.manage_existing(managed("m1", "192.0.2.1:/manila/bare"), {})
    control(sim, "POST", "/_sim/usage", {"path": "/manila/bare", "used_bytes": 2 * GIB})
    # No quota to read usage from: the view's logical capacity says what is stored.
    with pytest.raises(exception.ManageInvalidShare, match="more than 1 GiB"):
        drv.manage_existing(managed("m1", "192.0.2.1:/manila/bare"), {"size": "1"})
    update = drv.manage_existing(managed("m1", "192.0.2.1:/manila/bare"), {"size": "3"})
    assert update["size"] == 3
    quota = one(sim, "quotas", path="/manila/bare")
    assert quota is not None and quota["name"] == "m1" and quota["hard_limit"] == 3 * GIB


def test_manage_an_unlimited_quota_with_a_size(drv: Any, sim: Simulator) -> None:
    legacy_export(sim, limit=None)
    with pytest.raises(exception.ManageInvalidShare, match="without a hard limit"):
        drv.manage_existing(managed("m1", f"192.0.2.1:{LEGACY}"), {})
    assert drv.manage_existing(managed("m1", f"192.0.2.1:{LEGACY}"), {"size": 2})["size"] == 2
    assert one(sim, "quotas", path=LEGACY)["hard_limit"] == 2 * GIB  # type: ignore[index]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("192.0.2.1:/manila/nothing-here", "/manila/nothing-here does not exist on the VAST cluster"),
        ("192.0.2.1:/data/projects", "/data/projects is outside the root export /manila"),
        ("192.0.2.1:/manila", "outside the root export"),
        ("192.0.2.1:/manila/projects/sub", "not a directory directly below the root export"),
        (
            "198.51.100.7:/manila/projects",
            "198.51.100.7 is not an address of VIP pool vippool-1.*another backend",
        ),
        ("/manila/projects", "not an NFS export path"),
    ],
)
def test_manage_refusals(drv: Any, sim: Simulator, location: str, reason: str) -> None:
    legacy_export(sim)
    apply_spec(sim, {"folders": [{"path": "/data/projects"}, {"path": "/manila/projects/sub"}]})
    clear_calls(sim)
    with pytest.raises(exception.ManageInvalidShare, match=reason):
        drv.manage_existing(managed("m1", location), {})
    assert mutations(sim) == []


def test_manage_refuses_other_protocols(drv: Any) -> None:
    with pytest.raises(exception.ManageInvalidShare, match="only NFS"):
        drv.manage_existing({**managed("m1", f"192.0.2.1:{LEGACY}"), "share_proto": "CIFS"}, {})


# ------------------------------------------------------------------------------------------- snapshots


def snapshot_of(share_now: dict[str, Any], provider_location: str | None) -> dict[str, Any]:
    return {
        "id": "si9",
        "name": "share-snapshot-si9",
        "share_instance_id": share_now["id"],
        "share": share_now,
        "provider_location": provider_location,
    }


def test_manage_snapshot_by_name_or_id(drv: Any, sim: Simulator) -> None:
    created = drv.create_share(None, share("s1", size=5))
    share_now = {**share("s1", size=5), "export_locations": created}
    apply_spec(sim, {"snapshots": [{"name": "nightly", "path": "/manila/manila-s1/"}]})
    record = one(sim, "snapshots", name="nightly")
    assert record is not None
    clear_calls(sim)
    update = drv.manage_existing_snapshot(snapshot_of(share_now, "nightly"), {})
    assert update == {
        "provider_location": "nightly",
        "size": 5,
        "export_locations": locations("/manila/manila-s1/.snapshot/nightly"),
    }
    assert mutations(sim) == []
    by_id = drv.manage_existing_snapshot(snapshot_of(share_now, str(record["id"])), {})
    assert by_id["provider_location"] == "nightly"  # the id becomes the name deletion finds it by
    drv.unmanage_snapshot(snapshot_of(share_now, "nightly"))
    assert mutations(sim) == []
    drv.delete_snapshot(None, snapshot_of(share_now, "nightly"))
    assert one(sim, "snapshots", name="nightly") is None


def test_manage_snapshot_refusals(drv: Any, sim: Simulator) -> None:
    s1 = {**share("s1"), "export_locations": drv.create_share(None, share("s1"))}
    drv.create_share(None, share("s2"))
    drv.create_snapshot(None, {"name": "of-s2", "share_instance_id": "s2"})
    apply_spec(
        sim, {"folders": [{"path": "/elsewhere"}], "snapshots": [{"name": "foreign", "path": "/elsewhere/"}]}
    )
    with pytest.raises(exception.ManageInvalidShareSnapshot, match="of /manila/manila-s2, not of share s1"):
        drv.manage_existing_snapshot(snapshot_of(s1, "of-s2"), {})
    with pytest.raises(exception.ManageInvalidShareSnapshot, match="of /elsewhere, not of share s1"):
        drv.manage_existing_snapshot(snapshot_of(s1, "foreign"), {})
    with pytest.raises(exception.ManageInvalidShareSnapshot, match="no snapshot named"):
        drv.manage_existing_snapshot(snapshot_of(s1, "missing"), {})
    with pytest.raises(exception.ManageInvalidShareSnapshot, match="provider location"):
        drv.manage_existing_snapshot(snapshot_of(s1, None), {})
