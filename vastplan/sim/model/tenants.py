"""Tenants (VMS_API.md §4.8): unique names, non-overlapping client IP ranges, a directory tree each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from vastplan.sim.errors import BadRequest, FieldErrors
from vastplan.sim.model import ipranges
from vastplan.sim.model.base import Collection
from vastplan.sim.state import Record

# The collections whose objects live in a tenant and keep it from being deleted.
_TENANT_CONTENTS = ("viewpolicies", "views", "quotas", "snapshots", "globalsnapstreams")


class Tenants(Collection):
    name = "tenants"
    label = "tenant"
    tenant_mode: ClassVar[Literal["required", "optional", "none"]] = "none"
    # [INFERRED] tenant names are unique: clients and the TF provider look tenants up by name alone.
    unique_fields = ("name",)
    defaults: ClassVar[Mapping[str, Any]] = {
        # VMS_API.md §4.8: max_views 0 = unlimited.
        "max_views": 0,
        "client_ip_ranges": [],
        "access_ip_ranges": [],
        # [INFERRED] no identity provider configured on a new tenant.
        "posix_primary_provider": "NONE",
        "login_name_primary_provider": "NONE",
    }

    def by_name(self, name: str) -> Record | None:
        found = self.find(name=name)
        return found[0] if found else None

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        # VMS_API.md §4.8: client_ip_ranges must not overlap between tenants.
        mine = ipranges.parse_ranges(row.get("client_ip_ranges"), "client_ip_ranges")
        for other_id, other in self.rows.items():
            if other_id == row.get("id"):
                continue
            if ipranges.overlaps(
                mine, ipranges.parse_ranges(other.get("client_ip_ranges"), "client_ip_ranges")
            ):
                raise FieldErrors.one(
                    "client_ip_ranges", f"Client IP ranges overlap with those of tenant {other['name']}."
                )

    def after_create(self, row: Record) -> None:
        self.backend.fs.ensure_root(row["id"])

    def check_delete(self, row: Record, params: Mapping[str, str]) -> None:
        if row["id"] == self.backend.default_tenant_id():
            # [INFERRED] the default tenant (id 1, VMS_API.md §4.8) is part of the cluster.
            raise BadRequest("The default tenant cannot be deleted.")
        for collection in _TENANT_CONTENTS:
            if self.backend.collection(collection).find(tenant_id=row["id"]):
                # [INFERRED] force_remove only forgives files in the tenant directory (§4.8), not objects.
                raise BadRequest(f"Tenant {row['name']} still has {collection}; delete them first.")

    def after_delete(self, row: Record) -> None:
        self.backend.fs.drop_tenant(row["id"])

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        pools = [pool for pool in self.backend.vippools.find(tenant_id=row["id"])]
        values.update(
            {
                "vippools": [{"id": pool["id"], "name": pool.get("name")} for pool in pools],
                "vippool_names": [pool.get("name") for pool in pools if pool.get("name")],
                "client_ip_ranges_summary": ipranges.summary(row.get("client_ip_ranges")),
                "smb_allowed": False,
                "data_engine_enabled": False,
            }
        )
        return values
