"""Request bodies: unknown fields, DRF-style type errors, required fields, enums, malformed JSON."""

from __future__ import annotations

from typing import Any

import pytest

from .support import Api


def test_a_field_not_accepted_on_create_is_refused_by_name(api: Api) -> None:
    response = api.post("/viewpolicies/", json={"name": "p", "count_views": 3, "made_up": True})
    assert response.status_code == 400
    assert response.json() == {
        "count_views": ["Unknown field: POST /viewpolicies/ does not accept 'count_views'."],
        "made_up": ["Unknown field: POST /viewpolicies/ does not accept 'made_up'."],
    }


def test_a_field_not_accepted_on_patch_is_refused_by_name(api: Api, policy: dict[str, Any]) -> None:
    view = api.create("views", path="/v", policy_id=policy["id"], create_dir=True)
    response = api.patch(f"/views/{view['id']}/", json={"tenant_id": 1})
    assert response.status_code == 400
    assert response.json() == {
        "tenant_id": ["Unknown field: PATCH /views/{id}/ does not accept 'tenant_id'."]
    }


@pytest.mark.parametrize(
    ("collection", "body", "field", "message"),
    [
        (
            "quotas",
            {"name": "q", "path": "/", "hard_limit": "10"},
            "hard_limit",
            "A valid integer is required.",
        ),
        (
            "quotas",
            {"name": "q", "path": "/", "hard_limit": True},
            "hard_limit",
            "A valid integer is required.",
        ),
        ("viewpolicies", {"name": "p", "nfs_posix_acl": "yes"}, "nfs_posix_acl", "Must be a valid boolean."),
        (
            "viewpolicies",
            {"name": "p", "nfs_read_write": "10.0.0.1"},
            "nfs_read_write",
            'Expected a list of items but got type "str".',
        ),
        (
            "viewpolicies",
            {"name": "p", "nfs_read_write": [1]},
            "nfs_read_write",
            "Item 0: Not a valid string.",
        ),
        ("viewpolicies", {"name": "p", "flavor": "NTFS"}, "flavor", '"NTFS" is not a valid choice.'),
        (
            "viewpolicies",
            {"name": "p", "vip_pools": ["1"]},
            "vip_pools",
            "Item 0: A valid integer is required.",
        ),
        (
            "viewpolicies",
            {"name": "p", "protocols_audit": []},
            "protocols_audit",
            'Expected a dictionary of items but got type "list".',
        ),
        ("viewpolicies", {"name": None}, "name", "This field may not be null."),
        ("viewpolicies", {"name": ""}, "name", "This field may not be blank."),
        ("viewpolicies", {"name": ["p"]}, "name", "Not a valid string."),
        (
            "vippools",
            {"name": "v", "subnet_cidr": 24, "ip_ranges": ["1.1.1.1"]},
            "ip_ranges",
            'Item 0: Expected a list of items but got type "str".',
        ),
        (
            "views",
            {"path": "/", "policy_id": 1, "protocols": ["NFS", "CIFS"]},
            "protocols",
            '"CIFS" is not a valid choice.',
        ),
    ],
)
def test_type_errors_are_drf_shaped(
    api: Api, collection: str, body: dict[str, Any], field: str, message: str
) -> None:
    response = api.post(f"/{collection}/", json=body)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_required_fields(api: Api) -> None:
    response = api.post("/views/", json={})
    assert response.status_code == 400
    assert response.json() == {"path": ["This field is required."], "policy_id": ["This field is required."]}
    assert api.post("/snapshots/", json={"name": "s"}).json() == {"path": ["This field is required."]}


def test_malformed_bodies(api: Api) -> None:
    broken = api.post("/viewpolicies/", data=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("JSON parse error")
    listed = api.post("/viewpolicies/", json=["name"])
    assert listed.status_code == 400
    assert listed.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


def test_delete_accepts_no_body_fields_on_collections(api: Api, policy: dict[str, Any]) -> None:
    response = api.delete(f"/viewpolicies/{policy['id']}/", json={"force": True})
    assert response.status_code == 400
    assert "force" in response.json()
    assert api.delete(f"/viewpolicies/{policy['id']}/", json={}).status_code == 204


def test_folder_bodies_are_checked_too(api: Api) -> None:
    assert api.post("/folders/create_folder/", json={}).json() == {"path": ["This field is required."]}
    assert api.post("/folders/stat_path/", json={"path": "/"}).json() == {
        "tenant_id": ["This field is required."]
    }
    assert api.post("/folders/create_folder/", json={"path": "/x", "tenant_id": 9}).status_code == 400
    delete = api.delete("/folders/delete_folder/", json={"path": "/", "recursive": True})
    assert delete.json() == {
        "recursive": ["Unknown field: DELETE /folders/delete_folder/ does not accept 'recursive'."]
    }
