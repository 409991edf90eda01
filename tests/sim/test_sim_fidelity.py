"""Fidelity: GET responses carry exactly the fields, with the types, of VAST's OpenAPI document.

The document (``vms-openapi-5.5.json``) sits beside the repository in ``../shared/reference/`` and is never
copied into it; the test skips when it is absent. The spec marks nothing nullable, yet the VMS answers null
for unset values (VMS_API.md §4.3: ``soft_limit: null``), so null passes for any field; every other value
must have the declared type (arrays item by item, enums by value, date-times parseable).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from .support import REFERENCE, Api

OPENAPI = REFERENCE / "vms-openapi-5.5.json"
COLLECTIONS = (
    "views",
    "viewpolicies",
    "quotas",
    "snapshots",
    "vippools",
    "tenants",
    "globalsnapstreams",
    "vtasks",
)


@cache
def _document() -> dict[str, Any]:
    if not OPENAPI.exists():
        pytest.skip(f"{OPENAPI.name} not found beside the repository")
    document: dict[str, Any] = json.loads(OPENAPI.read_text())
    return document


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = _document()["components"]["schemas"][name]
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}}
        for part in schema["allOf"]:
            merged["properties"].update(_resolve(part).get("properties", {}))
        return merged
    return schema


def _response_schema(path: str, method: str, status: str) -> dict[str, Any]:
    """The JSON schema of one documented answer (``/snapshots/{id}/clone/`` POST 200 ...)."""
    response = _document()["paths"][path][method]["responses"][status]
    return _resolve(response["content"]["application/json"]["schema"])


def _item_schema(collection: str) -> dict[str, Any]:
    """The schema of one record of ``GET /<collection>/`` (a plain array in the spec, VMS_API.md §1.1)."""
    response = _document()["paths"][f"/{collection}/"]["get"]["responses"]["200"]
    listing = response["content"]["application/json"]["schema"]
    assert listing["type"] == "array"
    return _resolve(listing["items"])


def _problems(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    if value is None:
        return []
    schema = _resolve(schema)
    kind = schema.get("type")
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if kind in checks and not checks[kind](value):
        return [f"{where}: expected {kind}, got {type(value).__name__} {value!r}"]
    problems: list[str] = []
    if kind == "string" and schema.get("format") == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            problems.append(f"{where}: not a date-time: {value!r}")
    if "enum" in schema:
        values = value if isinstance(value, list) else [value]
        problems += [
            f"{where}: {item!r} not in {schema['enum']}" for item in values if item not in schema["enum"]
        ]
    if kind == "array" and "items" in schema:
        for index, item in enumerate(value):
            problems += _problems(item, schema["items"], f"{where}[{index}]")
    if kind == "object":
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                problems += _problems(item, properties[key], f"{where}.{key}")
    return problems


@pytest.fixture
def populated(api: Api) -> Api:
    """One object of each collection, with a good share of optional fields set."""
    tenant = api.create(
        "tenants",
        name="fid",
        client_ip_ranges=[["10.9.0.1", "10.9.0.9"]],
        access_ip_ranges=["10.9.0.0/24"],
        max_views=10,
        posix_primary_provider="LOCAL",
    )
    pool = api.create(
        "vippools",
        name="fid-pool",
        subnet_cidr=24,
        ip_ranges=[["198.51.100.1", "198.51.100.4"]],
        tenant_id=tenant["id"],
        role="PROTOCOLS",
        vlan=10,
        gw_ip="198.51.100.254",
    )
    policy = api.create(
        "viewpolicies",
        name="fid-pol",
        tenant_id=tenant["id"],
        nfs_read_only=["10.9.0.0/24"],
        vip_pools=[pool["id"]],
        permission_per_vip_pool={str(pool["id"]): "RW"},
        flavor="NFS",
        smb_file_mode=644,
        use_32bit_fileid=True,
    )
    api.create(
        "views",
        path="/fid/data",
        policy_id=policy["id"],
        tenant_id=tenant["id"],
        create_dir=True,
        protocols=["NFS", "SMB"],
        share="fid",
        alias="/fid-alias",
        name="fid-view",
        user_impersonation={"enabled": False},
        share_acl={"enabled": False},
    )
    api.create(
        "quotas",
        name="fid-q",
        path="/fid/data",
        tenant_id=tenant["id"],
        hard_limit=10**9,
        soft_limit=10**8,
        grace_period="01:00:00",
        default_user_quota={"hard_limit": 1},
        user_quotas=[{"identifier": "alice", "hard_limit": 5}],
    )
    snapshot = api.create(
        "snapshots",
        name="fid-snap",
        path="/fid/data/",
        tenant_id=tenant["id"],
        expiration_time="2999-01-01T00:00:00Z",
    )
    # Two snapshot clones: one completed (default pace), one held Syncing (manual pace) with a running task.
    clone = {"loanee_tenant_id": tenant["id"], "enabled": True}
    done = api.post(
        f"/snapshots/{snapshot['id']}/clone/",
        json={"name": "fid-clone", "loanee_root_path": "/fid/clone", **clone},
    )
    assert done.status_code == 200, done.text
    api.control("POST", "clones", {"pace": "manual"})
    held = api.post(
        f"/snapshots/{snapshot['id']}/clone/",
        json={"name": "fid-held", "loanee_root_path": "/fid/held", **clone},
    )
    assert held.status_code == 200, held.text
    return api


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_get_responses_match_the_openapi_response_schema(populated: Api, collection: str) -> None:
    schema = _item_schema(collection)
    declared = set(schema["properties"])
    records = populated.get(f"/{collection}/").json()
    records.append(populated.get(f"/{collection}/{records[-1]['id']}/").json())
    for record in records:
        assert set(record) - declared == set(), "fields the spec does not declare"
        assert declared - set(record) == set(), "declared fields missing from the response"
        problems = _problems(record, schema, collection)
        assert problems == []


def test_clone_stop_and_delete_answers_match_the_openapi_schemas(api: Api) -> None:
    """``POST /snapshots/{id}/clone/`` answers a stream plus ``async_task`` (AsyncGlobalSnapStream); stop and
    delete answer ``{async_task}`` (AsyncTaskInResponse), VMS_API.md §3.1."""
    api.post("/folders/create_folder/", json={"path": "/src"})
    snapshot = api.create("snapshots", name="s", path="/src/")
    clone = api.post(f"/snapshots/{snapshot['id']}/clone/", json={"name": "c", "loanee_root_path": "/dst"})
    answers = [(clone.json(), _response_schema("/snapshots/{id}/clone/", "post", "200"))]
    created = api.post(
        "/globalsnapstreams/",
        json={"name": "c2", "loanee_snapshot_id": snapshot["id"], "loanee_root_path": "/d2"},
    )
    answers.append((created.json(), _response_schema("/globalsnapstreams/", "post", "201")))
    api.control("POST", "clones", {"pace": "manual"})
    held = api.post(
        f"/snapshots/{snapshot['id']}/clone/", json={"name": "c3", "loanee_root_path": "/d3"}
    ).json()
    stop = api.patch(f"/globalsnapstreams/{held['id']}/stop")
    answers.append((stop.json(), _response_schema("/globalsnapstreams/{id}/stop", "patch", "200")))
    delete = api.delete(f"/globalsnapstreams/{held['id']}/", json={"remove_dir": True})
    answers.append((delete.json(), _response_schema("/globalsnapstreams/{id}/", "delete", "200")))
    task_schema = _resolve({"$ref": "#/components/schemas/VTask"})
    for record, schema in answers:
        declared = set(schema["properties"])
        assert set(record) == declared
        assert _problems(record, schema, "answer") == []
        assert _problems(record["async_task"], task_schema, "async_task") == []
        assert set(record["async_task"]) == set(task_schema["properties"])
