"""The REST calls of a plan grow with pages, not with objects (DESIGN §2)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from vastplan import api
from vastplan.client import VmsClient
from vastplan.sim import Simulator

from .conftest import connect
from .simtools import calls, clear_calls, load

PAGE_SIZE = 500


def seed(client: VmsClient, count: int) -> dict[str, Any]:
    """``count`` objects straight through the API (1 policy, then quotas and views half and half), and
    the spec that declares exactly them."""
    policy = client.post("/viewpolicies/", {"name": "scale-p", "nfs_read_write": ["10.0.0.0/8"]})
    quotas, views = [], []
    for n in range((count - 1) // 2):
        path = f"/scale/q{n:05d}"
        client.post(
            "/quotas/", {"name": f"scale-q{n:05d}", "path": path, "hard_limit": 2**30, "create_dir": True}
        )
        quotas.append({"name": f"scale-q{n:05d}", "path": path, "hard_limit": "1GiB", "create_dir": True})
    for n in range(count - 1 - len(quotas)):
        path = f"/scale/v{n:05d}"
        client.post(
            "/views/", {"path": path, "policy_id": policy["id"], "create_dir": True, "protocols": ["NFS"]}
        )
        views.append({"path": path, "policy": "scale-p", "protocols": ["NFS"], "create_dir": True})
    return {
        "viewpolicies": [{"name": "scale-p", "nfs_read_write": ["10.0.0.0/8"]}],
        "quotas": quotas,
        "views": views,
    }


def no_change_plan_calls(count: int) -> tuple[int, float]:
    sim = Simulator()
    with connect(sim, page_size=PAGE_SIZE) as client:
        spec = load(seed(client, count))
        client.cluster_version()
        clear_calls(client)
        started = time.perf_counter()
        plan = api.plan(client, spec)
        elapsed = time.perf_counter() - started
        assert not plan.has_changes and plan.summary["noop"] == count
        return len(calls(client)), elapsed


@pytest.mark.parametrize("small, large", [(20, 2000)])
def test_calls_grow_with_pages_not_objects(small: int, large: int) -> None:
    few, _ = no_change_plan_calls(small)
    many, _ = no_change_plan_calls(large)
    # clusters + tenants + one list per kind; views and quotas take ceil(1000 / 500) = 2 pages each at 2,000.
    assert few == 5
    assert many == few + 2
