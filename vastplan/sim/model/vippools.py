"""VIP pools (VMS_API.md §4.7): address ranges clients mount through; a pool may be dedicated to a tenant."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from vastplan.sim.errors import BadRequest, FieldErrors
from vastplan.sim.model import ipranges
from vastplan.sim.model.base import Collection
from vastplan.sim.state import Record


class VipPools(Collection):
    name = "vippools"
    label = "VIP pool"
    # VMS_API.md §4.7: tenant_id set = only that tenant may use the pool; null = all tenants.
    tenant_mode: ClassVar[Literal["required", "optional", "none"]] = "optional"
    # [INFERRED] clients look pools up by name alone (MANILA, CSI: `vippools?name=`, §3.2).
    unique_fields = ("name",)
    defaults: ClassVar[Mapping[str, Any]] = {
        # VMS_API.md §4.7 / §6: enabled defaults to true, port_membership to ALL.
        "enabled": True,
        "port_membership": "ALL",
        # [INFERRED] a pool serves protocols unless told otherwise.
        "role": "PROTOCOLS",
        "ip_ranges": [],
    }

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        ipranges.parse_ranges(row.get("ip_ranges"), "ip_ranges")
        for key, top in (("subnet_cidr", 32), ("subnet_cidr_ipv6", 128)):
            value = row.get(key)
            if value is not None and not 0 <= value <= top:
                raise FieldErrors.one(key, f"Ensure this value is between 0 and {top}.")
        vlan = row.get("vlan")
        if vlan is not None and not 0 <= vlan <= 4096:
            # VMS_API.md §4.7: vlan 0-4096.
            raise FieldErrors.one("vlan", "Ensure this value is between 0 and 4096.")

    def check_delete(self, row: Record, params: Mapping[str, str]) -> None:
        users = [
            p["name"]
            for p in self.backend.viewpolicies.rows.values()
            if row["id"] in (p.get("vip_pools") or [])
        ]
        if users:
            # [INFERRED] a pool that a view policy is dedicated to stays until the policy lets go of it.
            raise BadRequest(
                f"VIP pool {row.get('name')} is used by view policies: {', '.join(sorted(users))}."
            )

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        ranges = row.get("ip_ranges") or []
        values.update(
            {
                # start_ip/end_ip are "not currently in use" on create (§4.7); they read back as the span.
                "start_ip": row.get("start_ip") or (ranges[0][0] if ranges else None),
                "end_ip": row.get("end_ip") or (ranges[-1][1] if ranges else None),
                "ranges_summary": ipranges.summary(ranges),
                "state": "ACTIVE" if row.get("enabled", True) else "DISABLED",
                "cnodes": [],
                "active_cnode_ids": [],
                "active_interfaces": 0,
                "vip_allocation": "BALANCED",
            }
        )
        return values
