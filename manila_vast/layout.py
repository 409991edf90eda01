"""Where a share lives on the cluster, and how clients reach it.

The layout is the in-tree VAST driver's, so that a cloud can switch drivers without touching its shares
(DESIGN §9, MANILA.md §2.1 "Naming"):

- directory ``/<vast_root_export>/manila-<share instance id>``;
- view policy, quota and view each named ``<share instance id>``;
- snapshots named as manila names them (``share-snapshot-<snapshot instance id>``) on the share's path;
- one export location ``<vip>:<path>`` per address of the VIP pool, in pool order (MANILA.md §2.1 step 7);
- a snapshot is read-only under ``<share directory>/.snapshot/<snapshot name>`` (VMS_API.md §4.4), which is
  what a mountable snapshot exports.

A share taken over with ``manage_existing`` keeps the directory it had, ``/<vast_root_export>/<dir>``: its
objects are named for the share, its path is not. The driver finds a share's directory in the export
locations it wrote for it (:func:`share_directory`), and falls back to the layout's path.

Pure functions; no manila import.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "LayoutError",
    "directory_under_root",
    "expand_ip_ranges",
    "export_host",
    "export_locations",
    "ip_versions",
    "normalize_root",
    "parse_export_location",
    "share_directory",
    "share_path",
    "snapshot_directory",
    "snapshot_path",
    "vips_digest",
]

#: Directory names below the root export that are never a share: VAST's own (VMS_API.md §4.4, §4.6).
RESERVED_NAMES = frozenset({".snapshot", ".vast_trash"})

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


def snapshot_directory(directory: str, name: str) -> str:
    """Where VAST shows snapshot ``name`` of ``directory``: ``<directory>/.snapshot/<name>``, read-only
    (VMS_API.md §4.4)."""
    return f"{directory.rstrip('/')}/.snapshot/{name}"


def parse_export_location(location: str) -> tuple[str, str]:
    """``"192.0.2.1:/manila/x"`` → ``("192.0.2.1", "/manila/x")``; ``"[2001:db8::1]:/m/x"`` → the address
    without brackets. Raises :class:`LayoutError` for anything that is not ``<host>:/<path>``."""
    text = (location or "").strip()
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]:")
    else:
        host, sep, rest = text.partition(":")
    if not sep or not host or not rest.startswith("/"):
        raise LayoutError(f"{location!r} is not an NFS export path of the form <address>:/<path>")
    return host, rest


def directory_under_root(root: str, path: str) -> str:
    """``path`` normalised, when it names a directory directly below ``root``; else :class:`LayoutError`
    saying why (a share is one directory below the root export, as the layout puts every share)."""
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise LayoutError(f"{path} is not a plain path: '.' and '..' are not allowed")
    normalised = "/" + "/".join(parts)
    prefix = root.rstrip("/") + "/"
    if not normalised.startswith(prefix) or normalised == root:
        raise LayoutError(f"{normalised} is outside the root export {root} (vast_root_export)")
    name = normalised[len(prefix) :]
    if "/" in name:
        raise LayoutError(
            f"{normalised} is not a directory directly below the root export {root}: shares are "
            f"{prefix}<directory>"
        )
    if name in RESERVED_NAMES:
        raise LayoutError(f"{normalised} is VAST's own directory, not a share")
    return normalised


def share_directory(root: str, instance_id: str, locations: Iterable[Any] | None = None) -> str:
    """The share's directory: the path of its export locations when they name one below ``root`` (the
    driver wrote them, for a created or a managed share), else the layout's ``<root>/manila-<id>``."""
    for location in locations or ():
        text = location.get("path") if isinstance(location, Mapping) else getattr(location, "path", location)
        try:
            return directory_under_root(root, parse_export_location(str(text))[1])
        except LayoutError:
            continue
    return share_path(root, instance_id)


def export_host(address: str) -> str:
    """An address as written in an export location's host part, for comparing with the pool's VIPs
    (``2001:DB8::1`` and ``2001:db8::1`` are one address)."""
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return address.lower()


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
