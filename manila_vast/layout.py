"""Where a share lives on the cluster, and how clients reach it.

The layout is the in-tree VAST driver's, so that a cloud can switch drivers without touching its shares
(DESIGN §9, MANILA.md §2.1 "Naming"):

- directory ``/<vast_root_export>/manila-<share instance id>``;
- view policy, quota and view each named ``<share instance id>``;
- snapshots named as manila names them (``share-snapshot-<snapshot instance id>``) on the share's path;
- one export location ``<vip>:<path>`` per address of the VIP pool, in pool order (MANILA.md §2.1 step 7).

Pure functions; no manila import.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "LayoutError",
    "expand_ip_ranges",
    "export_locations",
    "ip_versions",
    "normalize_root",
    "share_path",
    "snapshot_path",
    "vips_digest",
]

# A pool of more addresses than this is a configuration mistake (a /16 typed as a range); publishing them
# all as export locations would flood manila's database.
MAX_VIPS = 1024


class LayoutError(ValueError):
    """A value that cannot be turned into a layout: a bad root export, or an unusable VIP range."""


def normalize_root(root: str) -> str:
    """``"manila"``, ``"/manila/"`` → ``"/manila"``, as the in-tree driver normalises ``vast_root_export``.

    The root ``/`` itself is refused: shares would then sit beside the cluster's own top-level directories,
    and ``/`` + ``manila-…`` would be written ``//manila-…`` by the in-tree formula.
    """
    stripped = (root or "").strip().strip("/")
    if not stripped:
        raise LayoutError("vast_root_export must name a directory below '/', such as 'manila'")
    if any(part in ("", ".", "..") for part in stripped.split("/")):
        raise LayoutError(f"vast_root_export {root!r} must be a plain path without '.', '..' or '//'")
    return "/" + stripped


def share_path(root: str, instance_id: str) -> str:
    """The share's directory: ``<root>/manila-<instance id>`` (``root`` already normalised)."""
    return f"{root}/manila-{instance_id}"


def snapshot_path(root: str, instance_id: str) -> str:
    """The path a snapshot of the share is taken on; snapshot paths end with ``/`` (VMS_API.md §4.4)."""
    return share_path(root, instance_id) + "/"


def expand_ip_ranges(ip_ranges: Iterable[Sequence[str]]) -> list[str]:
    """Every address of a VIP pool's ``ip_ranges`` (``[[start, end], ...]``, inclusive), in order.

    VMS_API.md §4.7: clients expand the ranges start..end inclusively. IPv6 ranges work the same way.
    Duplicates (overlapping ranges) are listed once.
    """
    seen: dict[str, None] = {}
    for pair in ip_ranges:
        start, end = _range_ends(pair)
        if int(end) - int(start) + len(seen) >= MAX_VIPS:
            raise LayoutError(f"VIP range {start}-{end} holds more than {MAX_VIPS} addresses")
        address_type = type(start)
        for value in range(int(start), int(end) + 1):
            seen.setdefault(str(address_type(value)), None)
    return list(seen)


def _range_ends(pair: Sequence[str]) -> tuple[Any, Any]:
    if isinstance(pair, str) or len(pair) != 2:
        raise LayoutError(f"VIP range {pair!r} is not a [start, end] pair")
    try:
        start, end = ipaddress.ip_address(pair[0]), ipaddress.ip_address(pair[1])
    except ValueError as exc:
        raise LayoutError(f"VIP range {list(pair)!r}: {exc}") from None
    if start.version != end.version or int(end) < int(start):
        raise LayoutError(f"VIP range {list(pair)!r} does not run from a lower to a higher address")
    return start, end


def export_locations(vips: Iterable[str], path: str) -> list[dict[str, Any]]:
    """One location per VIP, as the in-tree driver returns them (``is_admin_only`` False, no metadata).

    IPv6 addresses are bracketed (``[2001:db8::1]:/manila/manila-x``), the form NFS clients mount.
    """
    return [{"path": f"{_host(vip)}:{path}", "is_admin_only": False} for vip in vips]


def _host(vip: str) -> str:
    return f"[{vip}]" if ":" in vip else vip


def ip_versions(vips: Iterable[str]) -> list[int]:
    """The IP versions the pool serves, e.g. ``[4]`` or ``[4, 6]`` (for manila's ``ipv4/6_support``)."""
    return sorted({ipaddress.ip_address(vip).version for vip in vips})


def vips_digest(vips: Iterable[str]) -> str:
    """A short fingerprint of the VIP list, so that a changed pool re-runs ``ensure_shares``."""
    return hashlib.sha256(",".join(sorted(vips)).encode()).hexdigest()[:16]
