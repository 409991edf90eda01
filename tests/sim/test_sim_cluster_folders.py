"""A fresh cluster, tenants, VIP pools, folders and the trash, the cluster record, versions, metrics."""

from __future__ import annotations

from .support import Api


def test_a_fresh_cluster(api: Api) -> None:
    assert [(t["id"], t["name"]) for t in api.get("/tenants/").json()] == [(1, "default")]
    pools = api.get("/vippools/").json()
    assert [(p["name"], p["ip_ranges"]) for p in pools] == [("vippool-1", [["192.0.2.1", "192.0.2.4"]])]
    assert pools[0]["enabled"] is True and pools[0]["port_membership"] == "ALL"
    versions = api.get("/versions/", params={"status": "success"}).json()
    assert versions[0]["sys_version"] == "5.3.0" and versions[0]["status"] == "success"
    cluster = api.get("/clusters/").json()[0]
    assert cluster["id"] == 1 and cluster["enable_trash"] is True
    assert cluster["logical_space"] > 0 and cluster["physical_space"] > 0
    for collection in ("views", "viewpolicies", "quotas", "snapshots"):
        assert api.get(f"/{collection}/").json() == []
    assert api.post("/folders/stat_path/", json={"path": "/", "tenant_id": 1}).json()["is_directory"] is True


def test_tenants_unique_names_and_delete_rules(api: Api) -> None:
    tenant = api.create("tenants", name="t2", client_ip_ranges=[["10.0.0.1", "10.0.0.9"]])
    assert api.post("/tenants/", json={"name": "t2"}).json() == {"name": ["This field must be unique."]}
    overlap = api.post("/tenants/", json={"name": "t3", "client_ip_ranges": [["10.0.0.5", "10.0.0.20"]]})
    assert overlap.status_code == 400 and "client_ip_ranges" in overlap.json()
    assert api.patch(f"/tenants/{tenant['id']}/", json={"name": "renamed"}).status_code == 400  # not P
    policy = api.create("viewpolicies", name="p", tenant_id=tenant["id"])
    assert api.delete(f"/tenants/{tenant['id']}/").status_code == 400
    api.delete(f"/viewpolicies/{policy['id']}/")
    assert api.delete(f"/tenants/{tenant['id']}/").status_code == 204
    assert api.delete("/tenants/1/").status_code == 400


def test_vippool_create_patch_204_and_delete(api: Api) -> None:
    pool = api.create("vippools", name="pool-2", subnet_cidr=24, ip_ranges=[["198.51.100.1", "198.51.100.8"]])
    assert pool["ranges_summary"] == "198.51.100.1-198.51.100.8"
    assert pool["start_ip"] == "198.51.100.1" and pool["end_ip"] == "198.51.100.8"
    patched = api.patch(f"/vippools/{pool['id']}/", json={"enabled": False})
    assert patched.status_code == 204 and patched.content == b""
    assert api.get(f"/vippools/{pool['id']}/").json()["enabled"] is False
    assert api.post("/vippools/", json={"name": "pool-2", "subnet_cidr": 24}).status_code == 400
    assert api.post("/vippools/", json={"name": "x"}).json() == {"subnet_cidr": ["This field is required."]}
    bad = api.post("/vippools/", json={"name": "x", "subnet_cidr": 24, "ip_ranges": [["1.1.1.9", "1.1.1.1"]]})
    assert bad.status_code == 400 and "ip_ranges" in bad.json()
    assert api.delete(f"/vippools/{pool['id']}/").status_code == 204


def test_create_folder_stat_path_and_delete_folder_through_the_trash(api: Api) -> None:
    assert api.post("/folders/create_folder/", json={"path": "/a/b/c", "user": "alice"}).status_code == 200
    stat = api.post("/folders/stat_path/", json={"path": "/a/b/c", "tenant_id": 1})
    assert stat.status_code == 200
    assert stat.json()["owning_user"] == "alice"
    assert api.post("/folders/stat_path/", json={"path": "/a", "tenant_id": 1}).json()["children"] == 1
    assert api.post("/folders/create_folder/", json={"path": "/a/b/c"}).status_code == 400
    api.control("POST", "usage", {"path": "/a/b", "used_bytes": 123})
    deleted = api.delete("/folders/delete_folder/", json={"path": "/a/b"})
    assert deleted.status_code == 200
    missing = api.post("/folders/stat_path/", json={"path": "/a/b/c", "tenant_id": 1})
    assert missing.status_code == 400 and "no such directory" in missing.text
    assert api.get("/clusters/1/").json()["logical_space_in_use"] == 0
    assert api.control("GET", "state").json()["trash"][-1]["path"] == "/a/b"


def test_delete_folder_errors_are_plain_text_as_the_vms_sends_them(api: Api) -> None:
    missing = api.delete("/folders/delete_folder/", json={"path": "/never"})
    assert missing.status_code == 400
    assert missing.headers["Content-Type"].startswith("text/plain")
    assert "no such directory" in missing.text
    api.patch("/clusters/1/", json={"enable_trash": False})
    api.post("/folders/create_folder/", json={"path": "/x"})
    disabled = api.delete("/folders/delete_folder/", json={"path": "/x"})
    assert disabled.status_code == 400
    assert disabled.text == "trash folder disabled"


def test_delete_folder_refuses_while_snapshots_exist_under_the_path(api: Api) -> None:
    api.post("/folders/create_folder/", json={"path": "/data/deep"})
    snap = api.create("snapshots", name="s", path="/data/deep/")
    refused = api.delete("/folders/delete_folder/", json={"path": "/data"})
    assert refused.status_code == 400 and "snapshot" in refused.text
    api.delete(f"/snapshots/{snap['id']}/")
    assert api.delete("/folders/delete_folder/", json={"path": "/data"}).status_code == 200


def test_delete_folder_keeps_views_and_quotas_and_clusters_variant_is_204(api: Api) -> None:
    policy = api.create("viewpolicies", name="p")
    view = api.create("views", path="/v", policy_id=policy["id"], create_dir=True)
    assert api.delete("/clusters/1/delete_folder/", json={"path": "/v", "tenant_id": 1}).status_code == 204
    assert api.get(f"/views/{view['id']}/").json()["directory"] is False


def test_trash_api_is_absent_before_4_7(api: Api) -> None:
    settings = api.control("POST", "cluster", {"version": "4.6.0"}).json()
    assert settings["version"] == "4.6.0"
    assert api.get("/versions/", params={"status": "success"}).json()[0]["sys_version"] == "4.6.0"
    api.post("/folders/create_folder/", json={"path": "/x"})
    assert api.delete("/folders/delete_folder/", json={"path": "/x"}).status_code == 404


def test_control_cluster_sets_trash_and_capacity(api: Api) -> None:
    api.control("POST", "cluster", {"enable_trash": False, "logical_space": 1000, "drr": 4.0})
    cluster = api.get("/clusters/1/").json()
    assert cluster["enable_trash"] is False and cluster["logical_space"] == 1000 and cluster["drr"] == 4.0
    assert api.control("POST", "cluster", {"bogus": 1}).status_code == 400
    assert api.control("POST", "cluster", {"drr": 0}).status_code == 400


def test_cluster_patch_enable_trash_returns_the_cluster(api: Api) -> None:
    response = api.patch("/clusters/1/", json={"enable_trash": False})
    assert response.status_code == 200 and response.json()["enable_trash"] is False
    assert api.patch("/clusters/1/", json={"name": "x"}).status_code == 400
    assert api.get("/clusters/2/").status_code == 404


def test_capacity_metrics_in_the_vms_shape(api: Api) -> None:
    api.control("POST", "usage", {"path": "/", "used_bytes": 4 * 10**12})
    metrics = [
        "Capacity,drr",
        "Capacity,logical_space",
        "Capacity,logical_space_in_use",
        "Capacity,physical_space",
        "Capacity,physical_space_in_use",
    ]
    response = api.get(
        "/monitors/ad_hoc_query/", params={"prop_list": metrics, "object_type": "cluster", "time_frame": "1m"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["prop_list"] == ["timestamp", "object_id", *metrics]
    last = dict(zip(body["prop_list"], body["data"][-1]))
    assert last["object_id"] == 1 and last["timestamp"].endswith("Z")
    assert last["Capacity,logical_space_in_use"] == 4.0 * 10**12
    assert last["Capacity,physical_space_in_use"] == 2.0 * 10**12
    assert isinstance(last["Capacity,drr"], float)
    joined = api.get(
        "/monitors/ad_hoc_query/?object_type=cluster&prop_list=Capacity,drr,Capacity,logical_space"
    )
    assert joined.json()["prop_list"][2:] == ["Capacity,drr", "Capacity,logical_space"]
    assert api.get("/monitors/ad_hoc_query/?prop_list=Capacity,drr").status_code == 400
    assert api.get("/monitors/ad_hoc_query/?object_type=cluster&prop_list=Capacity,nope").status_code == 400
