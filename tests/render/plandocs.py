"""Plan documents built by hand, one per situation the renderings must get right.

The planner is written elsewhere; these documents follow docs/internals.md and must pass
``vastplan.planfile.validate_plan`` (``finalize`` checks each one as it is built).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from vastplan.planfile import digest_of, finalize, max_risk_of, summary_of

GiB = 1 << 30
Doc = dict[str, Any]


def change(
    address: str,
    action: str,
    *,
    risk: str = "safe",
    reason: str = "",
    before: Any = None,
    after: Any = None,
    fields: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "address": address,
        "kind": address.split("[", 1)[0],
        "action": action,
        "risk": risk,
        "reason": reason,
        "before": before,
        "after": after,
        "fields": fields or [],
    }


def noop(address: str) -> dict[str, Any]:
    return change(address, "noop")


def field(
    name: str,
    before: Any,
    after: Any,
    *,
    risk: str = "safe",
    forces: bool = False,
    added: list[Any] | None = None,
    removed: list[Any] | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": name,
        "before": before,
        "after": after,
        "forces_replacement": forces,
        "risk": risk,
    }
    if added is not None or removed is not None:
        entry["added"], entry["removed"] = added or [], removed or []
    return entry


def step(
    step_id: int,
    address: str,
    action: str,
    path: str,
    *,
    body: Any = None,
    depends_on: tuple[int, ...] = (),
    risk: str = "safe",
    lookup: Any = None,
    tolerate: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    method = {"create": "POST", "update": "PATCH", "delete": "DELETE"}[action]
    return {
        "id": step_id,
        "address": address,
        "action": action,
        "method": method,
        "path": path,
        "params": {},
        "body": body,
        "depends_on": list(depends_on),
        "risk": risk,
        "description": f"{action} {address}",
        "lookup": lookup,
        "tolerate": tolerate or [],
    }


def target_object(address: str, fields: dict[str, Any], state: str = "present") -> dict[str, Any]:
    return {
        "kind": address.split("[", 1)[0],
        "address": address,
        "tenant": "default",
        "state": state,
        "fields": fields,
    }


def plan(
    changes: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    *,
    objects: Sequence[dict[str, Any]] = (),
    diagnostics: Sequence[dict[str, Any]] = (),
    prune: bool = False,
) -> Doc:
    changes = sorted(changes, key=lambda item: item["address"])
    target = {
        "default_tenant": "default",
        "scope": {"paths": ["/projects/alpha"], "names": ["alpha-"], "prune": prune, "tenants": ["default"]},
        "objects": list(objects),
    }
    reads = [
        {"kind": kind, "path": path, "params": {"page_size": 1000}}
        for kind, path in (
            ("viewpolicy", "/viewpolicies/"),
            ("quota", "/quotas/"),
            ("view", "/views/"),
            ("snapshot", "/snapshots/"),
        )
    ]
    doc = {
        "format_version": "1",
        "generator": "vastplan 0.1.0",
        "created_at": "2026-05-09T10:00:00Z",
        "endpoint": "https://vms.example.com",
        "cluster": {"name": "prod-1", "version": "5.3.0"},
        "spec_files": ["cluster.yaml"],
        "spec_digest": digest_of(target),
        "observed_digest": digest_of({"changes": [c["before"] for c in changes]}),
        "plan_digest": "sha256:" + "0" * 64,
        "summary": summary_of(changes),
        "max_risk": max_risk_of(changes),
        "changes": changes,
        "steps": steps,
        "target": target,
        "observed": {"reads": reads, "count": len([c for c in changes if c["before"] is not None])},
        "diagnostics": list(diagnostics),
    }
    return finalize(doc)


# --- the documents --------------------------------------------------------------------------------

POLICY = "viewpolicy[alpha-ro]"
QUOTA = "quota[/projects/alpha/data]"
VIEW = "view[/projects/alpha/data]"


def creates_only() -> Doc:
    policy = {"name": "alpha-ro", "nfs_read_only": ["10.0.0.0/24", "2001:db8::/64"], "nfs_read_write": []}
    quota = {
        "name": "alpha-data",
        "path": "/projects/alpha/data",
        "hard_limit": 10 * GiB,
        "soft_limit": 8 * GiB,
    }
    view = {"path": "/projects/alpha/data", "policy": "alpha-ro", "protocols": ["NFS", "NFS4"]}
    changes = [
        change(POLICY, "create", reason="in the spec, not on the cluster", after=policy),
        change(QUOTA, "create", reason="in the spec, not on the cluster", after=quota),
        change(VIEW, "create", reason="in the spec, not on the cluster", after=view),
        noop("tenant[default]"),
    ]
    steps = [
        step(
            1,
            POLICY,
            "create",
            "/viewpolicies/",
            body={**policy, "tenant_id": 1},
            lookup={"path": "/viewpolicies/", "params": {"name": "alpha-ro"}},
        ),
        step(
            2,
            QUOTA,
            "create",
            "/quotas/",
            body={**quota, "create_dir": True, "tenant_id": 1},
            lookup={"path": "/quotas/", "params": {"path": "/projects/alpha/data", "tenant_id": 1}},
        ),
        step(
            3,
            VIEW,
            "create",
            "/views/",
            depends_on=(1, 2),
            body={
                "path": "/projects/alpha/data",
                "policy_id": {"$ref": f"{POLICY}.id"},
                "protocols": ["NFS", "NFS4"],
                "tenant_id": 1,
            },
            lookup={"path": "/views/", "params": {"path": "/projects/alpha/data", "tenant_id": 1}},
        ),
    ]
    objects = [target_object(POLICY, policy), target_object(QUOTA, quota), target_object(VIEW, view)]
    return plan(changes, steps, objects=objects)


def mixed() -> Doc:
    hosts = field(
        "nfs_read_only",
        ["10.1.0.0/16", "10.2.0.0/16"],
        ["10.0.0.0/24", "10.2.0.0/16"],
        risk="disruptive",
        added=["10.0.0.0/24"],
        removed=["10.1.0.0/16"],
    )
    limit = field("hard_limit", 10 * GiB, 20 * GiB)
    protocols = field("protocols", ["NFS"], ["NFS", "NFS4"], added=["NFS4"], removed=[])
    snapshot = {"name": "alpha-before-upgrade", "path": "/projects/alpha/data/"}
    changes = [
        change(
            POLICY,
            "update",
            risk="disruptive",
            reason="nfs_read_only differs",
            fields=[hosts],
            before={"nfs_read_only": hosts["before"]},
            after={"nfs_read_only": hosts["after"]},
        ),
        change(
            QUOTA,
            "update",
            reason="hard_limit raised",
            fields=[limit],
            before={"hard_limit": 10 * GiB},
            after={"hard_limit": 20 * GiB},
        ),
        change(
            VIEW,
            "update",
            reason="protocols differ",
            fields=[protocols],
            before={"protocols": ["NFS"]},
            after={"protocols": ["NFS", "NFS4"]},
        ),
        change(
            "snapshot[alpha-before-upgrade]",
            "create",
            reason="in the spec, not on the cluster",
            after=snapshot,
        ),
        noop("tenant[default]"),
        noop("viewpolicy[alpha-rw]"),
        noop("folder[/projects/alpha/scratch]"),
        noop("quota[/projects/alpha/logs]"),
    ]
    steps = [
        step(
            1, POLICY, "update", "/viewpolicies/3/", body={"nfs_read_only": hosts["after"]}, risk="disruptive"
        ),
        step(2, QUOTA, "update", "/quotas/7/", body={"hard_limit": 20 * GiB}),
        step(3, VIEW, "update", "/views/12/", body={"protocols": ["NFS", "NFS4"]}),
        step(
            4,
            "snapshot[alpha-before-upgrade]",
            "create",
            "/snapshots/",
            body={**snapshot, "tenant_id": 1},
            lookup={"path": "/snapshots/", "params": {"name": "alpha-before-upgrade"}},
        ),
    ]
    return plan(changes, steps)


def replace() -> Doc:
    address = "quota[/projects/beta]"
    before = {"name": "beta", "path": "/projects/beta", "hard_limit": 5 * GiB, "is_physical_quota": False}
    after = {**before, "is_physical_quota": True}
    changes = [
        change(
            address,
            "replace",
            risk="disruptive",
            reason="is_physical_quota forces replacement",
            before=before,
            after=after,
            fields=[field("is_physical_quota", False, True, forces=True, risk="disruptive")],
        ),
        noop("tenant[default]"),
    ]
    steps = [
        step(1, address, "delete", "/quotas/9/", risk="disruptive", tolerate=[{"status": 404}]),
        step(
            2,
            address,
            "create",
            "/quotas/",
            body={**after, "tenant_id": 1},
            depends_on=(1,),
            lookup={"path": "/quotas/", "params": {"path": "/projects/beta", "tenant_id": 1}},
        ),
    ]
    return plan(changes, steps)


def data_loss() -> Doc:
    old_view = "view[/projects/alpha/old]"
    old_snapshot = "snapshot[alpha-old]"
    scratch = "folder[/projects/alpha/scratch]"
    limit = field("hard_limit", 20 * GiB, 5 * GiB, risk="data-loss")
    prune = "in scope but not in the spec (prune)"
    changes = [
        change(
            old_view,
            "delete",
            risk="disruptive",
            reason=prune,
            before={"path": "/projects/alpha/old", "protocols": ["NFS"], "policy": "alpha-ro"},
        ),
        change(
            old_snapshot,
            "delete",
            risk="data-loss",
            reason=prune,
            before={"name": "alpha-old", "path": "/projects/alpha/old/"},
        ),
        change(
            scratch,
            "delete",
            risk="data-loss",
            reason="state: absent",
            before={"path": "/projects/alpha/scratch"},
        ),
        change(
            QUOTA,
            "update",
            risk="data-loss",
            reason="hard_limit lowered",
            fields=[limit],
            before={"hard_limit": 20 * GiB},
            after={"hard_limit": 5 * GiB},
        ),
        noop(POLICY),
        noop(VIEW),
    ]
    steps = [
        step(1, old_view, "delete", "/views/14/", risk="disruptive", tolerate=[{"status": 404}]),
        step(2, old_snapshot, "delete", "/snapshots/31/", risk="data-loss", tolerate=[{"status": 404}]),
        step(
            3,
            scratch,
            "delete",
            "/folders/delete_folder/",
            depends_on=(1, 2),
            risk="data-loss",
            body={"path": "/projects/alpha/scratch", "tenant_id": 1},
            tolerate=[{"status": 400, "detail_contains": "no such directory"}],
        ),
        step(4, QUOTA, "update", "/quotas/7/", body={"hard_limit": 5 * GiB}, risk="data-loss"),
    ]
    diagnostics = [
        {
            "severity": "warning",
            "address": QUOTA,
            "message": "the quota reports 6 GiB used: lowering hard_limit to 5 GiB blocks writes",
        }
    ]
    return plan(changes, steps, diagnostics=diagnostics, prune=True)


def no_changes() -> Doc:
    changes = [noop(address) for address in ("tenant[default]", POLICY, QUOTA, VIEW)]
    diagnostics = [
        {"severity": "info", "address": None, "message": "scope.prune is false: nothing is deleted"}
    ]
    return plan(changes, [], diagnostics=diagnostics)


def huge(count: int = 120) -> Doc:
    """Enough changes that the markdown rendering must leave some out (more than 65,000 characters)."""
    changes: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for index in range(count):
        address = f"view[/projects/alpha/vol{index:04d}]"
        hosts = [f"10.{index % 250}.{octet}.0/24" for octet in range(12)]
        after = {
            "path": address[5:-1],
            "policy": "alpha-ro",
            "protocols": ["NFS", "NFS4"],
            "nfs_read_only": hosts,
            "alias": f"/vol{index:04d}",
            "share": f"vol{index:04d}",
            "bucket": None,
        }
        changes.append(change(address, "create", reason="in the spec, not on the cluster", after=after))
        steps.append(
            step(len(steps) + 1, address, "create", "/views/", body={"path": after["path"], "tenant_id": 1})
        )
    for index in range(8):
        address = f"snapshot[alpha-old-{index}]"
        changes.append(
            change(
                address,
                "delete",
                risk="data-loss",
                reason="in scope but not in the spec (prune)",
                before={"name": address[9:-1], "path": "/projects/alpha/"},
            )
        )
        steps.append(step(len(steps) + 1, address, "delete", f"/snapshots/{100 + index}/", risk="data-loss"))
    for index in range(6):
        address = f"viewpolicy[alpha-p{index}]"
        removed = [f"192.168.{index}.{host}" for host in range(30)]
        hosts = field("nfs_read_write", removed, [], risk="disruptive", added=[], removed=removed)
        changes.append(
            change(
                address,
                "update",
                risk="disruptive",
                reason="nfs_read_write differs",
                fields=[hosts],
                before={"nfs_read_write": removed},
                after={"nfs_read_write": []},
            )
        )
        steps.append(
            step(
                len(steps) + 1,
                address,
                "update",
                f"/viewpolicies/{20 + index}/",
                body={"nfs_read_write": []},
                risk="disruptive",
            )
        )
    return plan(changes, steps, prune=True)


#: name -> builder, for the golden files.
DOCUMENTS: dict[str, Callable[[], Doc]] = {
    "creates": creates_only,
    "mixed": mixed,
    "replace": replace,
    "data_loss": data_loss,
    "no_changes": no_changes,
    "huge": huge,
}
