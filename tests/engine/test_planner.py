"""The plan document: shape, digests, target round trip, golden steps of representative specs."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from vastplan import planfile
from vastplan.engine.planner import PlanningError, build_document, spec_of, target_of

from .simtools import load
from .states import live_state

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

#: The spec of DESIGN §4.
DESIGN_SPEC: dict[str, Any] = {
    "defaults": {"tenant": "default"},
    "scope": {"paths": ["/projects/alpha"], "names": ["alpha-"], "prune": False},
    "viewpolicies": [
        {"name": "alpha-ro", "nfs_read_write": [], "nfs_read_only": ["10.0.0.0/24", "2001:db8::/64"]}
    ],
    "views": [{"path": "/projects/alpha/data", "policy": "alpha-ro", "protocols": ["NFS", "NFS4"]}],
    "quotas": [{"name": "alpha-data", "path": "/projects/alpha/data", "hard_limit": "10GiB"}],
    "snapshots": [{"name": "alpha-before-upgrade", "path": "/projects/alpha/data/"}],
    "folders": [{"path": "/projects/alpha/scratch", "state": "absent"}],
}


def document(
    doc: dict[str, Any], records: dict[str, list[dict[str, Any]]] | None = None, supports: Any = None
) -> dict[str, Any]:
    return build_document(
        load(doc), live_state(records or {}), endpoint="https://vms.example.com", now=NOW, supports=supports
    )


def test_design_example_from_nothing() -> None:
    doc = document(DESIGN_SPEC)
    planfile.validate_plan(doc)
    assert doc["summary"] == {"create": 4, "update": 0, "replace": 0, "delete": 0, "noop": 1}
    assert doc["max_risk"] == "safe"
    steps = [(s["id"], s["action"], s["method"], s["path"], s["depends_on"]) for s in doc["steps"]]
    assert steps == [
        (1, "create", "POST", "/viewpolicies/", []),
        (2, "create", "POST", "/quotas/", []),
        (3, "create", "POST", "/views/", [1, 2]),
        (4, "create", "POST", "/snapshots/", [2, 3]),
    ]
    assert doc["steps"][1]["body"] == {
        "name": "alpha-data",
        "path": "/projects/alpha/data",
        "hard_limit": 10737418240,
        "create_dir": True,
        "tenant_id": 1,
    }
    assert doc["steps"][2]["body"] == {
        "path": "/projects/alpha/data",
        "protocols": ["NFS", "NFS4"],
        "tenant_id": 1,
        "policy_id": {"$ref": "viewpolicy[alpha-ro].id"},
    }
    noop = next(c for c in doc["changes"] if c["action"] == "noop")
    assert noop == {
        "address": "folder[/projects/alpha/scratch]",
        "kind": "folder",
        "action": "noop",
        "risk": "safe",
        "reason": "absent, as declared",
        "before": None,
        "after": None,
        "fields": [],
    }


def test_design_example_against_a_drifted_cluster() -> None:
    records: dict[str, list[dict[str, Any]]] = {
        "viewpolicy": [
            {"id": 3, "name": "alpha-ro", "nfs_read_write": ["*"], "nfs_read_only": ["10.0.0.0/24"]}
        ],
        "quota": [{"id": 4, "name": "alpha-data", "path": "/projects/alpha/data", "hard_limit": 5 * 2**30}],
        "view": [{"id": 5, "path": "/projects/alpha/data", "policy_id": 3, "protocols": ["NFS"]}],
        "snapshot": [{"id": 6, "name": "alpha-before-upgrade", "path": "/projects/alpha/data/"}],
        "folder": [{"path": "/projects/alpha/scratch"}],
    }
    doc = document(DESIGN_SPEC, records, supports=lambda feature: True)
    planfile.validate_plan(doc)  # the planner skips the schema pass in memory; prove its output passes it
    changes = {c["address"]: c for c in doc["changes"]}
    policy = changes["viewpolicy[alpha-ro]"]
    assert policy["action"] == "update" and policy["risk"] == "disruptive"
    assert {f["name"]: (f["added"], f["removed"]) for f in policy["fields"]} == {
        "nfs_read_only": (["2001:db8::/64"], []),
        "nfs_read_write": ([], ["*"]),
    }
    assert changes["quota[/projects/alpha/data]"]["risk"] == "safe"  # raised
    assert changes["folder[/projects/alpha/scratch]"]["risk"] == "data-loss"
    assert doc["max_risk"] == "data-loss"
    steps = {(s["address"], s["method"]): s for s in doc["steps"]}
    assert steps[("viewpolicy[alpha-ro]", "PATCH")]["path"] == "/viewpolicies/3/"
    assert steps[("viewpolicy[alpha-ro]", "PATCH")]["body"] == {
        "nfs_read_only": ["10.0.0.0/24", "2001:db8::/64"],
        "nfs_read_write": [],
    }
    assert steps[("view[/projects/alpha/data]", "PATCH")]["body"] == {"protocols": ["NFS", "NFS4"]}
    assert steps[("quota[/projects/alpha/data]", "PATCH")]["body"] == {"hard_limit": 10737418240}
    folder = steps[("folder[/projects/alpha/scratch]", "DELETE")]
    assert folder["path"] == "/folders/delete_folder/" and folder["lookup"] is None


def test_plan_digest_is_stable_and_covers_the_steps() -> None:
    first, second = document(DESIGN_SPEC), document(DESIGN_SPEC)
    assert first["plan_digest"] == second["plan_digest"] == planfile.compute_plan_digest(first)
    assert first["spec_digest"] == planfile.digest_of(first["target"])
    other = document({**DESIGN_SPEC, "quotas": [{**DESIGN_SPEC["quotas"][0], "hard_limit": "11GiB"}]})
    assert other["plan_digest"] != first["plan_digest"]


def test_target_round_trips_to_the_same_spec() -> None:
    spec = load(DESIGN_SPEC)
    again = spec_of(target_of(spec))
    assert again.objects == tuple(
        o.__class__(o.kind, o.address, o.fields, o.tenant, o.state, again.objects[n].source)
        for n, o in enumerate(spec.objects)
    )
    assert again.scope == spec.scope and again.default_tenant == spec.default_tenant


def test_observed_records_the_reads() -> None:
    doc = document(DESIGN_SPEC)
    assert doc["observed"] == {"reads": [], "count": 0}  # the in-memory state made no reads


def test_folder_delete_without_trash_api_fails_the_plan() -> None:
    with pytest.raises(PlanningError, match=r"folder\[/projects/alpha/scratch\].*VAST 4\.7"):
        document(
            DESIGN_SPEC, {"folder": [{"path": "/projects/alpha/scratch"}]}, supports=lambda feature: False
        )


def test_no_changes_means_max_risk_none() -> None:
    doc = document({"folders": [{"path": "/x", "state": "absent"}]})
    assert doc["max_risk"] == "none" and doc["steps"] == []
