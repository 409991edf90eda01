"""Target states for each driver operation, as spec documents (DESIGN §4). Pure; no manila import.

Every mutation of the driver is "build the target state of the objects involved, then plan + apply"
(DESIGN §1, §9). This module builds those targets as plain mappings that
``vastplan.api.load_documents`` reads; nothing here talks to a cluster.

The documents list objects and never set ``scope``: the engine touches exactly the objects listed and
leaves everything else on the cluster alone (DESIGN §4, "objects outside the spec and outside scope are
never touched"). Fields a document does not mention are not managed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from manila_vast.access import HostAccess, policy_fields
from manila_vast.layout import share_path, snapshot_path
from vastplan.address import DEFAULT_TENANT, make_address

__all__ = [
    "GIB",
    "Layout",
    "access_document",
    "create_share_document",
    "delete_share_document",
    "delete_snapshot_document",
    "document",
    "existing_directory_document",
    "folder_entry",
    "policy_entry",
    "quota_entry",
    "resize_document",
    "share_addresses",
    "snapshot_address",
    "snapshot_document",
    "view_entry",
]

#: Manila sizes are GiB; VAST quotas are bytes (the in-tree driver: ``size * 2**30``, MANILA.md §2.2).
GIB = 2**30

Entry = dict[str, Any]


@dataclass(frozen=True)
class Layout:
    """The backend settings every target depends on (from the options of the backend section)."""

    root: str  # normalised vast_root_export, e.g. "/manila"
    tenant: str = DEFAULT_TENANT
    root_squash: bool = False
    #: Protocols of a new share's view. NFSv3 only, like the in-tree driver (MANILA.md §2.1).
    protocols: tuple[str, ...] = ("NFS",)

    def path(self, instance_id: str) -> str:
        return share_path(self.root, instance_id)


def document(layout: Layout, **lists: Iterable[Entry]) -> dict[str, Any]:
    """A spec document: ``version``, the default tenant, and the non-empty object lists given."""
    doc: dict[str, Any] = {"version": 1, "defaults": {"tenant": layout.tenant}}
    for key, entries in lists.items():
        listed = list(entries)
        if listed:
            doc[key] = listed
    return doc


def policy_entry(layout: Layout, instance_id: str, access: HostAccess | None = None) -> Entry:
    """The share's view policy, named by the instance id, granting ``access`` (nobody when None)."""
    fields = policy_fields(access or HostAccess(), root_squash=layout.root_squash)
    return {"name": instance_id, **fields}


def quota_entry(
    layout: Layout,
    instance_id: str,
    size_gib: int,
    *,
    create_dir: bool | None = None,
    path: str | None = None,
) -> Entry:
    """The share's quota: hard limit = size in GiB. ``create_dir=True`` only when the share is being
    created: an existing share whose directory vanished must never come back empty (MANILA.md §2.3 bug 12).
    ``create_dir=False`` is written out where the directory must already be there (a clone's destination, a
    managed directory): the engine would otherwise send its default, ``true``."""
    entry: Entry = {
        "name": instance_id,
        "path": path or layout.path(instance_id),
        "hard_limit": int(size_gib) * GIB,
    }
    if create_dir is not None:
        entry["create_dir"] = create_dir
    return entry


def view_entry(
    layout: Layout, instance_id: str, protocols: Iterable[str] | None = None, *, path: str | None = None
) -> Entry:
    """The share's NFS export: the directory, the policy by name, the protocols."""
    return {
        "path": path or layout.path(instance_id),
        "name": instance_id,
        "policy": instance_id,
        "protocols": sorted(set(protocols or layout.protocols)),
    }


def folder_entry(
    layout: Layout, instance_id: str, *, state: str = "present", path: str | None = None
) -> Entry:
    return {"path": path or layout.path(instance_id), "state": state}


def create_share_document(layout: Layout, instance_id: str, size_gib: int) -> dict[str, Any]:
    """A new share: a policy with no hosts (never ``*``), the quota creating the directory, the view.

    The engine creates the quota before the view on the same path, so the export is never unlimited,
    even briefly (DESIGN §3).
    """
    return document(
        layout,
        viewpolicies=[policy_entry(layout, instance_id)],
        quotas=[quota_entry(layout, instance_id, size_gib, create_dir=True)],
        views=[view_entry(layout, instance_id)],
    )


def existing_directory_document(
    layout: Layout,
    instance_id: str,
    size_gib: int,
    path: str,
    protocols: Iterable[str] | None = None,
) -> dict[str, Any]:
    """A share's objects on a directory that is already there: a snapshot clone's destination, or a
    directory taken over by ``manage_existing``. The same three objects as a new share (a policy with no
    hosts, the quota, the view), with ``create_dir: false``: when the directory is not there the VMS
    refuses, rather than the engine making an empty one. ``protocols`` keeps those of an existing view."""
    return document(
        layout,
        viewpolicies=[policy_entry(layout, instance_id)],
        quotas=[quota_entry(layout, instance_id, size_gib, create_dir=False, path=path)],
        views=[view_entry(layout, instance_id, protocols, path=path)],
    )


def delete_share_document(layout: Layout, instance_id: str, path: str | None = None) -> dict[str, Any]:
    """Everything of the share absent: view, quota, policy, and the directory (through the trash).

    The engine deletes in reverse dependency order (the view before its policy; the folder only after the
    view and quota on its path, DESIGN §3), and an object already gone is a no-op: delete is idempotent.
    """
    path = path or layout.path(instance_id)
    return document(
        layout,
        views=[{"path": path, "state": "absent"}],
        quotas=[{"path": path, "name": instance_id, "state": "absent"}],
        viewpolicies=[{"name": instance_id, "state": "absent"}],
        folders=[folder_entry(layout, instance_id, state="absent", path=path)],
    )


def resize_document(
    layout: Layout, instance_id: str, size_gib: int, path: str | None = None
) -> dict[str, Any]:
    """The quota at the new size, with its directory declared: the engine needs to know the path exists
    (DESIGN §4), and the plan shows it when it does not (the caller then refuses, never re-creates it)."""
    return document(
        layout,
        folders=[folder_entry(layout, instance_id, path=path)],
        quotas=[quota_entry(layout, instance_id, size_gib, path=path)],
    )


def access_document(layout: Layout, instance_id: str, access: HostAccess) -> dict[str, Any]:
    return document(layout, viewpolicies=[policy_entry(layout, instance_id, access)])


def snapshot_document(layout: Layout, name: str, instance_id: str, path: str | None = None) -> dict[str, Any]:
    """A snapshot of the share's directory, named as manila names it (MANILA.md §2.1 "Naming")."""
    on = path.rstrip("/") + "/" if path else snapshot_path(layout.root, instance_id)
    return document(layout, snapshots=[{"name": name, "path": on}])


def delete_snapshot_document(layout: Layout, name: str) -> dict[str, Any]:
    return document(layout, snapshots=[{"name": name, "state": "absent"}])


def share_addresses(layout: Layout, instance_id: str, path: str | None = None) -> Mapping[str, str]:
    """The engine addresses of the share's objects, by kind: what data-loss consent is scoped to."""
    path = path or layout.path(instance_id)
    return {
        "viewpolicy": make_address("viewpolicy", name=instance_id),
        "folder": make_address("folder", path=path, tenant=layout.tenant),
        "quota": make_address("quota", path=path, tenant=layout.tenant),
        "view": make_address("view", path=path, tenant=layout.tenant),
    }


def snapshot_address(name: str) -> str:
    return make_address("snapshot", name=name)
