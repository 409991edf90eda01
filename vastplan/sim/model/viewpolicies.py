"""View policies (VMS_API.md §4.2): host access rules; names unique across all tenants; in use = undeletable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, ClassVar

from vastplan.sim.errors import BadRequest, FieldErrors
from vastplan.sim.model.base import Collection, invalid_pk
from vastplan.sim.model.durations import duration_seconds, pretty_duration
from vastplan.sim.state import Record


class ViewPolicies(Collection):
    _view_counts: tuple[dict[int, Record], int, Counter[Any]] | None = None

    name = "viewpolicies"
    label = "view policy"
    # VMS_API.md §4.2 [READ KB-VP]: "The name must be unique across all tenants".
    unique_fields = ("name",)
    defaults: ClassVar[Mapping[str, Any]] = {
        # VMS_API.md §4.2 / §6 [INFERRED — verify]: a policy created with only a name lets every host in
        # read-write and read-only, root-squashed.
        "nfs_read_write": ["*"],
        "nfs_read_only": ["*"],
        "nfs_root_squash": ["*"],
        "nfs_no_squash": [],
        "nfs_all_squash": [],
        # VMS_API.md §4.2 [READ spec description]: atime_frequency default 3600; minimal protection level NONE.
        "atime_frequency": "3600",
        "nfs_minimal_protection_level": "NONE",
        # [INFERRED] an NFS-flavoured policy authenticating by RPC, as the VMS UI proposes.
        "flavor": "NFS",
        "auth_source": "RPC",
        "access_flavor": "ALL",
        "path_length": "NPL",
        "allowed_characters": "NPL",
        "gid_inheritance": "LINUX",
        "smb_file_mode": 644,
        "smb_directory_mode": 755,
        "vip_pools": [],
        "permission_per_vip_pool": {},
        "protocols_audit": {},
    }

    def count_views(self, policy_id: int) -> int:
        """Views using the policy, from one count per change of the views: a listing of N policies over
        N views would otherwise scan every view once per policy."""
        views = self.backend.views
        cached = self._view_counts
        if cached is None or cached[0] is not views.rows or cached[1] != views.revision:
            counts = Counter(row.get("policy_id") for row in views.rows.values())
            cached = self._view_counts = (views.rows, views.revision, counts)
        return cached[2][policy_id]

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        frequency = row.get("atime_frequency")
        if frequency is not None:
            seconds = duration_seconds(str(frequency))
            if seconds is None:
                raise FieldErrors.one("atime_frequency", "Expected seconds (300) or a duration (00:00:30).")
            if seconds == 0:
                # VMS_API.md §4.2: "zero not allowed".
                raise FieldErrors.one("atime_frequency", "Zero value is not supported.")
        pools = self.backend.vippools.rows
        for pool_id in row.get("vip_pools") or []:
            if pool_id not in pools:
                raise FieldErrors.one("vip_pools", invalid_pk(pool_id))
        for pool_id, permission in (row.get("permission_per_vip_pool") or {}).items():
            # VMS_API.md §4.2: permission_per_vip_pool maps a pool id to RW or RO.
            if not str(pool_id).isdigit() or int(pool_id) not in pools:
                raise FieldErrors.one("permission_per_vip_pool", invalid_pk(pool_id))
            if permission not in ("RW", "RO"):
                raise FieldErrors.one("permission_per_vip_pool", f'"{permission}" is not a valid choice.')
        if old is not None and row.get("tenant_id") != old.get("tenant_id") and self.count_views(old["id"]):
            # [INFERRED] a view's policy belongs to the view's tenant (see views.py); moving a policy in use
            # to another tenant would break that.
            raise FieldErrors.one("tenant_id", "Cannot change the tenant of a view policy used by views.")

    def check_delete(self, row: Record, params: Mapping[str, str]) -> None:
        count = self.count_views(row["id"])
        if count:
            # VMS_API.md §4.2 [INFERRED]: no source shows the VMS answer; refuse while count_views > 0.
            raise BadRequest(f"View policy {row['name']} is in use by {count} view(s) and cannot be deleted.")

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        seconds = duration_seconds(str(row.get("atime_frequency") or "3600")) or 3600
        file_mode, dir_mode = row.get("smb_file_mode"), row.get("smb_directory_mode")
        values.update(
            {
                "count_views": self.count_views(row["id"]),
                "pretty_atime_frequency": pretty_duration(seconds),
                "pretty_auth_source": str(row.get("auth_source") or "").replace("_", " ").title(),
                "smb_file_mode_padded": None if file_mode is None else f"{file_mode:04d}",
                "smb_directory_mode_padded": None if dir_mode is None else f"{dir_mode:04d}",
                "remote_mapping": {},
                "enable_listing_of_snapshot_dir": bool(row.get("enable_visibility_of_snapshot_dir")),
                "enable_snapshot_lookup": bool(row.get("enable_visibility_of_snapshot_dir")),
            }
        )
        return values
