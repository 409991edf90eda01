"""Quotas (VMS_API.md §4.3): unique names, one per (tenant, path), usage from the data under the path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from vastplan.sim.errors import FieldErrors
from vastplan.sim.model import paths
from vastplan.sim.model.base import Collection
from vastplan.sim.model.durations import duration_seconds
from vastplan.sim.state import Record

TB = 10**12
_LIMITS = ("hard_limit", "soft_limit", "hard_limit_inodes", "soft_limit_inodes")


def quota_state(used: int, inodes: int, row: Record) -> str:
    """OK / SOFT_EXCEEDED / HARD_EXCEEDED ... (VMS_API.md §4.3 states); 0 or null limits are not enforced."""

    def over(value: int, limit: Any) -> bool:
        return bool(limit) and value > limit

    hard, hard_inodes = over(used, row.get("hard_limit")), over(inodes, row.get("hard_limit_inodes"))
    soft, soft_inodes = over(used, row.get("soft_limit")), over(inodes, row.get("soft_limit_inodes"))
    if hard and hard_inodes:
        return "HARD_BOTH_EXCEEDED"
    if hard or hard_inodes:
        return "HARD_EXCEEDED" if hard else "INODE_HARD_EXCEEDED"
    if soft and soft_inodes:
        return "SOFT_BOTH_EXCEEDED"
    if soft or soft_inodes:
        return "SOFT_EXCEEDED" if soft else "INODE_SOFT_EXCEEDED"
    return "OK"


class Quotas(Collection):
    name = "quotas"
    label = "quota"
    # VMS_API.md §4.3: "A unique name for the quota" (scope not stated: cluster-wide here [INFERRED]);
    # one quota per directory and tenant [INFERRED: clients look quotas up by path].
    unique_fields = ("name",)
    unique_together = (("tenant_id", "path"),)
    defaults: ClassVar[Mapping[str, Any]] = {
        # VMS_API.md §4.3 / §6: is_user_quota false; the KB example shows inode limits 0 when unset.
        "is_user_quota": False,
        "hard_limit_inodes": 0,
        "soft_limit_inodes": 0,
    }

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        row["path"] = paths.normalise(row["path"])
        for key in _LIMITS:
            if row.get(key) is not None and row[key] < 0:
                raise FieldErrors.one(key, "Ensure this value is greater than or equal to 0.")
        grace = row.get("grace_period")
        if grace is not None and duration_seconds(str(grace)) is None:
            # VMS_API.md §4.3: grace_period is "[DD] [HH:[MM:]]ss" (the VMS's message text [INFERRED]).
            raise FieldErrors.one("grace_period", "Expected a duration as [DD] [HH:[MM:]]ss, e.g. 01:00:00.")
        if old is not None and old.get("is_user_quota") and not row.get("is_user_quota"):
            # VMS_API.md §4.3: is_user_quota cannot be disabled later.
            raise FieldErrors.one("is_user_quota", "is_user_quota cannot be disabled once enabled.")
        if (
            old is None
            and not row.get("create_dir")
            and not self.backend.fs.exists(row["tenant_id"], row["path"])
        ):
            # VMS_API.md §4.3 [READ KB-QUOTA]: no directory and no create_dir -> no quota (text [INFERRED]).
            raise FieldErrors.one(
                "path", f"Directory {row['path']} does not exist; set create_dir to create it."
            )

    def after_create(self, row: Record) -> None:
        if row.get("create_dir"):
            self.backend.fs.makedirs(row["tenant_id"], row["path"], mode=row.get("create_dir_mode"))

    # Deleting a quota keeps the directory (VMS_API.md §4.3 [INFERRED]): no after_delete.

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        fs = self.backend.fs
        used = fs.used_bytes(row["tenant_id"], row["path"])
        inodes = fs.inode_count(row["tenant_id"], row["path"])
        hard, hard_inodes = row.get("hard_limit"), row.get("hard_limit_inodes")
        state = quota_state(used, inodes, row)
        values.update(
            {
                # VMS_API.md §4.3: used_capacity and used_effective_capacity in bytes, *_tb as floats (the KB
                # example rounds to 3 decimals); the simulator has no data reduction inside a quota.
                "used_capacity": used,
                "used_effective_capacity": used,
                "used_limited_capacity": used,
                "used_capacity_tb": round(used / TB, 3),
                "used_effective_capacity_tb": round(used / TB, 3),
                "used_inodes": inodes,
                "percent_capacity": int(100 * used / hard) if hard else 0,
                "percent_inodes": int(100 * inodes / hard_inodes) if hard_inodes else 0,
                "state": state,
                "pretty_state": state.replace("_", " ").title(),
                "pretty_grace_period": row.get("grace_period"),
                "system_id": row["id"],
                "sync_state": "SYNCHRONIZED",
                "num_exceeded_users": 0,
                "num_blocked_users": 0,
                "last_user_quotas_update": row["created"],
            }
        )
        return values
