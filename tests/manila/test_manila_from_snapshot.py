"""create_share_from_snapshot and get_share_status on the simulator: the snapshot cloned by a global snapshot
stream into the new share's directory (its data there, byte for byte as the snapshot held it), the share's
objects planned and applied, the stream removed once done; ``creating_from_snapshot`` while a held stream
copies; failures and refusals with manila's exception types."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import (
    SIM_VIPS,
    calls,
    clear_calls,
    control,
    directory_exists,
    mutations,
    one,
    records,
    share,
    vms_get,
)

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

from manila import exception

from manila_vast.exceptions import VastBackendError

MIB = 2**20
GIB = 2**30
SOURCE = "/manila/manila-s1"
CLONE = "/manila/manila-c1"


def locations(path: str) -> list[dict[str, Any]]:
    return [{"path": f"{vip}:{path}", "is_admin_only": False} for vip in SIM_VIPS]


def used(sim: Simulator, path: str) -> int:
    """What the quota on ``path`` reports as used, read as any VMS client reads it."""
    (quota,) = vms_get(sim, "/quotas/", {"path": path})
    return int(quota["used_effective_capacity"])


def streams(sim: Simulator) -> list[dict[str, Any]]:
    return records(sim, "globalsnapstreams")


@pytest.fixture
def drv(make_driver: Any, sim: Simulator) -> Any:
    """A share s1 holding 700 MiB (500 at its top, 200 in a subdirectory), and snapshot snap-1 of it."""
    created = make_driver()
    created.create_share(None, share("s1", size=2))
    control(sim, "POST", "/_sim/usage", {"path": SOURCE, "used_bytes": 500 * MIB})
    created.backend.client.post("/folders/create_folder/", {"path": f"{SOURCE}/sub", "tenant_id": 1})
    control(sim, "POST", "/_sim/usage", {"path": f"{SOURCE}/sub", "used_bytes": 200 * MIB})
    created.create_snapshot(None, SNAPSHOT)
    # Written after the snapshot: not in the clone.
    control(sim, "POST", "/_sim/usage", {"path": SOURCE, "used_bytes": 900 * MIB})
    return created


SNAPSHOT = {
    "id": "si1",
    "name": "snap-1",
    "share_instance_id": "s1",
    "snapshot_id": "sn1",
    "provider_location": "snap-1",
}


def from_snapshot(instance_id: str = "c1", size: int = 3) -> dict[str, Any]:
    return {**share(instance_id, size=size), "snapshot_id": "sn1"}


def set_pace(sim: Simulator, pace: str) -> None:
    control(sim, "POST", "/_sim/clones", {"pace": pace})


def test_clone_lands_in_the_new_share(drv: Any, sim: Simulator) -> None:
    clear_calls(sim)
    result = drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT, parent_share=share("s1", size=2))
    assert result == {"status": "available", "export_locations": locations(CLONE)}
    # The data as the snapshot held it: 500 MiB at the top, 200 MiB in sub/ (not the 900 MiB written later).
    assert used(sim, CLONE) == 700 * MIB
    assert used(sim, SOURCE) == 1100 * MIB
    assert directory_exists(sim, f"{CLONE}/sub")
    quota = one(sim, "quotas", path=CLONE)
    policy = one(sim, "viewpolicies", name="c1")
    view = one(sim, "views", path=CLONE)
    assert quota is not None and quota["name"] == "c1" and quota["hard_limit"] == 3 * GIB
    assert policy is not None and policy["nfs_read_write"] == [] and policy["nfs_read_only"] == []
    assert view is not None and view["name"] == "c1" and view["policy_id"] == policy["id"]
    assert streams(sim) == []  # done: stopped-and-deleted, the directory kept
    snapshot_id = one(sim, "snapshots", name="snap-1")["id"]  # type: ignore[index]
    made = mutations(sim)
    assert made[0] == f"POST /snapshots/{snapshot_id}/clone/"  # the stream before anything on its path
    assert sorted(made[1:4]) == ["POST /quotas/", "POST /viewpolicies/", "POST /views/"]
    assert made[4:] == ["DELETE /globalsnapstreams/1/"]  # completed: nothing to stop
    delete = next(c for c in calls(sim) if c["method"] == "DELETE")
    assert delete["body"] == {"remove_dir": False}


def test_held_stream_is_creating_from_snapshot_until_done(drv: Any, sim: Simulator) -> None:
    set_pace(sim, "manual")
    result = drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    assert result["status"] == "creating_from_snapshot"
    assert result["export_locations"] == locations(CLONE)
    (stream,) = streams(sim)
    assert one(sim, "views", path=CLONE) is not None  # the share's objects are in place already

    control(sim, "POST", f"/_sim/clones/{stream['id']}/progress", {"sync_progress": 40})
    clear_calls(sim)
    status = drv.get_share_status(from_snapshot())
    assert status == {
        "status": "creating_from_snapshot",
        "export_locations": locations(CLONE),
        "progress": "40%",
    }
    assert mutations(sim) == []

    control(sim, "POST", f"/_sim/clones/{stream['id']}/complete")
    status = drv.get_share_status(from_snapshot())
    assert status == {"status": "available", "export_locations": locations(CLONE)}
    assert streams(sim) == [] and used(sim, CLONE) == 700 * MIB
    # Asked again (the answer was lost): the stream is gone, the share is there.
    assert drv.get_share_status(from_snapshot())["status"] == "available"


def test_stream_completing_after_some_reads(drv: Any, sim: Simulator) -> None:
    control(sim, "POST", "/_sim/clones", {"pace": "reads", "reads": 3})
    result = drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    assert result["status"] == "creating_from_snapshot"
    statuses = [drv.get_share_status(from_snapshot())["status"] for _ in range(3)]
    assert statuses[-1] == "available" and streams(sim) == []


def test_a_stopped_stream_is_an_error_and_delete_cleans_up(drv: Any, sim: Simulator) -> None:
    set_pace(sim, "manual")
    drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    (stream,) = streams(sim)
    drv.backend.client.patch(f"/globalsnapstreams/{stream['id']}/stop/")  # someone stopped it
    assert drv.get_share_status(from_snapshot()) == {"status": "error"}
    assert len(streams(sim)) == 1  # kept for inspection
    drv.delete_share(None, from_snapshot())
    assert streams(sim) == [] and not directory_exists(sim, CLONE)
    assert one(sim, "views", path=CLONE) is None and one(sim, "viewpolicies", name="c1") is None


def test_deleting_a_share_still_copying(drv: Any, sim: Simulator) -> None:
    set_pace(sim, "manual")
    drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    (stream,) = streams(sim)
    clear_calls(sim)
    drv.delete_share(None, from_snapshot())
    made = mutations(sim)
    assert made[:2] == [
        f"PATCH /globalsnapstreams/{stream['id']}/stop/",
        f"DELETE /globalsnapstreams/{stream['id']}/",
    ]
    assert "DELETE /folders/delete_folder/" in made
    assert streams(sim) == [] and not directory_exists(sim, CLONE)
    drv.delete_snapshot(None, SNAPSHOT)  # the source snapshot is free again
    assert one(sim, "snapshots", name="snap-1") is None


def test_retried_create_carries_on_with_its_stream(drv: Any, sim: Simulator) -> None:
    set_pace(sim, "manual")
    drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    clear_calls(sim)
    again = drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    assert again["status"] == "creating_from_snapshot"
    assert mutations(sim) == [] and len(streams(sim)) == 1


def test_clone_into_an_existing_directory_is_refused(drv: Any, sim: Simulator) -> None:
    drv.backend.client.post("/folders/create_folder/", {"path": CLONE, "tenant_id": 1})
    clear_calls(sim)
    with pytest.raises(exception.InvalidShare, match=f"into {CLONE}: the directory already exists"):
        drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    assert mutations(sim) == [] and streams(sim) == []


def test_snapshot_missing_or_of_another_backend(drv: Any, sim: Simulator) -> None:
    drv.backend.client.post("/folders/create_folder/", {"path": "/other-backend/x", "tenant_id": 1})
    drv.backend.client.post("/snapshots/", {"name": "foreign", "path": "/other-backend/x/", "tenant_id": 1})
    clear_calls(sim)
    foreign = {**SNAPSHOT, "name": "foreign", "provider_location": "foreign"}
    with pytest.raises(exception.InvalidShareSnapshot, match="not a snapshot of a share of this backend"):
        drv.create_share_from_snapshot(None, from_snapshot(), foreign)
    missing = {**SNAPSHOT, "name": "gone", "provider_location": "gone"}
    with pytest.raises(exception.InvalidShareSnapshot, match="gone does not exist"):
        drv.create_share_from_snapshot(None, from_snapshot(), missing)
    assert mutations(sim) == [] and streams(sim) == []


def test_snapshot_found_by_id_in_provider_location(drv: Any, sim: Simulator) -> None:
    snapshot_id = one(sim, "snapshots", name="snap-1")["id"]  # type: ignore[index]
    by_id = {**SNAPSHOT, "provider_location": str(snapshot_id)}
    assert drv.create_share_from_snapshot(None, from_snapshot(), by_id)["status"] == "available"
    assert used(sim, CLONE) == 700 * MIB


def test_a_failure_after_cloning_fails_the_create(drv: Any, sim: Simulator) -> None:
    control(sim, "POST", "/_sim/faults", {"method": "POST", "path": "/views/", "status": 400, "times": 1})
    with pytest.raises(VastBackendError):
        drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    drv.delete_share(None, from_snapshot())  # what manila does with the errored share
    assert streams(sim) == [] and not directory_exists(sim, CLONE)


def test_no_clones_before_vast_4_6(make_driver: Any, sim: Simulator) -> None:
    control(sim, "POST", "/_sim/cluster", {"version": "4.5.0"})
    stats = make_driver().get_share_stats(refresh=True)
    assert stats["create_share_from_snapshot_support"] is False
    assert stats["mount_snapshot_support"] is True


def test_clone_in_a_tenant(make_driver: Any, sim: Simulator) -> None:
    from vastplan import api
    from vastplan.client import ConnectionConfig, VmsClient

    client = VmsClient(
        ConnectionConfig(endpoint="https://vms.test", username="admin", password="123456"),
        adapter=sim.adapter(),
    )
    api.plan_and_apply(client, api.load_documents([("tenant", {"version": 1, "tenants": [{"name": "t2"}]})]))
    tenant_id = one(sim, "tenants", name="t2")["id"]  # type: ignore[index]
    drv = make_driver(vast_tenant_name="t2")
    drv.create_share(None, share("s1", size=2))
    control(sim, "POST", "/_sim/usage", {"path": SOURCE, "used_bytes": 300 * MIB, "tenant_id": tenant_id})
    drv.create_snapshot(None, SNAPSHOT)
    result = drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    assert result["status"] == "available"
    assert directory_exists(sim, CLONE, tenant_id) and not directory_exists(sim, CLONE)
    assert sim.backend.fs.used_bytes(tenant_id, CLONE) == 300 * MIB
    assert one(sim, "quotas", path=CLONE)["tenant_id"] == tenant_id  # type: ignore[index]
    assert streams(sim) == []


def test_a_poll_that_cannot_look_changes_nothing(drv: Any, sim: Simulator) -> None:
    set_pace(sim, "manual")
    drv.create_share_from_snapshot(None, from_snapshot(), SNAPSHOT)
    control(sim, "POST", "/_sim/faults", {"method": "GET", "path": "/globalsnapstreams/", "status": 500})
    polled = {**from_snapshot(), "status": "creating_from_snapshot"}
    assert drv.get_share_status(polled) == {"status": "creating_from_snapshot"}
    control(sim, "DELETE", "/_sim/faults")
    assert drv.get_share_status(polled)["status"] == "creating_from_snapshot"
    assert len(streams(sim)) == 1
