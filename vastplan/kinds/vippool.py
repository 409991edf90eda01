"""VIP pools — ``/vippools/`` (VMS_API.md §4.7): a read-only data source in v1.

Specs cannot declare VIP pools; callers (the Manila driver's export locations, ``vastplan export``) read
them to learn the addresses clients mount from. One paginated list; the lookup by name filters locally as
well, since ``name`` is not a documented filter of ``/vippools/`` (VMS_API.md §3.2) and a VMS that ignores
it must not make us pick the wrong pool.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vastplan.kinds.base import Client

ENDPOINT = "/vippools/"
#: Largest range expanded into addresses; a VIP pool holds a handful of VIPs per CNode, never this many.
MAX_RANGE = 4096


@dataclass(frozen=True)
class VipPool:
    """A VIP pool: its name, tenant id (None: serves every tenant) and every address of its ranges."""

    id: int | None
    name: str
    tenant_id: int | None
    addresses: tuple[str, ...]
    enabled: bool = True


def list_vippools(client: Client) -> list[VipPool]:
    """Every VIP pool the caller may see (a tenant admin sees only its own, VMS_API.md §2.3)."""
    return [pool_of(record) for record in client.list(ENDPOINT)]


def find_vippool(client: Client, name: str) -> VipPool | None:
    """The pool called ``name``, or None."""
    for record in client.list(ENDPOINT, {"name": name}):
        if record.get("name") == name:
            return pool_of(record)
    return None


def pool_of(record: Mapping[str, Any]) -> VipPool:
    tenant_id = record.get("tenant_id")
    return VipPool(
        id=record.get("id") if isinstance(record.get("id"), int) else None,
        name=str(record.get("name", "")),
        tenant_id=tenant_id if isinstance(tenant_id, int) else None,
        addresses=expand_ranges(record.get("ip_ranges") or []),
        enabled=record.get("enabled") is not False,
    )


def expand_ranges(ranges: Any) -> tuple[str, ...]:
    """The addresses of ``[[start, end], ...]``, inclusive at both ends (clients expand them so,
    VMS_API.md §4.7); malformed entries are skipped."""
    found: list[str] = []
    for pair in ranges:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        try:
            start, end = ipaddress.ip_address(pair[0]), ipaddress.ip_address(pair[1])
        except ValueError:
            continue
        if start.version != end.version or int(end) < int(start) or int(end) - int(start) >= MAX_RANGE:
            continue
        found.extend(str(type(start)(n)) for n in range(int(start), int(end) + 1))
    return tuple(found)


__all__ = ["ENDPOINT", "VipPool", "expand_ranges", "find_vippool", "list_vippools", "pool_of"]
