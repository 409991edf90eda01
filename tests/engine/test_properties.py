"""The convergence law, by hypothesis (DESIGN §11): for any live state and any spec, apply then plan gives
no changes, and nothing outside the scope changes — also while the VMS misbehaves.

Live states are built through the simulator's API; specs through the real loader. The universe is small on
purpose (a few names and paths inside ``/p`` / ``in-`` and outside ``/o`` / ``out-``), so that the random
cases collide: the same object declared, pruned, replaced, or left alone.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from vastplan import api
from vastplan.client import VmsClient
from vastplan.engine.errors import ApplyFailed
from vastplan.engine.executor import RetryPolicy
from vastplan.sim import Simulator

from .conftest import connect
from .simtools import clear_faults, duplicates, inject, load, outside

SCOPE_PATHS, SCOPE_NAMES = ("/p",), ("in-",)
HOSTS = ["10.0.0.0/24", "10.0.1.0/24", "2001:db8::/64", "192.0.2.7"]
PROTOCOLS = ["NFS", "NFS4"]
IN_POLICIES, OUT_POLICIES = ["in-a", "in-b"], ["out-a"]
IN_VIEWS, OUT_VIEWS = ["/p/v1", "/p/v2"], ["/o/v1"]
IN_QUOTAS, OUT_QUOTAS = ["/p/v1", "/p/q1"], ["/o/q1"]
LIMITS = [2**30, 2 * 2**30, None]
RETRY = RetryPolicy(attempts=4, base_delay=0.0, max_delay=0.0)

hosts = st.lists(st.sampled_from(HOSTS), max_size=3, unique=True)
protocols = st.lists(st.sampled_from(PROTOCOLS), min_size=1, max_size=2, unique=True)


def coin(draw: st.DrawFn) -> bool:
    flip: bool = draw(st.booleans())
    return flip


def quota_name(path: str) -> str:
    prefix = "in-" if path.startswith("/p") else "out-"
    return prefix + "q" + path.replace("/", "-")


@st.composite
def live_states(draw: st.DrawFn) -> dict[str, Any]:
    """What to create on the cluster before planning: policies, views on them, quotas, snapshots."""
    policies = {n: draw(hosts) for n in IN_POLICIES + OUT_POLICIES if coin(draw)}
    in_policies = [p for p in IN_POLICIES if p in policies]
    out_policies = [p for p in OUT_POLICIES if p in policies]
    views: dict[str, Any] = {}
    for path in IN_VIEWS + OUT_VIEWS:
        usable = in_policies if path.startswith("/p") else out_policies
        if usable and coin(draw):
            views[path] = (draw(st.sampled_from(usable)), draw(protocols))
    quotas = {p: draw(st.sampled_from(LIMITS[:2])) for p in IN_QUOTAS + OUT_QUOTAS if coin(draw)}
    snapshots: dict[str, str] = {}
    for name, paths in (
        ("in-s1", [p for p in views if p.startswith("/p")]),
        ("out-s1", [p for p in views if p.startswith("/o")]),
    ):
        if paths and coin(draw):
            snapshots[name] = draw(st.sampled_from(paths))
    return {"policies": policies, "views": views, "quotas": quotas, "snapshots": snapshots}


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid spec over the in-scope universe, maybe pruning."""
    policies = [
        {"name": n, "nfs_read_only": draw(hosts), "nfs_read_write": []} for n in IN_POLICIES if coin(draw)
    ]
    names = [p["name"] for p in policies]
    views: list[dict[str, Any]] = []
    for path in IN_VIEWS:
        choice = draw(st.sampled_from(["present", "absent", "undeclared"]))
        if choice == "present" and names:
            views.append(
                {
                    "path": path,
                    "policy": draw(st.sampled_from(names)),
                    "protocols": draw(protocols),
                    "create_dir": True,
                }
            )
        elif choice == "absent":
            views.append({"path": path, "state": "absent"})
    quotas: list[dict[str, Any]] = []
    for path in IN_QUOTAS:
        choice = draw(st.sampled_from(["present", "absent", "undeclared"]))
        if choice == "present":
            limit = draw(st.sampled_from(LIMITS))
            quotas.append(
                {
                    "name": quota_name(path),
                    "path": path,
                    "create_dir": True,
                    **({"hard_limit": limit} if limit else {}),
                }
            )
        elif choice == "absent":
            quotas.append({"name": quota_name(path), "path": path, "state": "absent"})
    snapshots: list[dict[str, Any]] = []
    present_views = [v["path"] for v in views if v.get("state") != "absent"]
    if present_views and coin(draw):
        snapshots.append({"name": "in-s1", "path": draw(st.sampled_from(present_views)) + "/"})
    elif coin(draw):
        snapshots.append({"name": "in-s1", "path": "/p/", "state": "absent"})
    prune = coin(draw)
    return {
        "scope": {"paths": list(SCOPE_PATHS), "names": list(SCOPE_NAMES), "prune": prune},
        "viewpolicies": policies,
        "views": views,
        "quotas": quotas,
        "snapshots": snapshots,
    }


def build(client: VmsClient, state: dict[str, Any]) -> None:
    ids = {}
    for name, rw in state["policies"].items():
        ids[name] = client.post("/viewpolicies/", {"name": name, "nfs_read_write": rw})["id"]
    for path, limit in state["quotas"].items():
        client.post(
            "/quotas/", {"name": quota_name(path), "path": path, "hard_limit": limit, "create_dir": True}
        )
    for path, (policy, protos) in state["views"].items():
        client.post(
            "/views/", {"path": path, "policy_id": ids[policy], "protocols": protos, "create_dir": True}
        )
    for name, path in state["snapshots"].items():
        client.post("/snapshots/", {"name": name, "path": path + "/"})


def converge(client: VmsClient, doc: dict[str, Any]) -> None:
    spec = load(doc)
    try:
        api.plan_and_apply(client, spec, allow_data_loss=True, retry=RETRY, parallelism=4)
    except ApplyFailed:
        # A failure retries could not fix: the next plan continues from wherever it stopped (DESIGN §6).
        clear_faults(client)
        api.plan_and_apply(client, spec, allow_data_loss=True, retry=RETRY, parallelism=4)


def check_law(
    client: VmsClient, state: dict[str, Any], doc: dict[str, Any], faults: list[dict[str, Any]]
) -> None:
    build(client, state)
    before = outside(client, SCOPE_PATHS, SCOPE_NAMES)
    for fault in faults:
        inject(client, **fault)
    converge(client, doc)
    clear_faults(client)
    assert not api.plan(client, load(doc)).has_changes
    assert outside(client, SCOPE_PATHS, SCOPE_NAMES) == before
    assert duplicates(client) == []


@given(state=live_states(), doc=specs())
def test_apply_then_plan_gives_no_changes(state: dict[str, Any], doc: dict[str, Any]) -> None:
    with connect(Simulator()) as client:
        check_law(client, state, doc, [])


FAULTS = st.lists(
    st.sampled_from(
        [
            {"method": "POST", "status": 503, "times": 2},
            {"method": "PATCH", "status": 503, "times": 5},
            {"method": "DELETE", "status": 502, "times": 1},
            {"latency_ms": 1, "times": 5},
            {"method": "POST", "drop_after_commit": True, "times": 1},
            {"method": "DELETE", "drop_after_commit": True, "times": 1},
            {"expire_tokens": True},
        ]
    ),
    max_size=3,
)


@given(state=live_states(), doc=specs(), faults=FAULTS)
def test_the_law_holds_while_the_vms_misbehaves(
    state: dict[str, Any], doc: dict[str, Any], faults: list[dict[str, Any]]
) -> None:
    with connect(Simulator()) as client:
        check_law(client, state, doc, faults)
