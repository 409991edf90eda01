"""Tenants — ``/tenants/`` (VMS_API.md §4.8).

Identity: the name. ``encryption_group`` and ``encryption_crn`` are create-only (not accepted by PATCH), so a
change replaces the tenant; the name cannot change in place either, but it is the identity. Tenants are
never pruned (``Scope.contains`` keeps them out of every scope).

Risk: deleting or replacing a tenant is ``data-loss``. The engine never sends ``force_remove``, so the VMS
refuses to delete a tenant whose directory still holds files; but a tenant is the home of everything in it,
and removing one should always need the explicit consent that data-loss changes need.
"""

from __future__ import annotations

from typing import ClassVar

from vastplan.engine import normalize as norm
from vastplan.engine.state import Risk
from vastplan.kinds.base import Kind


class TenantKind(Kind):
    name = "tenant"
    rank = 0
    tenant_scoped = False
    prunable = False
    delete_risk: ClassVar[Risk] = "data-loss"
    # Removing a client or access range locks those clients out of the tenant.
    set_removal_risk: ClassVar[Risk] = "disruptive"

    def set_member_normalizer(self, name: str) -> norm.Normalizer | None:
        # access_ip_ranges hold addresses, "a - b" ranges and CIDRs (VMS_API.md §4.8); client_ip_ranges
        # hold [start, end] pairs, which host_entry leaves alone.
        return norm.host_entry


KIND = TenantKind()
