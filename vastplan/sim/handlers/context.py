"""What a handler gets: the backend, the parsed request, route parameters, the caller and its tenant scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vastplan.sim.backend import SimBackend
from vastplan.sim.errors import PermissionDenied
from vastplan.sim.model.auth import Principal
from vastplan.sim.request import SimRequest


@dataclass
class Context:
    backend: SimBackend
    request: SimRequest
    params: dict[str, str] = field(default_factory=dict)
    principal: Principal | None = None
    # The tenant the caller is scoped to by X-Tenant-Name (or its token); None = cluster-wide.
    tenant_id: int | None = None

    @property
    def obj_id(self) -> int:
        return int(self.params["id"])

    def body(self) -> Any:
        return self.request.json()

    def url_for(self, collection: str, obj_id: Any) -> str:
        """The absolute URL of an object (VMS_API.md §3.3 ``url``), under the request's own prefix.

        [INFERRED] the shape ``<origin>/api[/<ver>]/<collection>/<id>/``: the trailing slash every client
        uses (§2.1) and the version segment the request used.
        """
        return f"{self.request.origin}{self.request.prefix or '/api'}/{collection}/{obj_id}/"

    def tenant_for_write(self, requested: Any) -> int | None:
        """The tenant a create or action applies to: the one asked for, else the caller's scope.

        [INFERRED] a tenant-scoped caller cannot act in another tenant (VMS_API.md §2.3 tenant admins).
        """
        if self.tenant_id is not None and requested is not None and requested != self.tenant_id:
            raise PermissionDenied("You do not have permission to perform this action in another tenant.")
        return requested if requested is not None else self.tenant_id

    def visible(self, record: dict[str, Any]) -> bool:
        """Whether a tenant-scoped caller may see ``record`` (objects of other tenants are hidden)."""
        if self.tenant_id is None or "tenant_id" not in record:
            return True
        return record["tenant_id"] in (self.tenant_id, None)
