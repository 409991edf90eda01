"""Snapshot clones and global snapshot streams (VMS_API.md §4.5): clone, data at the destination, pace,
stop/delete teardown, refusals, 404s, and persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vastplan.sim import Simulator

from .support import Api, make_api

CLONE_BODY = {"loanee_tenant_id": 1, "enabled": True}


def _source(api: Api, path: str = "/src", name: str = "snap") -> dict[str, Any]:
    """``path`` with 100 bytes, ``path/sub`` with 50, and a snapshot of it."""
    assert api.post("/folders/create_folder/", json={"path": f"{path}/sub"}).status_code == 200
    api.control("POST", "usage", {"path": path, "used_bytes": 100})
    api.control("POST", "usage", {"path": f"{path}/sub", "used_bytes": 50})
    return api.create("snapshots", name=name, path=f"{path}/")


def _clone(api: Api, snapshot: dict[str, Any], name: str = "clone", dest: str = "/dst", **extra: Any) -> Any:
    body = {"name": name, "loanee_root_path": dest, **CLONE_BODY, **extra}
    return api.post(f"/snapshots/{snapshot['id']}/clone/", json=body)


def _stat(api: Api, path: str, tenant_id: int = 1) -> Any:
    return api.post("/folders/stat_path/", json={"path": path, "tenant_id": tenant_id})


def _logical_in_use(api: Api) -> int:
    return int(api.get("/clusters/1/").json()["logical_space_in_use"])


# -- cloning -------------------------------------------------------------------------------------------------


def test_clone_answers_200_with_the_stream_and_a_running_task_then_completes(api: Api) -> None:
    snapshot = _source(api)
    response = _clone(api, snapshot)
    assert response.status_code == 200
    stream = response.json()
    assert stream["name"] == "clone"
    assert stream["state"] == "Initializing" and stream["status"] == {"state": "RUNNING"}
    assert stream["loanee_root_path"] == "/dst/"
    assert stream["loanee_snapshot_id"] == snapshot["id"] and stream["loanee_snapshot"] == "snap"
    assert stream["source_snapshot"] == "snap" and stream["source_path"] == "/src/"
    assert stream["loanee_tenant"]["name"] == "default" and stream["owner_tenant"]["name"] == "default"
    task = stream["async_task"]
    assert task["state"] == "RUNNING"
    # default pace: complete once the clone has answered
    again = api.get(f"/globalsnapstreams/{stream['id']}/").json()
    assert again["state"] == "Completed"
    assert again["status"]["state"] == "FINISHED"
    assert again["sync_progress"] == 100
    assert "async_task" not in again
    assert api.get(f"/vtasks/{task['id']}/").json()["state"] == "COMPLETED"


def test_the_destination_holds_the_data_the_source_had_when_the_snapshot_was_taken(api: Api) -> None:
    snapshot = _source(api)
    # written after the snapshot: not part of the clone
    api.control("POST", "usage", {"path": "/src", "used_bytes": 9000})
    api.post("/folders/create_folder/", json={"path": "/src/late"})
    before = _logical_in_use(api)
    assert _clone(api, snapshot).status_code == 200
    assert _stat(api, "/dst").json()["children"] == 1
    assert _stat(api, "/dst/sub").status_code == 200
    assert _stat(api, "/dst/late").status_code == 400
    quota = api.create("quotas", name="q-dst", path="/dst")
    assert quota["used_capacity"] == 150 and quota["used_inodes"] == 2
    sub = api.create("quotas", name="q-sub", path="/dst/sub")
    assert sub["used_capacity"] == 50
    assert _logical_in_use(api) == before + 150
    # the destination's bytes are ordinary usage: /_sim/usage changes them once the stream finished
    api.control("POST", "usage", {"path": "/dst/sub", "used_bytes": 70})
    assert api.get(f"/quotas/{quota['id']}/").json()["used_capacity"] == 170
    # the source is untouched
    assert api.create("quotas", name="q-src", path="/src")["used_capacity"] == 9050


def test_clone_creates_missing_parents_and_lands_in_the_loanee_tenant(api: Api) -> None:
    other = api.create("tenants", name="t2")
    snapshot = _source(api)
    response = _clone(api, snapshot, dest="/clones/deep/x/", loanee_tenant_id=other["id"])
    assert response.status_code == 200, response.text
    assert response.json()["loanee_tenant"]["name"] == "t2"
    assert response.json()["owner_tenant"]["name"] == "default"
    assert _stat(api, "/clones/deep/x", other["id"]).status_code == 200
    assert _stat(api, "/clones/deep/x").status_code == 400  # not in the default tenant
    # a view on the destination comes after the clone (VMS_API.md §4.1)
    policy = api.create("viewpolicies", name="p2", tenant_id=other["id"])
    view = api.create("views", path="/clones/deep/x", policy_id=policy["id"], tenant_id=other["id"])
    assert view["logical_capacity"] == 150


def test_without_loanee_tenant_the_clone_goes_to_the_snapshots_tenant(api: Api) -> None:
    snapshot = _source(api)
    response = api.post(f"/snapshots/{snapshot['id']}/clone/", json={"name": "c", "loanee_root_path": "/d"})
    assert response.status_code == 200
    assert response.json()["loanee_tenant"]["name"] == "default"
    assert response.json()["enabled"] is True


def test_clone_refuses_an_existing_destination(api: Api) -> None:
    snapshot = _source(api)
    api.post("/folders/create_folder/", json={"path": "/taken"})
    response = _clone(api, snapshot, dest="/taken")
    assert response.status_code == 400
    assert response.json() == {
        "loanee_root_path": ["Path /taken already exists; a clone's destination must not exist."]
    }
    assert _clone(api, snapshot, dest="/src/sub").status_code == 400
    assert _clone(api, snapshot, dest="/").status_code == 400
    assert api.get("/globalsnapstreams/").json() == []
    assert api.get("/vtasks/").json() == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"name": "c", "loanee_root_path": "relative/path"},
            {"loanee_root_path": ["Path must start with '/'."]},
        ),
        (
            {"name": "c", "loanee_root_path": "/a/../b"},
            {"loanee_root_path": ["Path must not contain '.' or '..' components."]},
        ),
        (
            {"name": "c", "loanee_root_path": "/"},
            {"loanee_root_path": ["A clone's destination cannot be the root directory."]},
        ),
        ({"loanee_root_path": "/d"}, {"name": ["This field is required."]}),
        ({"name": "c"}, {"loanee_root_path": ["This field is required."]}),
        ({"name": "", "loanee_root_path": "/d"}, {"name": ["This field may not be blank."]}),
        (
            {"name": "c", "loanee_root_path": "/d", "enabled": "yes"},
            {"enabled": ["Must be a valid boolean."]},
        ),
        (
            {"name": "c", "loanee_root_path": "/d", "loanee_tenant_id": "1"},
            {"loanee_tenant_id": ["A valid integer is required."]},
        ),
        (
            {"name": "c", "loanee_root_path": "/d", "loanee_tenant_id": 99},
            {"loanee_tenant_id": ['Invalid pk "99" - object does not exist.']},
        ),
        (
            {"name": "c", "loanee_root_path": "/d", "remove_dir": True},
            {"remove_dir": ["Unknown field: POST /snapshots/{id}/clone/ does not accept 'remove_dir'."]},
        ),
    ],
)
def test_clone_bodies_are_validated(api: Api, body: dict[str, Any], errors: dict[str, Any]) -> None:
    snapshot = _source(api)
    response = api.post(f"/snapshots/{snapshot['id']}/clone/", json=body)
    assert response.status_code == 400
    assert response.json() == errors
    assert api.get("/globalsnapstreams/").json() == []


def test_stream_names_are_unique(api: Api) -> None:
    snapshot = _source(api)
    assert _clone(api, snapshot, name="same", dest="/one").status_code == 200
    response = _clone(api, snapshot, name="same", dest="/two")
    assert response.status_code == 400
    assert response.json() == {"name": ["This field must be unique."]}
    assert _stat(api, "/two").status_code == 400


def test_clones_need_vms_4_6(api: Api) -> None:
    snapshot = _source(api)
    api.control("POST", "cluster", {"version": "4.5.0"})
    assert _clone(api, snapshot).status_code == 404


def test_create_a_local_stream_through_the_collection(api: Api) -> None:
    snapshot = _source(api)
    body = {"name": "s", "loanee_snapshot_id": snapshot["id"], "loanee_root_path": "/via-post"}
    response = api.post("/globalsnapstreams/", json=body)
    assert response.status_code == 201
    assert response.json()["async_task"]["state"] == "RUNNING"
    assert _stat(api, "/via-post/sub").status_code == 200
    missing = api.post("/globalsnapstreams/", json={**body, "name": "t", "loanee_snapshot_id": 77})
    assert missing.json() == {"loanee_snapshot_id": ['Invalid pk "77" - object does not exist.']}
    remote = api.post("/globalsnapstreams/", json={**body, "name": "r", "remote_target_id": 3})
    assert remote.status_code == 400 and "remote_target_id" in remote.json()


# -- pace ----------------------------------------------------------------------------------------------------


def test_manual_pace_holds_a_stream_in_syncing_until_completed(api: Api) -> None:
    assert api.control("POST", "clones", {"pace": "manual"}).json() == {"pace": "manual", "reads": 1}
    assert api.control("GET", "clones").json()["pace"] == "manual"
    snapshot = _source(api)
    stream = _clone(api, snapshot).json()
    assert stream["state"] == "Initializing"
    for _ in range(5):
        read = api.get(f"/globalsnapstreams/{stream['id']}").json()
        assert read["state"] == "Syncing" and read["status"]["state"] == "RUNNING"
    assert api.get(f"/vtasks/{stream['async_task']['id']}/").json()["state"] == "RUNNING"
    # the data is visible at once
    assert _stat(api, "/dst/sub").status_code == 200

    progress = api.control("POST", f"clones/{stream['id']}/progress", {"sync_progress": 40})
    assert progress.status_code == 200 and progress.json()["sync_progress"] == 40
    assert api.control("POST", f"clones/{stream['id']}/progress", {"sync_progress": 100}).status_code == 400

    done = api.control("POST", f"clones/{stream['id']}/complete")
    assert done.status_code == 200
    assert done.json()["state"] == "Completed" and done.json()["status"]["state"] == "FINISHED"
    assert api.get(f"/vtasks/{stream['async_task']['id']}/").json()["state"] == "COMPLETED"
    assert api.control("POST", f"clones/{stream['id']}/complete").status_code == 400
    assert api.control("POST", "clones/999/complete").status_code == 404


def test_reads_pace_completes_on_the_nth_read(api: Api) -> None:
    api.control("POST", "clones", {"pace": "reads", "reads": 3})
    stream = _clone(api, _source(api)).json()
    first = api.get(f"/globalsnapstreams/{stream['id']}/").json()
    assert (first["state"], first["sync_progress"]) == ("Syncing", 33)
    second = api.get("/globalsnapstreams/").json()[0]  # a list read counts too
    assert (second["state"], second["sync_progress"]) == ("Syncing", 66)
    third = api.get(f"/vtasks/{stream['async_task']['id']}/").json()  # and polling its task
    assert third["state"] == "COMPLETED"
    assert api.get(f"/globalsnapstreams/{stream['id']}/").json()["state"] == "Completed"


def test_pace_settings_are_validated(api: Api) -> None:
    assert api.control("POST", "clones", {"pace": "fast"}).status_code == 400
    assert api.control("POST", "clones", {"pace": "reads"}).status_code == 400
    assert api.control("POST", "clones", {"pace": "reads", "reads": 0}).status_code == 400
    assert api.control("POST", "clones", {"pace": "manual", "extra": 1}).status_code == 400
    assert api.control("GET", "clones").json() == {"pace": "instant", "reads": 1}


def test_pause_and_resume(api: Api) -> None:
    api.control("POST", "clones", {"pace": "reads", "reads": 2})
    stream = _clone(api, _source(api)).json()
    url = f"/globalsnapstreams/{stream['id']}"
    paused = api.patch(f"{url}/pause")
    assert paused.status_code == 200
    assert paused.json()["enabled"] is False and paused.json()["status"]["state"] == "PAUSED"
    for _ in range(3):  # a paused stream does not move
        assert api.get(f"{url}/").json()["state"] == "Initializing"
    assert api.patch(f"{url}/resume/").json()["enabled"] is True
    assert api.get(f"{url}/").json()["state"] == "Syncing"
    assert api.get(f"{url}/").json()["state"] == "Completed"
    assert api.patch(f"{url}/pause/").status_code == 400  # nothing left to pause


def test_an_instant_stream_created_disabled_completes_when_resumed(api: Api) -> None:
    stream = _clone(api, _source(api), enabled=False).json()
    assert api.get(f"/globalsnapstreams/{stream['id']}/").json()["status"]["state"] == "PAUSED"
    resumed = api.patch(f"/globalsnapstreams/{stream['id']}/", json={"enabled": True})
    assert resumed.status_code == 200
    assert api.get(f"/globalsnapstreams/{stream['id']}/").json()["state"] == "Completed"


def test_patch_renames_and_refuses_other_fields(api: Api) -> None:
    stream = _clone(api, _source(api)).json()
    renamed = api.patch(f"/globalsnapstreams/{stream['id']}/", json={"name": "renamed"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "renamed"
    moved = api.patch(f"/globalsnapstreams/{stream['id']}/", json={"loanee_root_path": "/x"})
    assert moved.status_code == 400
    assert moved.json() == {
        "loanee_root_path": [
            "Unknown field: PATCH /globalsnapstreams/{id}/ does not accept 'loanee_root_path'."
        ]
    }


# -- what an unfinished stream holds -------------------------------------------------------------------------


def test_an_unfinished_stream_holds_its_snapshot_and_its_destination(api: Api) -> None:
    api.control("POST", "clones", {"pace": "manual"})
    snapshot = _source(api)
    stream = _clone(api, snapshot).json()
    refused = api.delete(f"/snapshots/{snapshot['id']}/")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Snapshot snap is the source of global snapshot stream clone, which has not finished; "
        "stop the stream or wait for it to complete."
    }
    # the destination is read-only until the stream finished
    assert api.control("POST", "usage", {"path": "/dst/sub", "used_bytes": 1}).status_code == 400
    assert api.post("/folders/create_folder/", json={"path": "/dst/new"}).status_code == 400
    nested = _clone(api, snapshot, name="nested", dest="/dst/sub/inner")
    assert nested.json() == {
        "loanee_root_path": [
            "Path /dst/sub/inner is inside the destination of global snapshot stream clone, which has not finished."
        ]
    }
    trash = api.delete("/folders/delete_folder/", json={"path": "/dst"})
    assert trash.status_code == 400 and "global snapshot stream clone" in trash.text
    assert api.delete("/folders/delete_folder/", json={"path": "/"}).status_code == 400
    # views and quotas on the destination are fine (CSI creates the view right after the clone)
    policy = api.create("viewpolicies", name="p")
    api.create("views", path="/dst", policy_id=policy["id"])
    # delete_folder still refuses while snapshots exist under the path
    assert (
        api.delete("/folders/delete_folder/", json={"path": "/src"}).text
        == "cannot delete /src: it has 1 snapshot(s)"
    )

    api.control("POST", f"clones/{stream['id']}/complete")
    assert api.control("POST", "usage", {"path": "/dst/sub", "used_bytes": 1}).status_code == 200
    assert api.delete(f"/snapshots/{snapshot['id']}/").status_code == 204
    assert api.delete("/folders/delete_folder/", json={"path": "/src"}).status_code == 200
    # the stream outlives its source snapshot
    assert api.get(f"/globalsnapstreams/{stream['id']}/").json()["source_snapshot"] == "snap"


def test_an_expired_source_snapshot_stays_until_its_stream_finished(tmp_path: Path) -> None:
    now = [1_000_000_000.0]
    sim = Simulator(clock=lambda: now[0])
    api = make_api(sim)
    api.control("POST", "clones", {"pace": "manual"})
    api.post("/folders/create_folder/", json={"path": "/src"})
    snapshot = api.create("snapshots", name="short", path="/src/", expiration_time="2001-09-09T01:52:40Z")
    stream = _clone(api, snapshot).json()
    now[0] += 3600  # past the expiry
    assert [s["name"] for s in api.get("/snapshots/").json()] == ["short"]
    api.patch(f"/globalsnapstreams/{stream['id']}/stop/")
    assert api.get("/snapshots/").json() == []


def test_a_tenant_with_streams_cannot_be_deleted(api: Api) -> None:
    other = api.create("tenants", name="t2")
    stream = _clone(api, _source(api), loanee_tenant_id=other["id"]).json()
    refused = api.delete(f"/tenants/{other['id']}/")
    assert refused.status_code == 400 and "globalsnapstreams" in refused.json()["detail"]
    api.delete(f"/globalsnapstreams/{stream['id']}/", json={"remove_dir": True})
    assert api.delete(f"/tenants/{other['id']}/").status_code == 204


# -- teardown: stop, delete ----------------------------------------------------------------------------------


def test_stop_then_delete_keeping_the_directory(api: Api) -> None:
    api.control("POST", "clones", {"pace": "manual"})
    stream = _clone(api, _source(api)).json()
    url = f"/globalsnapstreams/{stream['id']}"
    running = api.delete(f"{url}/", json={"remove_dir": False})
    assert running.status_code == 400
    assert running.json() == {
        "detail": "Global snapshot stream clone is still running (Initializing); stop it before deleting it."
    }
    stopped = api.patch(f"{url}/stop")  # the spec's form, without the trailing slash
    assert stopped.status_code == 200
    assert set(stopped.json()) == {"async_task"}
    assert stopped.json()["async_task"]["state"] == "COMPLETED"
    after = api.get(f"{url}/").json()
    assert after["state"] == "Stopped" and after["status"]["state"] == "STOPPED"
    assert api.get(f"/vtasks/{stream['async_task']['id']}/").json()["state"] == "FAILED"
    assert api.patch(f"{url}/stop/").status_code == 200  # stopping again is harmless
    assert api.patch(f"{url}/resume").status_code == 400

    deleted = api.delete(f"{url}/", json={"remove_dir": False})
    assert deleted.status_code == 200
    assert deleted.json()["async_task"]["state"] == "COMPLETED"
    assert api.get(f"{url}/").status_code == 404
    assert api.delete(f"{url}/", json={"remove_dir": False}).status_code == 404
    # the directory and its data stay
    assert api.create("quotas", name="q", path="/dst")["used_capacity"] == 150


def test_delete_with_remove_dir_removes_the_destination_and_its_data(api: Api) -> None:
    stream = _clone(api, _source(api)).json()
    before = _logical_in_use(api)
    # completed: nothing to stop
    assert api.patch(f"/globalsnapstreams/{stream['id']}/stop/").status_code == 400
    deleted = api.delete(f"/globalsnapstreams/{stream['id']}/", json={"remove_dir": True})
    assert deleted.status_code == 200
    assert _stat(api, "/dst").status_code == 400
    assert _stat(api, "/src/sub").status_code == 200
    assert _logical_in_use(api) == before - 150
    # the destination can be cloned to again
    assert _clone(api, api.get("/snapshots/").json()[0], name="again").status_code == 200


def test_delete_without_a_body_keeps_the_directory_and_remove_dir_refuses_under_snapshots(api: Api) -> None:
    snapshot = _source(api)
    first = _clone(api, snapshot, name="one", dest="/one").json()
    assert api.delete(f"/globalsnapstreams/{first['id']}/").status_code == 200
    assert _stat(api, "/one").status_code == 200

    second = _clone(api, snapshot, name="two", dest="/two").json()
    api.create("snapshots", name="of-clone", path="/two/sub/")
    refused = api.delete(f"/globalsnapstreams/{second['id']}/", json={"remove_dir": True})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Cannot remove /two: it has 1 snapshot(s); delete them first."}
    assert api.get(f"/globalsnapstreams/{second['id']}/").status_code == 200
    bad = api.delete(f"/globalsnapstreams/{second['id']}/", json={"remove_dir": "yes"})
    assert bad.json() == {"remove_dir": ["Must be a valid boolean."]}
    extra = api.delete(f"/globalsnapstreams/{second['id']}/", json={"force": True})
    assert extra.status_code == 400


def test_remove_dir_of_a_destination_already_gone_is_fine(api: Api) -> None:
    stream = _clone(api, _source(api)).json()
    assert api.delete("/folders/delete_folder/", json={"path": "/dst"}).status_code == 200
    assert api.delete(f"/globalsnapstreams/{stream['id']}/", json={"remove_dir": True}).status_code == 200


# -- 404s ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/snapshots/99/clone/", {"name": "c", "loanee_root_path": "/d"}),
        ("GET", "/globalsnapstreams/99/", None),
        ("GET", "/globalsnapstreams/99", None),
        ("PATCH", "/globalsnapstreams/99/", {"name": "x"}),
        ("PATCH", "/globalsnapstreams/99/stop", None),
        ("PATCH", "/globalsnapstreams/99/stop/", None),
        ("PATCH", "/globalsnapstreams/99/pause", None),
        ("PATCH", "/globalsnapstreams/99/resume/", None),
        ("DELETE", "/globalsnapstreams/99/", {"remove_dir": True}),
        ("GET", "/vtasks/99/", None),
    ],
)
def test_unknown_ids_are_404(api: Api, method: str, path: str, body: Any) -> None:
    response = api.request(method, path, json=body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_wrong_methods_are_405(api: Api) -> None:
    stream = _clone(api, _source(api)).json()
    assert api.post(f"/globalsnapstreams/{stream['id']}/stop/").status_code == 405
    assert api.get(f"/globalsnapstreams/{stream['id']}/stop/").status_code == 405
    assert api.delete("/vtasks/1/").status_code == 405
    assert api.get("/snapshots/1/clone/").status_code == 405


# -- lists ---------------------------------------------------------------------------------------------------


def test_stream_lists_filter_and_paginate(api: Api) -> None:
    other = api.create("tenants", name="t2")
    snapshot = _source(api)
    for index in range(3):
        _clone(api, snapshot, name=f"c{index}", dest=f"/d{index}")
    _clone(api, snapshot, name="elsewhere", dest="/d0", loanee_tenant_id=other["id"])

    def names(query: str) -> list[str]:
        return [s["name"] for s in api.get(f"/globalsnapstreams/?{query}").json()]

    assert names("name=c1") == ["c1"]
    assert names("loanee_root_path=/d0/") == ["c0", "elsewhere"]
    assert names("loanee_root_path__startswith=/d&loanee_tenant__name=t2") == ["elsewhere"]
    assert names(f"loanee_snapshot__id={snapshot['id']}&state=Completed") == ["c0", "c1", "c2", "elsewhere"]
    assert names(f"tenant_id={other['id']}") == ["elsewhere"]
    page = api.get("/globalsnapstreams/?page_size=2&fields=id,name").json()
    assert page["count"] == 4 and len(page["results"]) == 2
    assert set(page["results"][0]) == {"id", "name"}
    assert page["next"].endswith("/api/v5/globalsnapstreams/?page_size=2&fields=id%2Cname&page=2")
    assert api.get("/globalsnapstreams/?bogus=1").status_code == 400
    tasks = api.get("/vtasks/?state=COMPLETED&page_size=10").json()
    assert tasks["count"] == 4


def test_a_tenant_scoped_caller_sees_its_own_streams_only(api: Api) -> None:
    other = api.create("tenants", name="t2")
    snapshot = _source(api)
    mine = _clone(api, snapshot, name="mine", loanee_tenant_id=other["id"]).json()
    theirs = _clone(api, snapshot, name="theirs", dest="/d2").json()
    scoped = {"X-Tenant-Name": "t2"}
    assert [s["name"] for s in api.get("/globalsnapstreams/", headers=scoped).json()] == ["mine"]
    assert api.get(f"/globalsnapstreams/{theirs['id']}/", headers=scoped).status_code == 404
    assert api.get(f"/globalsnapstreams/{mine['id']}/", headers=scoped).status_code == 200
    assert api.get(f"/vtasks/{theirs['async_task']['id']}/", headers=scoped).status_code == 404
    # the snapshot lives in the default tenant: invisible to t2
    assert _clone(api, snapshot, name="x", dest="/d3", loanee_tenant_id=None).status_code == 200
    assert (
        api.post(
            f"/snapshots/{snapshot['id']}/clone/",
            json={"name": "y", "loanee_root_path": "/d4"},
            headers=scoped,
        ).status_code
        == 404
    )


# -- persistence ---------------------------------------------------------------------------------------------


def test_streams_tasks_and_pace_survive_a_state_dump_and_load(api: Api, sim: Simulator) -> None:
    api.control("POST", "clones", {"pace": "manual"})
    snapshot = _source(api)
    stream = _clone(api, snapshot).json()
    dump = api.control("GET", "state").json()
    assert dump["clones"] == {"pace": "manual", "reads": 1}
    assert str(stream["id"]) in dump["tables"]["globalsnapstreams"]
    assert dump["tasks"][str(stream["async_task"]["id"])]["state"] == "RUNNING"

    fresh = Simulator()
    other = make_api(fresh)
    assert other.control("PUT", "state", dump).status_code == 204
    assert other.get(f"/globalsnapstreams/{stream['id']}/").json()["state"] == "Syncing"
    assert other.delete(f"/snapshots/{snapshot['id']}/").status_code == 400
    assert other.control("GET", "clones").json()["pace"] == "manual"
    other.control("POST", f"clones/{stream['id']}/complete")
    assert other.get(f"/vtasks/{stream['async_task']['id']}/").json()["state"] == "COMPLETED"
    # the snapshot's captured contents travel too: a second clone from the loaded state
    again = other.post(f"/snapshots/{snapshot['id']}/clone/", json={"name": "c2", "loanee_root_path": "/e"})
    assert again.status_code == 200
    assert other.create("quotas", name="q", path="/e")["used_capacity"] == 150


def test_a_dump_from_before_clones_still_loads(api: Api) -> None:
    snapshot = _source(api)
    dump = api.control("GET", "state").json()
    del dump["clones"], dump["tasks"], dump["next_task_id"]
    del dump["tables"]["globalsnapstreams"], dump["next_ids"]["globalsnapstreams"]
    for row in dump["tables"]["snapshots"].values():
        del row["captured"]  # snapshots taken before contents were kept clone what the path holds now
    assert api.control("PUT", "state", dump).status_code == 204
    assert api.control("GET", "clones").json() == {"pace": "instant", "reads": 1}
    assert _clone(api, snapshot).status_code == 200
    assert api.create("quotas", name="q", path="/dst")["used_capacity"] == 150


def test_streams_persist_in_a_state_file_across_instances(tmp_path: Path) -> None:
    state = tmp_path / "cluster.json"
    first = make_api(Simulator.open_file(state))
    first.control("POST", "clones", {"pace": "manual"})
    stream = _clone(first, _source(first)).json()

    second = make_api(Simulator.open_file(state))
    assert second.get(f"/globalsnapstreams/{stream['id']}/").json()["state"] == "Syncing"
    second.control("POST", f"clones/{stream['id']}/complete")
    assert first.get(f"/globalsnapstreams/{stream['id']}/").json()["state"] == "Completed"
    assert first.patch(f"/globalsnapstreams/{stream['id']}/stop/").status_code == 400
    assert second.delete(f"/globalsnapstreams/{stream['id']}/", json={"remove_dir": True}).status_code == 200
    assert first.get("/globalsnapstreams/").json() == []
