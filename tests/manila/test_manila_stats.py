"""stats: capacity metrics → scheduler capabilities (pure)."""

from __future__ import annotations

import pytest

from manila_vast.stats import (
    CAPACITY_METRICS,
    Reservations,
    StatsError,
    capability_stats,
    last_sample,
    provisioned_bytes,
)
from manila_vast.targets import GIB

ANSWER = {
    "prop_list": ["timestamp", "object_id", *CAPACITY_METRICS],
    "data": [
        ["2026-01-01T00:00:00Z", 1, 1.0, 100.0 * GIB, 10.0 * GIB, 50.0 * GIB, 5.0 * GIB],
        ["2026-01-01T00:01:00Z", 1, 1.5, 200.0 * GIB, 50.0 * GIB, 100.0 * GIB, 25.0 * GIB],
    ],
}


def test_last_sample_is_the_newest_row() -> None:
    sample = last_sample(ANSWER)
    assert sample["drr"] == 1.5 and sample["logical_space"] == 200.0 * GIB


def test_no_samples() -> None:
    with pytest.raises(StatsError):
        last_sample({"prop_list": ["timestamp"], "data": []})


def test_capability_stats() -> None:
    stats = capability_stats(
        last_sample(ANSWER),
        provisioned=provisioned_bytes([{"hard_limit": 3 * GIB}, {"hard_limit": None}, {"hard_limit": GIB}]),
        reservations=Reservations(5, None, 7, 3.0),
    )
    assert stats["total_capacity_gb"] == 200.0
    assert stats["free_capacity_gb"] == 150.0
    assert stats["provisioned_capacity_gb"] == 4.0
    assert stats["thin_provisioning"] is True
    assert stats["max_over_subscription_ratio"] == 3.0
    assert (
        stats["reserved_percentage"],
        stats["reserved_snapshot_percentage"],
        stats["reserved_share_extend_percentage"],
    ) == (5, 5, 7)
    assert stats["data_reduction"] == 1.5
