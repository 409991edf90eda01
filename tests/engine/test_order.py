"""order + lower: the dependency graph, the order of steps, $ref, lookups (DESIGN §3)."""

from __future__ import annotations

from typing import Any

from vastplan.engine.compare import compare, desired_state
from vastplan.engine.lower import lower
from vastplan.engine.order import build_graph, topological

from .specs import make_spec
from .states import live_state


def plan_steps(
    spec: dict[str, Any], records: dict[str, list[dict[str, Any]]] | None = None
) -> list[dict[str, Any]]:
    parsed = make_spec(spec)
    live = live_state(records or {})
    graph = build_graph(compare(desired_state(parsed), live, parsed.scope))
    lowered = lower(topological(graph), graph, live)
    assert not lowered.diagnostics
    return lowered.steps


def by_op(steps: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["address"], s["action"]): s for s in steps}


def waits_for(steps: list[dict[str, Any]], waiter: tuple[str, str], first: tuple[str, str]) -> bool:
    """Whether ``waiter`` (transitively) depends on ``first``."""
    index = by_op(steps)
    ids = {s["id"]: s for s in steps}
    target, seen = index[first]["id"], set()
    todo = list(index[waiter]["depends_on"])
    while todo:
        step_id = todo.pop()
        if step_id == target:
            return True
        if step_id not in seen:
            seen.add(step_id)
            todo.extend(ids[step_id]["depends_on"])
    return False


def assert_topological(steps: list[dict[str, Any]]) -> None:
    position = {s["id"]: n for n, s in enumerate(steps)}
    for step in steps:
        assert all(position[d] < position[step["id"]] for d in step["depends_on"]), step


DIAMOND = {
    "tenants": [{"name": "t2"}],
    "viewpolicies": [{"name": "p", "tenant": "t2"}],
    "quotas": [{"name": "qa", "path": "/a", "tenant": "t2"}],
    "views": [{"path": "/a", "policy": "p", "tenant": "t2"}, {"path": "/b", "policy": "p", "tenant": "t2"}],
    "snapshots": [{"name": "s", "path": "/a/", "tenant": "t2"}],
}


def test_diamond_of_creates() -> None:
    steps = plan_steps(DIAMOND)
    assert_topological(steps)
    assert [s["address"] for s in steps] == [
        "tenant[t2]",
        "viewpolicy[p]",
        "quota[t2:/a]",
        "view[t2:/a]",
        "view[t2:/b]",
        "snapshot[s]",
    ]
    for view in ("view[t2:/a]", "view[t2:/b]"):
        assert waits_for(steps, (view, "create"), ("viewpolicy[p]", "create"))
        assert waits_for(steps, (view, "create"), ("tenant[t2]", "create"))
    # A quota before the view on the same path, so no export is ever unlimited (DESIGN §3).
    assert waits_for(steps, ("view[t2:/a]", "create"), ("quota[t2:/a]", "create"))
    assert not waits_for(steps, ("view[t2:/b]", "create"), ("quota[t2:/a]", "create"))
    assert waits_for(steps, ("snapshot[s]", "create"), ("view[t2:/a]", "create"))


def test_ids_known_only_after_an_earlier_step_are_refs() -> None:
    index = by_op(plan_steps(DIAMOND))
    assert index[("viewpolicy[p]", "create")]["body"]["tenant_id"] == {"$ref": "tenant[t2].id"}
    view = index[("view[t2:/a]", "create")]
    assert view["body"]["policy_id"] == {"$ref": "viewpolicy[p].id"}
    assert view["lookup"] == {
        "path": "/views/",
        "params": {"path": "/a", "tenant_id": {"$ref": "tenant[t2].id"}},
    }


def test_live_ids_are_used_when_the_object_exists() -> None:
    steps = plan_steps(
        {"viewpolicies": [{"name": "p"}], "views": [{"path": "/v", "policy": "p"}]},
        {"viewpolicy": [{"id": 7, "name": "p"}]},
    )
    (view,) = steps
    assert view["body"]["policy_id"] == 7 and view["body"]["tenant_id"] == 1


def test_replace_with_dependants() -> None:
    spec = {
        "viewpolicies": [{"name": "p", "tenant": "t2"}],
        "views": [{"path": "/v", "policy": "p", "tenant": "t2"}],
    }
    live = {
        "viewpolicy": [{"id": 7, "name": "p", "tenant_id": 1}],
        "view": [{"id": 8, "path": "/v", "policy_id": 7, "tenant_id": 2}],
    }
    steps = plan_steps(spec, live)
    assert_topological(steps)
    assert [(s["address"], s["action"]) for s in steps] == [
        ("view[t2:/v]", "delete"),
        ("viewpolicy[p]", "delete"),
        ("viewpolicy[p]", "create"),
        ("view[t2:/v]", "create"),
    ]
    index = by_op(steps)
    assert index[("viewpolicy[p]", "delete")]["path"] == "/viewpolicies/7/"
    assert waits_for(steps, ("viewpolicy[p]", "delete"), ("view[t2:/v]", "delete"))
    assert waits_for(steps, ("viewpolicy[p]", "create"), ("viewpolicy[p]", "delete"))
    assert waits_for(steps, ("view[t2:/v]", "create"), ("viewpolicy[p]", "create"))
    assert index[("view[t2:/v]", "create")]["body"]["policy_id"] == {"$ref": "viewpolicy[p].id"}


def test_policy_deleted_after_the_view_moves_away() -> None:
    spec = {
        "viewpolicies": [{"name": "old", "state": "absent"}, {"name": "new"}],
        "views": [{"path": "/v", "policy": "new"}],
    }
    live = {"viewpolicy": [{"id": 7, "name": "old"}], "view": [{"id": 8, "path": "/v", "policy_id": 7}]}
    steps = plan_steps(spec, live)
    assert_topological(steps)
    update = by_op(steps)[("view[/v]", "update")]
    assert update["method"] == "PATCH" and update["body"] == {"policy_id": {"$ref": "viewpolicy[new].id"}}
    assert waits_for(steps, ("view[/v]", "update"), ("viewpolicy[new]", "create"))
    assert waits_for(steps, ("viewpolicy[old]", "delete"), ("view[/v]", "update"))


def test_folder_deleted_after_everything_on_or_under_it() -> None:
    spec = {
        "folders": [{"path": "/p", "state": "absent"}],
        "snapshots": [{"name": "s", "path": "/p/a/", "state": "absent"}],
        "views": [{"path": "/p/a", "state": "absent"}],
        "quotas": [{"path": "/p", "name": "q", "state": "absent"}],
    }
    live: dict[str, list[dict[str, Any]]] = {
        "folder": [{"path": "/p"}],
        "snapshot": [{"name": "s", "path": "/p/a/"}],
        "view": [{"path": "/p/a", "policy_id": 1}],
        "quota": [{"name": "q", "path": "/p"}],
    }
    steps = plan_steps(spec, live)
    assert_topological(steps)
    assert [s["address"] for s in steps] == ["snapshot[s]", "view[/p/a]", "quota[/p]", "folder[/p]"]
    for other in ("snapshot[s]", "view[/p/a]", "quota[/p]"):
        assert waits_for(steps, ("folder[/p]", "delete"), (other, "delete"))
    folder = by_op(steps)[("folder[/p]", "delete")]
    assert folder["body"] == {"path": "/p", "tenant_id": 1} and folder["risk"] == "data-loss"


def test_objects_on_other_paths_do_not_wait() -> None:
    spec = {"folders": [{"path": "/p", "state": "absent"}], "views": [{"path": "/q", "state": "absent"}]}
    steps = plan_steps(spec, {"folder": [{"path": "/p"}], "view": [{"path": "/q", "policy_id": 1}]})
    assert all(s["depends_on"] == [] for s in steps)


def test_creates_wait_for_the_folder_above_them() -> None:
    steps = plan_steps({"folders": [{"path": "/p"}], "quotas": [{"name": "q", "path": "/p/x/y"}]})
    assert waits_for(steps, ("quota[/p/x/y]", "create"), ("folder[/p]", "create"))


def test_a_unique_name_is_taken_after_it_is_given_up() -> None:
    spec = {"quotas": [{"name": "q", "path": "/old", "state": "absent"}, {"name": "q", "path": "/new"}]}
    steps = plan_steps(spec, {"quota": [{"name": "q", "path": "/old"}]})
    assert waits_for(steps, ("quota[/new]", "create"), ("quota[/old]", "delete"))


def test_order_is_deterministic_and_ties_go_by_address() -> None:
    spec = {"viewpolicies": [{"name": n} for n in ("c", "a", "b")]}
    first = plan_steps(spec)
    assert [s["address"] for s in first] == ["viewpolicy[a]", "viewpolicy[b]", "viewpolicy[c]"]
    assert plan_steps(spec) == first


def test_deletes_carry_lookup_and_tolerate() -> None:
    (step,) = plan_steps(
        {"snapshots": [{"name": "s", "path": "/a", "state": "absent"}]},
        {"snapshot": [{"id": 5, "name": "s", "path": "/a/"}]},
    )
    assert (step["method"], step["path"], step["body"]) == ("DELETE", "/snapshots/5/", None)
    assert step["tolerate"] == [{"status": 404}] and step["lookup"]["params"] == {"name": "s"}


def test_missing_reference_is_a_diagnostic() -> None:
    parsed = make_spec({"views": [{"path": "/v", "policy": "ghost"}]})
    live = live_state({})
    graph = build_graph(compare(desired_state(parsed), live, parsed.scope))
    lowered = lower(topological(graph), graph, live)
    (problem,) = lowered.diagnostics
    assert problem.severity == "error" and "viewpolicy[ghost]" in problem.message
