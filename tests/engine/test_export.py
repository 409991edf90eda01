"""export_spec: a spec document that plans to no changes against the cluster it came from."""

from __future__ import annotations

from typing import Any

import yaml

from vastplan import api
from vastplan.client import VmsClient

from .simtools import load
from .test_apply_sim import ALPHA, converge

OTHER = {
    "tenants": [{"name": "t2"}],
    "viewpolicies": [
        {
            "name": "beta-ro",
            "nfs_read_only": ["192.0.2.0/24"],
            "nfs_read_write": [],
            "atime_frequency": "00:10:00",
            "flavor": "MIXED_LAST_WINS",
        },
        {"name": "t2-p", "tenant": "t2", "nfs_root_squash": []},
    ],
    "quotas": [
        {
            "name": "beta-q",
            "path": "/projects/beta",
            "hard_limit": "5GiB",
            "soft_limit": "4GiB",
            "create_dir": True,
        }
    ],
    "views": [
        {"path": "/projects/beta", "policy": "beta-ro", "protocols": ["NFS4", "NFS"]},
        {"path": "/t2/data", "policy": "t2-p", "tenant": "t2", "create_dir": True},
    ],
    "snapshots": [{"name": "beta-snap", "path": "/projects/beta/", "indestructible": True}],
}


def round_trip(client: VmsClient, **selection: Any) -> dict[str, Any]:
    doc = api.export_spec(client, **selection)
    text = yaml.safe_dump(doc, sort_keys=False)
    spec = api.load_documents([("exported.yaml", yaml.safe_load(text))])
    plan = api.plan(client, spec)
    assert not plan.has_changes, [c["address"] for c in plan.changes]
    return doc


def test_export_everything_plans_to_no_changes(client: VmsClient) -> None:
    converge(client, ALPHA)
    converge(client, OTHER)
    doc = round_trip(client)
    assert [p["name"] for p in doc["viewpolicies"]] == ["alpha-ro", "alpha-rw", "beta-ro", "t2-p"]
    assert {"name": "t2"} in doc["tenants"]
    assert "scope" not in doc
    beta = next(q for q in doc["quotas"] if q["name"] == "beta-q")
    assert (beta["hard_limit"], beta["soft_limit"]) == ("5GiB", "4GiB")  # sizes read as a person writes them


def test_export_a_path_scope_with_the_policies_its_views_use(client: VmsClient) -> None:
    converge(client, ALPHA)
    converge(client, OTHER)
    doc = round_trip(client, path_prefixes=["/projects/beta"])
    assert doc["scope"] == {"paths": ["/projects/beta"], "names": [], "prune": False}
    assert [v["path"] for v in doc["views"]] == ["/projects/beta"]
    assert [p["name"] for p in doc["viewpolicies"]] == ["beta-ro"]
    assert doc["quotas"][0]["hard_limit"] == "5GiB"


def test_export_by_name_and_tenant(client: VmsClient) -> None:
    converge(client, OTHER)
    doc = round_trip(client, kinds=["viewpolicy"], name_prefixes=["beta-"])
    assert [p["name"] for p in doc["viewpolicies"]] == ["beta-ro"]
    doc = round_trip(client, tenant="t2")
    assert [v["path"] for v in doc["views"]] == ["/t2/data"]
    assert all(v["tenant"] == "t2" for v in doc["views"])


def test_exported_spec_can_take_over_with_prune(client: VmsClient) -> None:
    converge(client, OTHER)
    doc = api.export_spec(client, path_prefixes=["/projects/beta"], name_prefixes=["beta-"])
    doc["scope"]["prune"] = True
    assert not api.plan(client, load({k: v for k, v in doc.items() if k != "version"})).has_changes


def test_export_tenants_in_full(client: VmsClient) -> None:
    converge(client, {"tenants": [{"name": "t9", "max_views": 7}]})
    doc = round_trip(client, kinds=["tenant", "view"])
    assert {"name": "t9", "max_views": 7}.items() <= next(
        t for t in doc["tenants"] if t["name"] == "t9"
    ).items()
