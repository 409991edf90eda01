"""Capacity metrics and quotas → the capability dict manila's scheduler reads. Pure; no manila import.

What the in-tree driver got wrong and this module does instead (MANILA.md §1.5, §2.3 bug 15):

- ``thin_provisioning`` is reported (VAST quotas reserve nothing), with ``max_over_subscription_ratio``
  from the backend section;
- ``provisioned_capacity_gb`` is the sum of this backend's quota hard limits, not the cluster's used space;
- the ``reserved_*`` percentages of the backend section are passed on (the base class never reads them);
- ``dedupe`` and ``compression`` are True: VAST reduces every byte it stores;
- the snapshot capabilities say what works (docs/manila.md, "Snapshots"): snapshots; shares from snapshots
  when the cluster can clone them (VAST 4.6 or later); mountable snapshots, whose access is the share's
  (``snapshot_inherit_share_access_support``); no revert (VAST restores only protected paths).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from manila_vast.targets import GIB

__all__ = [
    "CAPACITY_METRICS",
    "Reservations",
    "StatsError",
    "capability_stats",
    "last_sample",
    "provisioned_bytes",
]

#: What the capacity query asks for (VMS_API.md §4.10); the same metrics as the in-tree driver.
CAPACITY_METRICS: tuple[str, ...] = (
    "Capacity,drr",
    "Capacity,logical_space",
    "Capacity,logical_space_in_use",
    "Capacity,physical_space",
    "Capacity,physical_space_in_use",
)


class StatsError(ValueError):
    """The cluster's metrics answer cannot be read (no samples, missing metrics)."""


@dataclass(frozen=True)
class Reservations:
    """The backend section's reservation and over-subscription settings, as manila defines them."""

    share_percentage: int = 0
    snapshot_percentage: int | None = None
    extend_percentage: int | None = None
    max_over_subscription_ratio: float = 20.0

    def as_stats(self) -> dict[str, Any]:
        # The from-snapshot and extend reservations default to the share reservation, as Infinidat and
        # manila's option help describe (MANILA.md §1.5).
        return {
            "reserved_percentage": self.share_percentage,
            "reserved_snapshot_percentage": self.snapshot_percentage or self.share_percentage,
            "reserved_share_extend_percentage": self.extend_percentage or self.share_percentage,
            "max_over_subscription_ratio": self.max_over_subscription_ratio,
        }


def last_sample(response: Mapping[str, Any]) -> dict[str, float]:
    """The newest row of an ``ad_hoc_query`` answer, by metric name without its group.

    The answer is ``{prop_list: ["timestamp", "object_id", "Capacity,drr", ...], data: [[...], ...]}``;
    the last row is the newest (VMS_API.md §4.10).
    """
    props, rows = response.get("prop_list") or [], response.get("data") or []
    if not rows:
        raise StatsError("the cluster returned no capacity samples")
    sample = {name.partition(",")[2]: value for name, value in zip(props, rows[-1]) if "," in str(name)}
    missing = [m for m in ("logical_space", "logical_space_in_use") if sample.get(m) is None]
    if missing:
        raise StatsError(f"the cluster's capacity answer lacks {', '.join(missing)}")
    return sample


def provisioned_bytes(quotas: Iterable[Mapping[str, Any]]) -> int:
    """The sum of the hard limits of the backend's quotas (unlimited quotas count as 0)."""
    return sum(int(q.get("hard_limit") or 0) for q in quotas)


def capability_stats(
    sample: Mapping[str, float], *, provisioned: int, reservations: Reservations, clone_support: bool = True
) -> dict[str, Any]:
    """The capacity and capability part of the stats dict (the driver adds names and versions).
    ``clone_support``: whether the cluster can clone a snapshot into a new share (VAST 4.6 or later)."""
    total = float(sample["logical_space"])
    used = float(sample["logical_space_in_use"])
    stats: dict[str, Any] = {
        "total_capacity_gb": total / GIB,
        "free_capacity_gb": max(total - used, 0.0) / GIB,
        "provisioned_capacity_gb": provisioned / GIB,
        "thin_provisioning": True,
        "dedupe": True,
        "compression": True,
        "snapshot_support": True,
        "create_share_from_snapshot_support": bool(clone_support),
        "revert_to_snapshot_support": False,
        "mount_snapshot_support": True,
        "snapshot_inherit_share_access_support": True,
    }
    if sample.get("drr") is not None:
        # Kept under the in-tree driver's name so that share types filtering on it keep working.
        stats["data_reduction"] = sample["drr"]
    stats.update(reservations.as_stats())
    return stats
