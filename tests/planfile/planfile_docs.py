"""A small valid plan document, built by hand (the planner is written elsewhere)."""

from __future__ import annotations

from typing import Any

from vastplan.planfile import digest_of

Doc = dict[str, Any]
POLICY = "viewpolicy[alpha-ro]"
VIEW = "view[/projects/alpha/data]"
FOLDER = "folder[/projects/alpha/old]"


def _change(address: str, action: str, risk: str, before: Any, after: Any) -> Doc:
    return {
        "address": address,
        "kind": address.split("[")[0],
        "action": action,
        "risk": risk,
        "reason": "test",
        "before": before,
        "after": after,
        "fields": [],
    }


def _step(
    step_id: int,
    address: str,
    action: str,
    method: str,
    path: str,
    body: Any,
    depends_on: list[int],
    risk: str = "safe",
) -> Doc:
    return {
        "id": step_id,
        "address": address,
        "action": action,
        "method": method,
        "path": path,
        "params": {},
        "body": body,
        "depends_on": depends_on,
        "risk": risk,
        "description": f"{action} {address}",
        "lookup": None,
        "tolerate": [],
    }


def raw_plan() -> Doc:
    """A plan document before finalize(): create a policy and a view that refers to it, delete a folder."""
    changes = [  # sorted by address, as the planner sorts them
        _change(FOLDER, "delete", "data-loss", {"path": "/projects/alpha/old"}, None),
        _change("tenant[default]", "noop", "safe", None, None),
        _change(VIEW, "create", "safe", None, {"path": "/projects/alpha/data", "policy": "alpha-ro"}),
        _change(POLICY, "create", "safe", None, {"name": "alpha-ro"}),
    ]
    steps = [
        _step(1, POLICY, "create", "POST", "/viewpolicies/", {"name": "alpha-ro"}, []),
        _step(
            2,
            VIEW,
            "create",
            "POST",
            "/views/",
            {"path": "/projects/alpha/data", "policy_id": {"$ref": f"{POLICY}.id"}},
            [1],
        ),
        _step(
            3,
            FOLDER,
            "delete",
            "DELETE",
            "/folders/delete_folder/",
            {"path": "/projects/alpha/old", "tenant_id": 1},
            [],
            "data-loss",
        ),
    ]
    steps[1]["lookup"] = {"path": "/views/", "params": {"path": "/projects/alpha/data", "tenant_id": 1}}
    steps[2]["tolerate"] = [{"status": 400, "detail_contains": "no such directory"}]
    target = {
        "default_tenant": "default",
        "scope": {"paths": ["/projects/alpha"], "names": [], "prune": True, "tenants": ["default"]},
        "objects": [
            {
                "kind": "view",
                "address": VIEW,
                "tenant": "default",
                "state": "present",
                "fields": {"path": "/projects/alpha/data", "policy": "alpha-ro"},
            }
        ],
    }
    return {
        "format_version": "1",
        "generator": "vastplan 0.1.0",
        "created_at": "2026-05-09T10:00:00Z",
        "endpoint": "https://vms.example.com",
        "cluster": {"name": None, "version": "5.3.0"},
        "spec_files": ["alpha.yaml"],
        "spec_digest": digest_of(target),
        "observed_digest": digest_of([]),
        "plan_digest": "sha256:" + "0" * 64,
        "summary": {"create": 2, "update": 0, "replace": 0, "delete": 1, "noop": 1},
        "max_risk": "data-loss",
        "changes": changes,
        "steps": steps,
        "target": target,
        "observed": {"reads": [{"kind": "view", "path": "/views/", "params": {}}], "count": 0},
        "diagnostics": [{"severity": "info", "message": "hello", "address": None}],
    }
