"""Live states built in memory from VMS-shaped records, for the pure stages' tests."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from vastplan.engine.state import ClusterInfo, LiveObject, LiveState
from vastplan.kinds import get_kind
from vastplan.kinds.base import RefreshContext

TENANTS = {1: "default", 2: "t2"}


def live_state(records: dict[str, list[dict[str, Any]]], tenants: dict[int, str] | None = None) -> LiveState:
    """``records`` by kind name; ids are assigned where missing; tenant_id defaults to 1."""
    names = tenants or TENANTS
    next_id = 100
    filled: dict[str, list[dict[str, Any]]] = {}
    for kind, rows in records.items():
        filled[kind] = []
        for row in rows:
            next_id += 1
            filled[kind].append({"id": next_id, "tenant_id": 1, **row})
    names_by_id = {k: {r["id"]: r["name"] for r in rows if "name" in r} for k, rows in filled.items()}
    ctx = RefreshContext(tenant_names=names, default_tenant="default", names_by_id=names_by_id)
    objects: dict[str, LiveObject] = {}
    for kind, rows in filled.items():
        for row in rows:
            obj = get_kind(kind).live(row, ctx)
            assert obj is not None
            objects[obj.address] = obj
    return LiveState(
        objects=MappingProxyType(objects),
        tenant_ids=MappingProxyType({v: k for k, v in names.items()}),
        cluster=ClusterInfo("vast-test", "5.3.0"),
    )
