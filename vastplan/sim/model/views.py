"""Views (VMS_API.md §4.1): one per (tenant, path), an existing policy, a directory that exists or is created."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from vastplan.sim.errors import FieldErrors
from vastplan.sim.model import paths
from vastplan.sim.model.base import Collection, invalid_pk
from vastplan.sim.state import Record


class Views(Collection):
    name = "views"
    label = "view"
    # VMS_API.md §4.1 [INFERRED]: clients look views up by path and fail on more than one match.
    unique_together = (("tenant_id", "path"),)
    defaults: ClassVar[Mapping[str, Any]] = {
        # [INFERRED] the spec declares no view defaults (§4.1); NFS is what the VMS UI proposes.
        "protocols": ["NFS"],
        "create_dir": False,
    }

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        row["path"] = self._check_path(row["path"])
        if row.get("alias") is not None and not str(row["alias"]).startswith("/"):
            # VMS_API.md §4.1: alias must start with "/".
            raise FieldErrors.one("alias", "Alias must start with '/'.")
        self._check_policy(row)
        self._check_protocols(row)
        self._check_one_way_flags(row, old)
        if old is None:
            self._check_tenant_capacity(row)
        moved = old is None or row["path"] != old["path"]
        if (
            moved
            and not requested.get("create_dir")
            and not self.backend.fs.exists(row["tenant_id"], row["path"])
        ):
            # VMS_API.md §4.1 [READ KB-VIEWS]: without create_dir the directory must exist; the VMS's error
            # text is not known [INFERRED]. create_dir acts in the request that carries it.
            raise FieldErrors.one(
                "path", f"Directory {row['path']} does not exist; set create_dir to create it."
            )

    @staticmethod
    def _check_path(path: str) -> str:
        if path != "/" and path.endswith("/"):
            # VMS_API.md §4.1: path starts with "/" and has no trailing slash.
            raise FieldErrors.one("path", "Path must not end with '/'.")
        return paths.normalise(path)

    def _check_policy(self, row: Record) -> None:
        policy = self.backend.viewpolicies.rows.get(row["policy_id"])
        if policy is None:
            # VMS_API.md §4.1: a view needs an existing view policy.
            raise FieldErrors.one("policy_id", invalid_pk(row["policy_id"]))
        if policy.get("tenant_id") != row["tenant_id"]:
            # [INFERRED] CSI creates a view in its policy's tenant (§4.1 "the view's tenant follows the policy").
            raise FieldErrors.one("policy_id", f"View policy {policy['name']} belongs to another tenant.")

    @staticmethod
    def _check_protocols(row: Record) -> None:
        protocols = row.get("protocols") or []
        if "BLOCK" in protocols and len(protocols) > 1:
            # VMS_API.md §4.1 [READ KB-VIEWS]: BLOCK cannot be combined with other protocols.
            raise FieldErrors.one("protocols", "BLOCK cannot be combined with other protocols.")
        if "SMB" in protocols and not row.get("share"):
            # VMS_API.md §4.1: `share` is needed when SMB is enabled.
            raise FieldErrors.one("share", "This field is required when SMB is enabled.")
        if "S3" in protocols and not row.get("bucket"):
            # VMS_API.md §4.1: `bucket` is needed when S3 is enabled.
            raise FieldErrors.one("bucket", "This field is required when S3 is enabled.")

    @staticmethod
    def _check_one_way_flags(row: Record, old: Record | None) -> None:
        # VMS_API.md §4.1 [READ spec descriptions]: locking and s3_versioning cannot be disabled once enabled;
        # locking must be true if s3_versioning is.
        for flag in ("locking", "s3_versioning"):
            if old is not None and old.get(flag) and not row.get(flag):
                raise FieldErrors.one(flag, f"{flag} cannot be disabled once enabled.")
        if row.get("s3_versioning") and not row.get("locking"):
            raise FieldErrors.one("locking", "locking must be enabled when s3_versioning is enabled.")

    def _check_tenant_capacity(self, row: Record) -> None:
        tenant = self.backend.tenants.row(row["tenant_id"])
        limit = tenant.get("max_views") or 0
        if limit and len(self.find(tenant_id=row["tenant_id"])) >= limit:
            # VMS_API.md §4.8: a tenant's max_views (0 = unlimited) [INFERRED message].
            raise FieldErrors.one(
                "non_field_errors", f"Tenant {tenant['name']} reached its limit of {limit} views."
            )

    def after_create(self, row: Record) -> None:
        if row.get("create_dir"):
            self.backend.fs.makedirs(row["tenant_id"], row["path"], mode=row.get("create_dir_mode"))

    def after_update(self, old: Record, new: Record, requested: Mapping[str, Any]) -> None:
        if requested.get("create_dir"):
            self.backend.fs.makedirs(new["tenant_id"], new["path"])

    # Deleting a view keeps its directory and data (VMS_API.md §4.1 [READ KB-VIEWS]): no after_delete.

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        fs = self.backend.fs
        used = fs.used_bytes(row["tenant_id"], row["path"])
        policy = self.backend.viewpolicies.rows.get(row["policy_id"])
        delegations = row.get("allowed_delegations")
        if delegations in (None, "USE_TENANT_ALLOWED_DELEG"):
            delegations = self.backend.tenants.row(row["tenant_id"]).get("allowed_delegations") or "NONE"
        values.update(
            {
                "title": row.get("name") or row["path"],
                # VMS_API.md §4.1: `policy` is the policy's name, computed by the server.
                "policy": policy["name"] if policy else None,
                "directory": fs.exists(row["tenant_id"], row["path"]),
                "logical_capacity": used,
                "physical_capacity": int(used / self.backend.cluster.drr()),
                "effective_allowed_delegations": delegations,
                "is_remote": False,
                "bulk_permission_update_progress": 0,
            }
        )
        return values
