"""ensure_shares over 1,000 shares in sync: a handful of list pages, no per-share reads (MANILA.md §1.4,
in-tree bug 12: at least four GETs per share). The shares are loaded as simulator state (``PUT
/_sim/state``), copied from one share the driver made, rather than made by 1,000 driver calls."""

from __future__ import annotations

import copy
import time
import uuid
from typing import Any

import pytest
from manila_testlib import calls, clear_calls, control, rule, share

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

COUNT = 1000


def clone_shares(sim: Simulator, template_id: str, count: int) -> list[str]:
    """Copy the template share's policy, quota, view and directory ``count`` times into the state."""
    state = control(sim, "GET", "/_sim/state")
    tables, tree = state["tables"], state["filesystem"]["1"]
    path = f"/manila/manila-{template_id}"
    policy = next(p for p in tables["viewpolicies"].values() if p["name"] == template_id)
    quota = next(q for q in tables["quotas"].values() if q["path"] == path)
    view = next(v for v in tables["views"].values() if v["path"] == path)
    ids = [f"bulk-{n:04d}" for n in range(count)]
    for instance_id in ids:
        new_path = f"/manila/manila-{instance_id}"
        records = {}
        for table, template in (("viewpolicies", policy), ("quotas", quota), ("views", view)):
            record = copy.deepcopy(template)
            record.update(id=state["next_ids"][table], guid=str(uuid.uuid4()), name=instance_id)
            if "path" in record:
                record["path"] = new_path
            tables[table][str(record["id"])] = record
            state["next_ids"][table] += 1
            records[table] = record
        records["views"]["policy_id"] = records["viewpolicies"]["id"]
        tree[new_path] = copy.deepcopy(tree[path])
    control(sim, "PUT", "/_sim/state", state)
    return ids


def test_ensure_1000_shares_in_sync_reads_a_few_pages(make_driver: Any, sim: Simulator) -> None:
    drv = make_driver()
    drv.create_share(None, share("template"))
    drv.update_access(None, share("template"), [rule("10.0.0.0/24"), rule("10.1.0.0/16", "ro")], [], [], [])
    ids = clone_shares(sim, "template", COUNT)
    clear_calls(sim)

    started = time.perf_counter()
    result = drv.ensure_shares(None, [share(i) for i in ids])
    elapsed = time.perf_counter() - started

    assert len(result) == COUNT
    assert all(r["status"] == "available" and r["reapply_access_rules"] is False for r in result.values())
    made = calls(sim)
    routes = [c["route"] for c in made]
    # One list per collection (1,001 views, quotas and policies span two pages of 1,000 each).
    assert all(c["method"] == "GET" for c in made), routes
    assert set(routes) == {"/vippools/", "/views/", "/quotas/", "/viewpolicies/"}
    assert len(made) <= 8, routes
    print(f"\nensure_shares over {COUNT} shares in sync: {len(made)} requests {routes}, {elapsed:.2f}s")
