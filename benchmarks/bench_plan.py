"""``plan`` (the engine API) over N objects, with no changes and with 10 % drift.

The cluster is a simulator in its own process (``vastplan sim serve``), so that the time and memory
measured in this process are the engine's and the client's alone; the time spent waiting for the
simulator's answers is measured too (the client's ``on_request`` hook) and reported apart.

The objects: per 151, 50 directories each holding a view, a quota and a snapshot, and one view policy
shared by those 50 views (operators have few policies and many exports). With drift, 10 % of the objects
differ from the spec: a third of them quotas with another hard limit, a third views with an extra
protocol, a third snapshots that are missing.
"""

from __future__ import annotations

import math
import random
import tracemalloc
from dataclasses import dataclass
from typing import Any

from benchmarks.harness import (
    CallCount,
    InProcess,
    RequestClock,
    Subprocess,
    Timing,
    simulator_process,
    timed,
)
from benchmarks.states import add_copy, add_directory, template
from vastplan import api
from vastplan.spec.model import Spec

GIB = 2**30
UNITS_PER_POLICY = 50


@dataclass(frozen=True)
class Layout:
    units: int
    policies: int

    @classmethod
    def for_objects(cls, objects: int) -> Layout:
        units = objects * UNITS_PER_POLICY // (3 * UNITS_PER_POLICY + 1)
        return cls(units, objects - 3 * units)

    @property
    def objects(self) -> int:
        return 3 * self.units + self.policies

    def policy(self, unit: int) -> str:
        return f"bench-p{unit * self.policies // self.units:04d}"

    @staticmethod
    def directory(unit: int) -> str:
        return f"/bench/d{unit // 1000:03d}/u{unit:05d}"


@dataclass
class PlanResult:
    objects: int
    drift: float
    changes: int
    calls: CallCount
    wall: Timing
    waiting: Timing
    peak_bytes: int
    load_spec_s: float

    @property
    def engine_s(self) -> float:
        """Median time outside the simulator: wall minus waiting, run by run."""
        return sorted(w - s for w, s in zip(self.wall.runs, self.waiting.runs))[len(self.wall.runs) // 2]


def _templates() -> dict[str, Any]:
    """One record of each kind made through the real API: the shape every copy takes."""
    sim = InProcess()
    with sim.client() as client:
        policy = client.post("/viewpolicies/", {"name": "t-p", "nfs_read_write": ["10.0.0.0/8"]})
        client.post(
            "/views/", {"path": "/t/d", "policy_id": policy["id"], "protocols": ["NFS"], "create_dir": True}
        )
        client.post("/quotas/", {"name": "t-q", "path": "/t/d", "hard_limit": GIB})
        client.post("/snapshots/", {"name": "t-s", "path": "/t/d"})
    state = sim.control.state()
    return {
        "state": state,
        "viewpolicies": template(state, "viewpolicies", name="t-p"),
        "views": template(state, "views", path="/t/d"),
        "quotas": template(state, "quotas", name="t-q"),
        "snapshots": template(state, "snapshots", name="t-s"),
    }


def build(objects: int, drift: float, seed: int = 7) -> tuple[dict[str, Any], dict[str, Any], int]:
    """(state, spec document, number of drifted objects) for ``objects`` objects."""
    made = _templates()
    state = made["state"]
    for table in ("viewpolicies", "views", "quotas", "snapshots"):
        state["tables"][table].clear()
    layout = Layout.for_objects(objects)
    rng = random.Random(seed)
    drifted = set(rng.sample(range(3 * layout.units), round(drift * layout.objects)))
    policy_ids: dict[str, int] = {}
    doc: dict[str, list[dict[str, Any]]] = {"viewpolicies": [], "views": [], "quotas": [], "snapshots": []}
    for p in range(layout.policies):
        name = f"bench-p{p:04d}"
        policy_ids[name] = add_copy(state, "viewpolicies", made["viewpolicies"], name=name)["id"]
        doc["viewpolicies"].append({"name": name, "nfs_read_write": ["10.0.0.0/8"]})
    for u in range(layout.units):
        path, policy = layout.directory(u), layout.policy(u)
        add_directory(state, path)
        protocols = ["NFS", "NFS4"] if 3 * u in drifted else ["NFS"]
        add_copy(state, "views", made["views"], path=path, policy_id=policy_ids[policy], protocols=protocols)
        limit = 2 * GIB if 3 * u + 1 in drifted else GIB
        add_copy(state, "quotas", made["quotas"], name=f"bench-q{u:05d}", path=path, hard_limit=limit)
        if 3 * u + 2 not in drifted:
            add_copy(state, "snapshots", made["snapshots"], name=f"bench-s{u:05d}", path=path + "/")
        doc["views"].append({"path": path, "policy": policy, "protocols": ["NFS"]})
        doc["quotas"].append({"name": f"bench-q{u:05d}", "path": path, "hard_limit": GIB})
        doc["snapshots"].append({"name": f"bench-s{u:05d}", "path": path + "/"})
    return state, {"version": 1, **doc}, len(drifted)


def load(doc: dict[str, Any]) -> tuple[Spec, float]:
    spec, seconds = timed(lambda: api.load_documents([("bench.yaml", doc)]))
    return spec, seconds


def measure(sim: Subprocess, objects: int, drift: float, repeat: int) -> PlanResult:
    state, doc, drifted = build(objects, drift)
    sim.control.load(state)
    spec, load_s = load(doc)
    clock = RequestClock()
    wall, waiting = Timing(), Timing()
    with sim.client(on_request=clock) as client:
        client.cluster_version()  # log in and learn the version once, as a long-lived caller would
        plan = None
        for _ in range(repeat):
            sim.control.clear_calls()
            clock.reset()
            plan, elapsed = timed(lambda: api.plan(client, spec))
            wall.runs.append(elapsed)
            waiting.runs.append(clock.waiting)
        calls = CallCount.of(sim.control.calls())
        assert plan is not None
        changes = len(plan.changes)
        assert changes == drifted, (
            f"{objects} objects, {drift:.0%} drift: {changes} changes, {drifted} drifted"
        )
        tracemalloc.start()
        try:
            api.plan(client, spec)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return PlanResult(objects, drift, changes, calls, wall, waiting, peak, load_s)


def run(sizes: list[int], repeat: int) -> list[PlanResult]:
    results = []
    with simulator_process() as sim:
        measure(sim, 151, 0.0, 1)  # warm up: imports, first connections
        for drift in (0.0, 0.1):
            for size in sizes:
                results.append(measure(sim, size, drift, repeat))
                sim.control("POST", "reset")
    return results


def exponent(points: list[tuple[float, float]]) -> float:
    """The slope of log(y) against log(x), least squares: 1 means linear growth, 2 quadratic."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(max(y, 1e-9)) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def profile_at(objects: int, drift: float = 0.1) -> dict[str, Any]:
    """cProfile of one plan (the engine's own code: the simulator runs in another process)."""
    from benchmarks.profiles import profile

    state, doc, _ = build(objects, drift)
    spec, _ = load(doc)
    with simulator_process() as sim:
        sim.control.load(state)
        with sim.client() as client:
            client.cluster_version()
            total, own = profile(lambda: api.plan(client, spec))
            _, cumulative = profile(lambda: api.plan(client, spec), top=14, by="cumtime")
    return {
        "objects": objects,
        "drift": drift,
        "total_s": total,
        "own": [h.__dict__ for h in own],
        "cumulative": [h.__dict__ for h in cumulative],
    }
