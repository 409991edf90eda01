"""Taking over existing exports and snapshots (``manage_existing``, ``manage_existing_snapshot``). Pure; no
manila import: the driver reads the cluster, these functions decide, and :class:`ManageRefusal` carries the
reason the driver hands to manila's ``ManageInvalidShare`` / ``ManageInvalidShareSnapshot``.

What a share must be to be taken over (MANILA.md §1.2 manage/unmanage):

- its export path is ``<vip>:/<vast_root_export>/<dir>``: ``<vip>`` an address of this backend's VIP pool
  (an address of another pool or cluster is another backend's export), ``<dir>`` one directory directly
  below the root export (where every share of this backend lives), not VAST's ``.snapshot``;
- the directory exists in the backend's tenant (the driver checks with ``stat_path``);
- its size comes from the quota on the directory, rounded up to whole GiB; without a quota (or one without a
  hard limit) the admin gives it (``--driver-options size=<GiB>``); either way the data already stored must
  fit. Usage is the quota's; without a quota, the view's ``logical_capacity`` (the bytes under its path,
  VMS_API.md §4.1); with neither there is nothing to read it from, and the size is taken as given.

The share then gets what the layout needs, named for the new share instance: a view policy with no hosts
(manila has no access rules for it yet), the quota at the share's size, and the view on the directory with
that policy (keeping the view's other protocols). Unmanaging forgets the share and changes nothing.

A snapshot is taken over by ``provider_location`` (its VAST name, or id): it must exist in the backend's tenant
and be a snapshot of the share's directory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from manila_vast.ensure import in_tenant, used_bytes
from manila_vast.layout import (
    LayoutError,
    directory_under_root,
    export_host,
    parse_export_location,
)
from manila_vast.targets import GIB, Layout

__all__ = ["ManageRefusal", "ManagedSize", "managed_directory", "managed_size", "managed_snapshot_name"]


class ManageRefusal(ValueError):
    """The export or snapshot cannot be taken over; the message says why."""


def managed_directory(layout: Layout, location: str, vips: Iterable[str], *, vippool: str) -> str:
    """The directory of the export path ``location``, when this backend serves it (checks that need no
    cluster call beyond the VIP pool)."""
    try:
        host, path = parse_export_location(location)
        directory = directory_under_root(layout.root, path)
    except LayoutError as exc:
        raise ManageRefusal(str(exc)) from None
    ours = [str(vip) for vip in vips]
    if export_host(host) not in {export_host(vip) for vip in ours}:
        raise ManageRefusal(
            f"{host} is not an address of VIP pool {vippool} ({', '.join(ours)}): {location} is the export "
            "of another backend"
        )
    return directory


@dataclass(frozen=True)
class ManagedSize:
    """The managed share's size, and whether setting it changes the quota's hard limit in a way the engine
    counts as data loss (lowering it, or setting one where there was none), after the usage check."""

    size_gib: int
    lowers_limit: bool


def managed_size(
    directory: str,
    quota: Mapping[str, Any] | None,
    options: Mapping[str, Any],
    view: Mapping[str, Any] | None = None,
) -> ManagedSize:
    """The share's size from the directory's quota (hard limit rounded up to GiB), or from the
    ``size`` driver option (which wins when given); refused when the data stored does not fit."""
    asked = _size_option(options)
    limit = int(quota.get("hard_limit") or 0) if quota is not None else 0
    if asked is None and limit <= 0:
        what = "no quota" if quota is None else f"a quota ({quota.get('name')}) without a hard limit"
        raise ManageRefusal(
            f"{directory} has {what} to take the share's size from: give the size in GiB with "
            "--driver-options size=<GiB>"
        )
    size = asked if asked is not None else math.ceil(limit / GIB)
    used = used_bytes(quota) if quota is not None else int((view or {}).get("logical_capacity") or 0)
    if used > size * GIB:
        raise ManageRefusal(
            f"{directory} holds {used} bytes, more than {size} GiB: give a larger size with "
            "--driver-options size=<GiB>"
        )
    lowers = quota is not None and (limit <= 0 or size * GIB < limit)
    return ManagedSize(size, lowers)


def _size_option(options: Mapping[str, Any]) -> int | None:
    value = (options or {}).get("size")
    if value in (None, ""):
        return None
    try:
        size = int(str(value))
    except ValueError:
        raise ManageRefusal(f"driver option size={value!r} is not a whole number of GiB") from None
    if size < 1:
        raise ManageRefusal(f"driver option size={value!r} must be at least 1 (GiB)")
    return size


def managed_snapshot_name(
    reference: str, record: Mapping[str, Any] | None, *, layout: Layout, directory: str, share_id: str
) -> str:
    """The VAST name of the snapshot ``reference`` (a name or an id), when it is a snapshot of the share's
    ``directory`` in the backend's tenant."""
    if record is None:
        raise ManageRefusal(f"no snapshot named (or with id) {reference!r} on the cluster")
    if not in_tenant(record, layout.tenant):
        raise ManageRefusal(
            f"snapshot {record.get('name')} belongs to tenant {record.get('tenant_name')}, not to this "
            f"backend's tenant {layout.tenant}"
        )
    path = "/" + str(record.get("path") or "").strip("/")
    if path != directory:
        raise ManageRefusal(
            f"snapshot {record.get('name')} is a snapshot of {path}, not of share {share_id} ({directory}): "
            "a snapshot of another share or backend"
        )
    return str(record.get("name"))
