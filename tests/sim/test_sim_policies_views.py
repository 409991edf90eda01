"""View policies and views: defaults, computed fields, uniqueness, references, directories, status codes."""

from __future__ import annotations

from typing import Any

from vastplan.sim import Simulator

from .support import Api


def test_a_new_policy_gets_the_server_defaults(api: Api) -> None:
    created = api.post("/viewpolicies/", json={"name": "only-a-name"})
    assert created.status_code == 201
    body = created.json()
    # VMS_API.md §4.2 / §6 (INFERRED defaults).
    assert body["nfs_read_write"] == ["*"]
    assert body["nfs_read_only"] == ["*"]
    assert body["nfs_root_squash"] == ["*"]
    assert body["nfs_no_squash"] == []
    assert body["atime_frequency"] == "3600"
    assert body["nfs_minimal_protection_level"] == "NONE"
    assert body["count_views"] == 0
    assert body["tenant_id"] == 1
    assert body["tenant_name"] == "default"
    assert body["title"] == "only-a-name"
    assert isinstance(body["guid"], str) and body["created"].endswith("Z")


def test_policy_names_are_unique_across_tenants(api: Api) -> None:
    t2 = api.create("tenants", name="t2")
    api.create("viewpolicies", name="shared-name")
    duplicate = api.post("/viewpolicies/", json={"name": "shared-name", "tenant_id": t2["id"]})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"name": ["This field must be unique."]}


def test_policy_patch_returns_the_full_object_and_may_rename(api: Api, policy: dict[str, Any]) -> None:
    response = api.patch(f"/viewpolicies/{policy['id']}/", json={"nfs_read_write": ["10.0.0.1"], "name": "b"})
    assert response.status_code == 200
    body = response.json()
    assert body["nfs_read_write"] == ["10.0.0.1"]
    assert body["name"] == "b"
    assert body["nfs_read_only"] == ["*"]  # untouched
    assert api.get(f"/viewpolicies/{policy['id']}/").json() == body


def test_policy_atime_frequency_takes_numbers_and_refuses_zero(api: Api) -> None:
    assert api.create("viewpolicies", name="p", atime_frequency=60)["atime_frequency"] == "60"
    zero = api.post("/viewpolicies/", json={"name": "z", "atime_frequency": "0"})
    assert zero.status_code == 400
    assert "atime_frequency" in zero.json()


def test_policy_vip_pools_must_exist(api: Api) -> None:
    response = api.post("/viewpolicies/", json={"name": "p", "vip_pools": [99]})
    assert response.status_code == 400
    assert response.json() == {"vip_pools": ['Invalid pk "99" - object does not exist.']}
    assert api.create("viewpolicies", name="q", vip_pools=[1])["vip_pools"] == [1]


def test_a_policy_used_by_a_view_cannot_be_deleted(api: Api, policy: dict[str, Any]) -> None:
    view = api.create("views", path="/data", policy_id=policy["id"], create_dir=True)
    assert api.get(f"/viewpolicies/{policy['id']}/").json()["count_views"] == 1
    refused = api.delete(f"/viewpolicies/{policy['id']}/")
    assert refused.status_code == 400
    assert "in use" in refused.json()["detail"]
    assert api.delete(f"/views/{view['id']}/").status_code == 204
    assert api.delete(f"/viewpolicies/{policy['id']}/").status_code == 204
    assert api.get(f"/viewpolicies/{policy['id']}/").status_code == 404


def test_view_create_computes_policy_name_and_creates_the_directory(api: Api, policy: dict[str, Any]) -> None:
    response = api.post(
        "/views/",
        json={
            "path": "/projects/a/data",
            "policy_id": policy["id"],
            "create_dir": True,
            "protocols": ["NFS", "NFS4"],
        },
    )
    assert response.status_code == 201
    view = response.json()
    assert view["policy"] == "pol-a"
    assert view["tenant_name"] == "default"
    assert view["directory"] is True
    assert view["protocols"] == ["NFS", "NFS4"]
    stat = api.post("/folders/stat_path/", json={"path": "/projects/a", "tenant_id": 1})
    assert stat.status_code == 200 and stat.json()["is_directory"] is True


def test_view_needs_an_existing_policy(api: Api) -> None:
    response = api.post("/views/", json={"path": "/x", "policy_id": 42, "create_dir": True})
    assert response.status_code == 400
    assert response.json() == {"policy_id": ['Invalid pk "42" - object does not exist.']}


def test_view_on_a_missing_directory_needs_create_dir(api: Api, policy: dict[str, Any]) -> None:
    response = api.post("/views/", json={"path": "/missing", "policy_id": policy["id"]})
    assert response.status_code == 400
    assert "create_dir" in response.json()["path"][0]
    api.post("/folders/create_folder/", json={"path": "/missing"})
    assert api.post("/views/", json={"path": "/missing", "policy_id": policy["id"]}).status_code == 201


def test_one_view_per_tenant_and_path(api: Api, policy: dict[str, Any]) -> None:
    api.create("views", path="/dup", policy_id=policy["id"], create_dir=True)
    duplicate = api.post("/views/", json={"path": "/dup", "policy_id": policy["id"], "create_dir": True})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"non_field_errors": ["The fields tenant_id, path must make a unique set."]}
    t2 = api.create("tenants", name="t2")
    p2 = api.create("viewpolicies", name="pol-t2", tenant_id=t2["id"])
    other = api.post(
        "/views/", json={"path": "/dup", "policy_id": p2["id"], "tenant_id": t2["id"], "create_dir": True}
    )
    assert other.status_code == 201


def test_view_policy_must_be_in_the_view_tenant(api: Api, policy: dict[str, Any]) -> None:
    t2 = api.create("tenants", name="t2")
    response = api.post(
        "/views/", json={"path": "/x", "policy_id": policy["id"], "tenant_id": t2["id"], "create_dir": True}
    )
    assert response.status_code == 400
    assert "policy_id" in response.json()


def test_view_path_rules(api: Api, policy: dict[str, Any]) -> None:
    for path in ("relative", "/trailing/"):
        response = api.post("/views/", json={"path": path, "policy_id": policy["id"], "create_dir": True})
        assert response.status_code == 400
        assert "path" in response.json()


def test_view_protocol_rules(api: Api, policy: dict[str, Any]) -> None:
    base = {"path": "/p", "policy_id": policy["id"], "create_dir": True}
    assert api.post("/views/", json={**base, "protocols": ["BLOCK", "NFS"]}).json().keys() == {"protocols"}
    assert api.post("/views/", json={**base, "protocols": ["SMB"]}).json().keys() == {"share"}
    assert api.post("/views/", json={**base, "protocols": ["S3"]}).json().keys() == {"bucket"}
    assert api.post("/views/", json={**base, "protocols": ["SMB"], "share": "p"}).status_code == 201


def test_deleting_a_view_keeps_the_directory(api: Api, policy: dict[str, Any]) -> None:
    view = api.create("views", path="/keep/me", policy_id=policy["id"], create_dir=True)
    assert api.delete(f"/views/{view['id']}/").status_code == 204
    assert api.post("/folders/stat_path/", json={"path": "/keep/me", "tenant_id": 1}).status_code == 200
    assert api.get(f"/views/{view['id']}/").status_code == 404


def test_view_patch_moves_policy_and_put_changes_path(api: Api, policy: dict[str, Any]) -> None:
    view = api.create("views", path="/v", policy_id=policy["id"], create_dir=True)
    other = api.create("viewpolicies", name="pol-b")
    patched = api.patch(f"/views/{view['id']}/", json={"policy_id": other["id"]})
    assert patched.status_code == 200
    assert patched.json()["policy"] == "pol-b"
    put = api.put(f"/views/{view['id']}/", json={"path": "/v", "alias": "/alias-v"})
    assert put.status_code == 200
    assert put.json()["alias"] == "/alias-v"
    assert api.put(f"/views/{view['id']}/", json={"alias": "/a"}).json() == {
        "path": ["This field is required."]
    }


def test_view_one_way_flags(api: Api, policy: dict[str, Any]) -> None:
    view = api.create("views", path="/w", policy_id=policy["id"], create_dir=True, locking=True)
    response = api.patch(f"/views/{view['id']}/", json={"locking": False})
    assert response.status_code == 400
    assert "locking" in response.json()


def test_tenant_max_views_limits_views(api: Api) -> None:
    tenant = api.create("tenants", name="small", max_views=1)
    pol = api.create("viewpolicies", name="ps", tenant_id=tenant["id"])
    body = {"policy_id": pol["id"], "tenant_id": tenant["id"], "create_dir": True}
    assert api.post("/views/", json={**body, "path": "/one"}).status_code == 201
    assert api.post("/views/", json={**body, "path": "/two"}).status_code == 400


def test_view_path_patch_needs_create_dir_in_that_request(api: Api, policy: dict[str, Any]) -> None:
    view = api.create("views", path="/old", policy_id=policy["id"], create_dir=True)
    refused = api.patch(f"/views/{view['id']}/", json={"path": "/new"})
    assert refused.status_code == 400 and "path" in refused.json()
    moved = api.patch(f"/views/{view['id']}/", json={"path": "/new", "create_dir": True})
    assert moved.status_code == 200 and moved.json()["directory"] is True
    assert api.patch(f"/views/{view['id']}/", json={"protocols": ["NFS4"]}).status_code == 200


def test_count_views_follows_creates_moves_deletes_and_state_loads(sim: Simulator, api: Api) -> None:
    # count_views is derived once per change of the views (not by scanning them per policy): it must
    # still follow every change, and a state load that replaces the tables.
    p1, p2 = api.create("viewpolicies", name="c1"), api.create("viewpolicies", name="c2")

    def counts() -> list[int]:
        return [api.get(f"/viewpolicies/{p['id']}/").json()["count_views"] for p in (p1, p2)]

    view = api.create("views", path="/c/a", policy_id=p1["id"], create_dir=True)
    api.create("views", path="/c/b", policy_id=p1["id"], create_dir=True)
    assert counts() == [2, 0]
    api.patch(f"/views/{view['id']}/", json={"policy_id": p2["id"]})
    assert counts() == [1, 1]
    saved = sim.state_dict()
    api.delete(f"/views/{view['id']}/")
    assert counts() == [1, 0]
    sim.load_state_dict(saved)
    assert counts() == [1, 1]
