"""Quotas — ``/quotas/`` (VMS_API.md §4.3).

Identity: (tenant, path). ``name`` is unique too (KB-QUOTA), so a quota that takes over the name of one being
deleted is created after that delete. ``path``, ``tenant`` and ``is_physical_quota`` are create-only: a change
replaces the quota (VMS_API.md §5.5).

Normalisation: limits are bytes (``10GiB`` ≙ ``10737418240``); an unset limit reads back as ``null`` or
``0`` (KB-QUOTA: "0 or null means do not enforce"), both normalised to None; ``grace_period`` is a duration.

Create: the quota is created before the view on the same path, so that no export is ever unlimited (DESIGN
§3); the directory may not exist yet then, so ``create_dir: true`` is sent unless the spec says otherwise —
the VMS accepts it for an existing directory too (MANILA creates every quota so, then the view with
``create_dir``; VMS_API.md §5.3).

Risk: raising a limit or removing one is safe; lowering a hard limit — or setting one where there was none —
is data-loss (writes beyond it fail, DESIGN §5); soft limits only warn, so lowering them is safe. Deleting a
quota is disruptive, not data-loss: the directory and its data stay (VMS_API.md §4.3), but the path is
unlimited from then on, which DESIGN §3 takes care never to allow even briefly.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from vastplan.engine import normalize as norm
from vastplan.engine.state import FieldChange, Risk
from vastplan.kinds.base import Kind

#: Limits whose lowering can refuse writes that succeed today.
HARD_LIMITS = ("hard_limit", "hard_limit_inodes")
#: Limits where 0 and null both mean "none" (VMS_API.md §4.3).
LIMITS = ("hard_limit", "soft_limit", "hard_limit_inodes", "soft_limit_inodes")


class QuotaKind(Kind):
    name = "quota"
    rank = 3
    unique_fields = ("name",)
    makes_path = True
    delete_risk: ClassVar[Risk] = "disruptive"
    create_defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({"create_dir": True})
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            # "is_user_quota: default false" (VMS_API.md §4.3); limits unset.
            "is_user_quota": False,
            **{limit: None for limit in LIMITS},
        }
    )

    def normalizer(self, name: str) -> norm.Normalizer:
        if name in LIMITS:
            return norm.unset_if_zero(norm.size)
        if name == "grace_period":
            return norm.duration
        return super().normalizer(name)

    def field_risk(self, change: FieldChange) -> Risk:
        if change.name in HARD_LIMITS and _lowers(change.before, change.after):
            return "data-loss"
        return super().field_risk(change)


def _lowers(before: Any, after: Any) -> bool:
    """Whether a limit goes down: None (no limit) is above every number."""
    if after is None:
        return False
    if before is None:
        return True
    try:
        return bool(after < before)
    except TypeError:
        return False


KIND = QuotaKind()
