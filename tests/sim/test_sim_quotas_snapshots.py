"""Quotas (usage, state, uniqueness, directories) and snapshots (names, paths, expiry, indestructible)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .support import Api


def test_quota_reports_usage_set_by_the_control_api(api: Api) -> None:
    quota = api.create("quotas", name="q1", path="/q", create_dir=True, hard_limit=1000, soft_limit=500)
    assert quota["used_capacity"] == 0
    assert quota["state"] == "OK"
    assert quota["soft_limit_inodes"] == 0 and quota["hard_limit_inodes"] == 0
    assert api.control("POST", "usage", {"path": "/q", "used_bytes": 600}).status_code == 200
    api.post("/folders/create_folder/", json={"path": "/q/sub"})
    api.control("POST", "usage", {"path": "/q/sub", "used_bytes": 100})
    body = api.get(f"/quotas/{quota['id']}/").json()
    assert body["used_capacity"] == 700
    assert body["used_effective_capacity"] == 700
    assert body["used_inodes"] == 2
    assert body["state"] == "SOFT_EXCEEDED"
    api.control("POST", "usage", {"path": "/q", "used_bytes": 2000})
    assert api.get(f"/quotas/{quota['id']}/").json()["state"] == "HARD_EXCEEDED"


def test_quota_grace_period_takes_the_vms_duration_format(api: Api) -> None:
    # VMS_API.md §4.3: grace_period is "[DD] [HH:[MM:]]ss"; "7d" is not a VMS duration.
    good = api.create("quotas", name="g1", path="/g1", create_dir=True, grace_period="1 02:00:00")
    assert good["grace_period"] == "1 02:00:00"
    bad = api.post("/quotas/", json={"name": "g2", "path": "/g2", "create_dir": True, "grace_period": "7d"})
    assert bad.status_code == 400 and "grace_period" in bad.json()


def test_quota_names_and_paths_are_unique(api: Api) -> None:
    api.create("quotas", name="q", path="/a", create_dir=True)
    same_name = api.post("/quotas/", json={"name": "q", "path": "/b", "create_dir": True})
    assert same_name.status_code == 400
    assert same_name.json() == {"name": ["This field must be unique."]}
    same_path = api.post("/quotas/", json={"name": "other", "path": "/a"})
    assert same_path.status_code == 400
    assert same_path.json() == {"non_field_errors": ["The fields tenant_id, path must make a unique set."]}


def test_quota_on_a_missing_directory_needs_create_dir(api: Api) -> None:
    response = api.post("/quotas/", json={"name": "q", "path": "/nowhere"})
    assert response.status_code == 400
    assert "path" in response.json()


def test_quota_patch_fields_and_immutable_ones(api: Api) -> None:
    quota = api.create("quotas", name="q", path="/a", create_dir=True, hard_limit=10)
    raised = api.patch(f"/quotas/{quota['id']}/", json={"hard_limit": 20})
    assert raised.status_code == 200 and raised.json()["hard_limit"] == 20
    moved = api.patch(f"/quotas/{quota['id']}/", json={"path": "/b"})
    assert moved.status_code == 400
    assert moved.json() == {"path": ["Unknown field: PATCH /quotas/{id}/ does not accept 'path'."]}
    api.patch(f"/quotas/{quota['id']}/", json={"is_user_quota": True})
    assert api.patch(f"/quotas/{quota['id']}/", json={"is_user_quota": False}).status_code == 400


def test_deleting_a_quota_keeps_the_directory(api: Api) -> None:
    quota = api.create("quotas", name="q", path="/stay", create_dir=True)
    assert api.delete(f"/quotas/{quota['id']}/").status_code == 204
    assert api.post("/folders/stat_path/", json={"path": "/stay", "tenant_id": 1}).status_code == 200


def test_snapshot_names_are_unique_with_the_exact_vms_message(api: Api) -> None:
    api.post("/folders/create_folder/", json={"path": "/s"})
    first = api.post("/snapshots/", json={"name": "snap", "path": "/s/"})
    assert first.status_code == 201
    assert first.json()["path"] == "/s/"
    assert first.json()["state"] == "SUCCEED"
    second = api.post("/snapshots/", json={"name": "snap", "path": "/s/"})
    assert second.status_code == 400
    assert second.json() == {"name": ["This field must be unique."]}


def test_snapshot_needs_an_existing_path_and_gains_a_trailing_slash(api: Api) -> None:
    missing = api.post("/snapshots/", json={"name": "s", "path": "/nope/"})
    assert missing.status_code == 400
    assert "path" in missing.json()
    api.post("/folders/create_folder/", json={"path": "/here"})
    assert api.create("snapshots", name="s", path="/here")["path"] == "/here/"


def test_snapshot_patch_only_takes_its_patch_fields(api: Api) -> None:
    snap = api.create("snapshots", name="s", path="/")
    assert api.patch(f"/snapshots/{snap['id']}/", json={"name": "t"}).json()["name"] == "t"
    assert api.patch(f"/snapshots/{snap['id']}/", json={"path": "/x/"}).status_code == 400


def test_expired_snapshots_disappear(api: Api) -> None:
    past = (datetime.now(timezone.utc) - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S")
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    api.create("snapshots", name="gone", path="/", expiration_time=past)
    api.create("snapshots", name="kept", path="/", expiration_time=future)
    assert [s["name"] for s in api.get("/snapshots/").json()] == ["kept"]
    assert (
        api.post("/snapshots/", json={"name": "bad", "path": "/", "expiration_time": "tomorrow"}).status_code
        == 400
    )


def test_indestructible_snapshots_refuse_delete_and_shorter_expiry(api: Api) -> None:
    later = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    sooner = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    snap = api.create("snapshots", name="s", path="/", indestructible=True, expiration_time=later)
    assert api.delete(f"/snapshots/{snap['id']}/").status_code == 400
    assert api.patch(f"/snapshots/{snap['id']}/", json={"expiration_time": sooner}).status_code == 400
    assert api.patch(f"/snapshots/{snap['id']}/", json={"indestructible": False}).status_code == 400


def test_unknown_ids_are_404_for_every_verb(api: Api) -> None:
    for collection in ("views", "viewpolicies", "quotas", "snapshots", "vippools", "tenants"):
        assert api.get(f"/{collection}/999/").status_code == 404
        assert api.patch(f"/{collection}/999/", json={}).status_code == 404
        assert api.delete(f"/{collection}/999/").status_code == 404
