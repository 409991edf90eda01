"""``ensure_shares`` over N shares in sync: ours against the in-tree VAST driver, same simulator.

The shares are made once by our driver (a template share with two access rules), copied N times in the
state document and loaded with ``PUT /_sim/state``. Both drivers see them as theirs and in sync: same
directory, policy, quota and view names (DESIGN §9), a quota of the share's size, a view on its policy.
Every run must change nothing; a run that does is reported as an error, not measured.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from benchmarks.harness import CallCount, Served, Timing, served, timed
from benchmarks.manila_drivers import in_tree_driver, instance_id, our_driver, rule, share
from benchmarks.states import share_unit_copies, template

ROOT = "/manila"


@dataclass
class EnsureResult:
    """One driver's ``ensure_shares`` on a cluster of ``shares`` shares.

    When the full run would take longer than the time budget, the driver is measured on ``measured``
    shares spread over the cluster (the rest of the cluster is still there: each lookup still searches
    all of it), and calls and time are scaled to ``shares``; ``extrapolated`` says so.
    """

    driver: str
    shares: int
    measured: int
    calls: CallCount
    timing: Timing
    extrapolated: bool = False

    @property
    def calls_at_size(self) -> float:
        return self.calls.total * self.shares / self.measured

    @property
    def seconds_at_size(self) -> float:
        return self.timing.median * self.shares / self.measured


def build_shares(sim: Served, count: int) -> list[dict[str, Any]]:
    """``count`` shares in sync on the simulator; returns the share instances manila would pass."""
    ours = our_driver(sim)
    first = instance_id(0)
    ours.create_share(None, share(first))
    rules = [rule("10.0.0.0/24", "rw", 1), rule("10.1.0.0/16", "ro", 2)]
    ours.update_access(None, share(first), rules, [], [], [])
    state = sim.control.state()
    path = f"{ROOT}/manila-{first}"
    templates = {
        "viewpolicies": template(state, "viewpolicies", name=first),
        "quotas": template(state, "quotas", path=path),
        "views": template(state, "views", path=path),
    }
    ids = [instance_id(n) for n in range(1, count)]
    share_unit_copies(
        state, templates, len(ids), directory_of=lambda i: f"{ROOT}/manila-{ids[i]}", name_of=ids.__getitem__
    )
    sim.control.load(state)
    return [share(first), *(share(i) for i in ids)]


def _check_ours(result: dict[str, Any], count: int) -> None:
    assert len(result) == count, len(result)
    bad = [k for k, v in result.items() if v.get("status") != "available" or v.get("reapply_access_rules")]
    assert not bad, f"ensure_shares found {len(bad)} shares out of sync, e.g. {bad[:3]}"


def _check_in_tree(result: dict[str, Any], count: int) -> None:
    assert len(result) == count, len(result)
    assert all(v.get("export_locations") for v in result.values())


def measure(
    sim: Served,
    shares: list[dict[str, Any]],
    which: str,
    repeat: int,
    *,
    cluster_size: int | None = None,
    budget_s: float = float("inf"),
) -> EnsureResult:
    """Median wall time of up to ``repeat`` runs of one driver's ``ensure_shares`` (fewer when the runs
    so far say the next would end past ``budget_s``); the calls of the last run."""
    driver = our_driver(sim) if which == "ours" else in_tree_driver(sim)
    check = _check_ours if which == "ours" else _check_in_tree
    timing = Timing()
    calls = None
    while len(timing.runs) < repeat and sum(timing.runs) + max(timing.runs, default=0) <= budget_s:
        sim.control.clear_calls()
        result, elapsed = timed(lambda: driver.ensure_shares(None, shares))
        calls = CallCount.of(sim.control.calls())
        check(result, len(shares))
        assert calls.mutations == 0, f"{which}: an ensure_shares in sync changed something: {calls.by_route}"
        timing.runs.append(elapsed)
    assert calls is not None
    size = cluster_size or len(shares)
    return EnsureResult(which, size, len(shares), calls, timing, extrapolated=size != len(shares))


def spread(shares: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """``count`` shares evenly spread over the list (first and last included)."""
    if count >= len(shares):
        return shares
    if count == 1:
        return [shares[len(shares) // 2]]
    step = (len(shares) - 1) / (count - 1)
    return [shares[round(i * step)] for i in range(count)]


def run(
    sizes: list[int], repeat: int, *, budget_s: float, sample: int, costs: dict[int, dict[str, float]]
) -> list[EnsureResult]:
    """Both drivers at each size, against one served simulator loaded with that many shares.

    Ours runs on every share. The in-tree driver makes the same lookups for every share, so its cost is
    linear in the shares ensured: a probe on two shares gives the cost of one. When one run over every
    share fits in ``budget_s`` seconds it runs on every share (as many times as fit, up to ``repeat``);
    otherwise on as many shares as fit (spread over the cluster, at most ``sample``), scaled to the size —
    marked as such in the results.
    """
    results = []
    for size in sizes:
        with served() as sim:
            shares = build_shares(sim, size)
            costs[size] = lookup_costs(sim, shares)
            results.append(measure(sim, shares, "ours", repeat, budget_s=budget_s))
            probe = measure(sim, spread(shares, 2), "in-tree", 1)
            per_share = probe.timing.median / probe.measured
            if per_share * size <= budget_s:  # at least one run over every share fits
                results.append(measure(sim, shares, "in-tree", repeat, budget_s=budget_s))
                continue
            fits = int(budget_s / (per_share * repeat))
            chosen = spread(shares, max(3, min(sample, fits)))
            results.append(measure(sim, chosen, "in-tree", repeat, cluster_size=size, budget_s=budget_s))
    return results


def profile_at(size: int) -> dict[str, Any]:
    with served() as sim:
        shares = build_shares(sim, size)
        return hotspots(sim, shares)


def lookup_costs(sim: Served, shares: list[dict[str, Any]]) -> dict[str, float]:
    """What one lookup costs the simulator at this size: a ``?name=`` GET per collection, as the in-tree
    driver makes four per share, answered by an in-process copy of the simulator (no HTTP, one thread)."""
    from vastplan.sim import Simulator

    local = Simulator()
    local.load_state_dict(sim.control.state())
    basic = {"Authorization": "Basic YWRtaW46MTIzNDU2"}  # admin:123456, the simulator's demo user
    name = shares[len(shares) // 2]["id"]
    costs = {}
    for collection in ("vippools", "views", "quotas", "viewpolicies"):
        query = f"name={name}" if collection != "vippools" else "name=vippool-1"
        costs[collection] = timed(
            functools.partial(local.handle, "GET", f"/api/{collection}/?{query}", basic)
        )[1]
    return costs


def hotspots(sim: Served, shares: list[dict[str, Any]]) -> dict[str, Any]:
    """Where ours spends an ``ensure_shares`` of every share, profiled in one thread: the simulator
    in-process (its transport), loaded with the same state."""
    from benchmarks.profiles import profile
    from vastplan.sim import Simulator

    local = Simulator()
    local.load_state_dict(sim.control.state())
    driver = our_driver(None, adapter=local.adapter())
    total, top = profile(lambda: driver.ensure_shares(None, shares))
    return {"shares": len(shares), "ours_total_s": total, "ours_top": [h.__dict__ for h in top]}
