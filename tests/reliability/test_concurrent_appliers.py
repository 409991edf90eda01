"""Two appliers at once, on overlapping specs, against one simulator: never a lost update.

Applier A and applier B each have their own client (their own login and connections) and run in their own
thread. Both specs declare the same contested objects with different values (a view policy's hosts, a
quota's hard limit, a view's protocols), both create the same new policy with different hosts, and each
has objects of its own. The two plan at the same moment, then apply at the same moment, with a little
random latency on every call so that their requests interleave differently in every trial.

Allowed outcomes for each applier: it converged; it was refused as stale before changing anything; its
create of the contested new policy lost the race and failed with the VMS's "must be unique" (reported in
``ApplyFailed``); or its verification found that the other applier had since changed a contested object
(``NotConverged`` naming only contested objects). Never: success without its own objects, a refusal that
changed something, a failure on an object nobody else touches.

After both: every contested object holds exactly the values of the *last write* the simulator accepted for
it (read from the call log) — one applier's intent, whole, never a mix and never an older value — and each
applier that had not converged converges when it applies again.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vastplan import api
from vastplan.engine.errors import ApplyFailed, NotConverged, StalePlanError
from vastplan.sim import Simulator

from .soaktools import FAST_STEPS, client_for, control, duplicates, scaled, seed_for

TRIALS = scaled(ci=20, soak=400)
GIB = 2**30

INTENT = {
    "A": {"hosts": ["10.0.0.0/8"], "limit": 1 * GIB, "protocols": ["NFS"], "new": ["10.10.0.0/16"]},
    "B": {
        "hosts": ["192.168.0.0/16"],
        "limit": 3 * GIB,
        "protocols": ["NFS", "NFS4"],
        "new": ["172.16.0.0/12"],
    },
}
CONTESTED = {
    "viewpolicy[race-shared]",
    "viewpolicy[race-new]",
    "quota[/race/shared]",
    "view[/race/shared]",
}


def document(who: str) -> dict[str, Any]:
    intent = INTENT[who]
    own = f"race-{who.lower()}"
    return {
        "version": 1,
        "viewpolicies": [
            {"name": "race-shared", "nfs_read_write": intent["hosts"]},
            {"name": "race-new", "nfs_read_write": intent["new"]},
            {"name": own, "nfs_read_only": ["10.20.0.0/16"]},
        ],
        "folders": [{"path": "/race/shared"}],
        "quotas": [{"name": "race-q", "path": "/race/shared", "hard_limit": intent["limit"]}],
        "views": [
            {"path": "/race/shared", "policy": "race-shared", "protocols": intent["protocols"]},
            {"path": f"/race/{own}", "policy": own, "protocols": ["NFS"], "create_dir": True},
        ],
    }


@dataclass
class Applier:
    who: str
    sim: Simulator
    start: threading.Barrier
    rng: random.Random
    outcome: str = "not run"
    error: BaseException | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        spec = api.load_documents([(f"{self.who}.yaml", document(self.who))])
        with client_for(self.sim) as client:
            client.cluster_version()  # log in before the race starts
            self.start.wait()
            plan = api.plan(client, spec)
            self.start.wait()
            try:
                api.apply(
                    client,
                    plan,
                    allow_data_loss=True,
                    parallelism=self.rng.choice((1, 2, 8)),
                    retry=FAST_STEPS,
                )
                self.outcome = "converged"
            except StalePlanError as exc:
                self.outcome, self.error = "refused as stale", exc
            except ApplyFailed as exc:
                self.outcome, self.error = "lost a create race", exc
                self.extra["failed"] = {r.address: r.error for r in exc.report.failed}
            except NotConverged as exc:
                self.outcome, self.error = "overtaken (not converged)", exc
                self.extra["addresses"] = set(exc.addresses)
            except BaseException as exc:  # noqa: BLE001 - reported by the test, in the main thread
                self.outcome, self.error = "crashed", exc


def seed_contested(client: Any) -> None:
    """The contested objects as they were before either applier: neither's intent."""
    policy = client.post("/viewpolicies/", {"name": "race-shared", "nfs_read_write": ["1.1.1.1"]})
    client.post("/folders/create_folder/", {"path": "/race/shared"})
    client.post("/quotas/", {"name": "race-q", "path": "/race/shared", "hard_limit": 2 * GIB})
    client.post("/views/", {"path": "/race/shared", "policy_id": policy["id"], "protocols": ["NFS"]})


def whose(value: Any, key: str) -> set[str]:
    return {who for who, intent in INTENT.items() if intent[key] == value}


def last_writes(calls: list[dict[str, Any]], ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    """For each contested object, the body of the last accepted write to it (from the call log)."""
    routes = {
        f"/viewpolicies/{ids['policy']}/": "policy",
        f"/quotas/{ids['quota']}/": "quota",
        f"/views/{ids['view']}/": "view",
    }
    last: dict[str, dict[str, Any]] = {}
    for call in calls:
        if call["status"] >= 300 or call["method"] not in ("PATCH", "POST"):
            continue
        name = routes.get(call["route"])
        if (
            name is None
            and call["route"] == "/viewpolicies/"
            and (call["body"] or {}).get("name") == "race-new"
        ):
            name = "new"
        if name is not None:
            last[name] = call["body"] or {}
    return last


def check_trial(sim: Simulator, appliers: list[Applier], context: str) -> None:
    for a in appliers:
        assert a.outcome != "crashed", f"{a.who} crashed: {a.error!r}: {context}"
        if a.outcome == "lost a create race":
            assert set(a.extra["failed"]) <= CONTESTED, f"{a.who}: {a.extra['failed']}: {context}"
            assert all("unique" in (e or "") for e in a.extra["failed"].values()), context
        if a.outcome == "overtaken (not converged)":
            assert a.extra["addresses"] <= CONTESTED, f"{a.who}: {a.extra['addresses']}: {context}"
    assert any(a.outcome != "refused as stale" for a in appliers), f"both refused: {context}"
    state = sim.state_dict()
    assert duplicates(state) == [], context
    tables = state["tables"]
    for a in appliers:
        own = f"race-{a.who.lower()}"
        exists = any(p["name"] == own for p in tables["viewpolicies"].values())
        if a.outcome == "refused as stale":  # a refusal changes nothing (DESIGN §5)
            assert not exists, f"{a.who} was refused yet created {own}: {context}"
        elif a.outcome in ("converged", "overtaken (not converged)"):
            assert exists, f"{a.who} reported success without its own policy: {context}"
    policy = next(p for p in tables["viewpolicies"].values() if p["name"] == "race-shared")
    quota = next(q for q in tables["quotas"].values() if q["name"] == "race-q")
    view = next(v for v in tables["views"].values() if v["path"] == "/race/shared" and v["tenant_id"] == 1)
    new = next((p for p in tables["viewpolicies"].values() if p["name"] == "race-new"), None)
    last = last_writes(sim.calls, {"policy": policy["id"], "quota": quota["id"], "view": view["id"]})
    # The final value of each contested object is that of the last write accepted for it: nothing lost.
    if "policy" in last:
        assert policy["nfs_read_write"] == last["policy"]["nfs_read_write"], context
        assert whose(policy["nfs_read_write"], "hosts"), context
    if "quota" in last:
        assert quota["hard_limit"] == last["quota"]["hard_limit"], context
        assert whose(quota["hard_limit"], "limit"), context
    if "view" in last:
        assert sorted(view["protocols"]) == sorted(last["view"]["protocols"]), context
        assert whose(sorted(view["protocols"]), "protocols"), context
    assert new is not None and new["nfs_read_write"] == last["new"]["nfs_read_write"], context
    writers = {a.who for a in appliers if a.outcome != "refused as stale"}
    for name, key, value in (
        ("policy", "hosts", policy["nfs_read_write"]),
        ("quota", "limit", quota["hard_limit"]),
        ("view", "protocols", sorted(view["protocols"])),
        ("new", "new", new["nfs_read_write"]),
    ):
        assert whose(value, key) & writers, f"{name} holds {value}, no writer's intent: {context}"


def heal(sim: Simulator, who: str, context: str) -> None:
    spec = api.load_documents([(f"{who}.yaml", document(who))])
    with client_for(sim) as client:
        result = api.plan_and_apply(client, spec, allow_data_loss=True, retry=FAST_STEPS)
        assert result.verification is not None and not result.verification.has_changes, context
        assert not api.plan(client, spec).has_changes, context


def test_two_appliers_never_lose_an_update(record_property: Any) -> None:
    seed = seed_for("two-appliers")
    record_property("seed", seed)
    print(f"\ntwo appliers: seed {seed}, {TRIALS} trials (replay: VASTPLAN_SEED={seed})")
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    for trial in range(TRIALS):
        sim = Simulator()
        with client_for(sim) as setup:
            seed_contested(setup)
            control(setup, "POST", "faults", {"latency_ms": rng.randint(1, 6)})
            control(setup, "DELETE", "calls")
        start = threading.Barrier(2, timeout=60)
        appliers = [Applier(who, sim, start, random.Random(rng.random())) for who in ("A", "B")]
        threads = [threading.Thread(target=a.run, name=f"applier-{a.who}") for a in appliers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
            assert not t.is_alive(), f"an applier hung (seed {seed}, trial {trial})"
        context = f"seed {seed}, trial {trial}: " + ", ".join(f"{a.who} {a.outcome}" for a in appliers)
        outcomes.update(a.outcome for a in appliers)
        with client_for(sim) as cleanup:
            control(cleanup, "DELETE", "faults")
        check_trial(sim, appliers, context)
        # Whoever did not converge converges when it applies again; then the other's spec, applied last,
        # holds everywhere.
        for a in appliers:
            if a.outcome != "converged":
                heal(sim, a.who, context)
        order = [a.who for a in appliers if a.outcome == "converged"] + [
            a.who for a in appliers if a.outcome != "converged"
        ]
        heal(sim, order[-1], context)
    print(f"two appliers: outcomes over {TRIALS} trials: {dict(outcomes)}")
