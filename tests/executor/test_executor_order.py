"""Dependency order and bounded parallelism (DESIGN §6)."""

from __future__ import annotations

import re

import pytest
from executor_fakes import FakeClient, InFlight, run_steps, step

from vastplan.engine.errors import InvalidSteps
from vastplan.engine.executor import execute_steps


def diamond() -> list[dict[str, object]]:
    #      1
    #    /   \
    #   2     3
    #    \   /
    #      4
    return [
        step(1, "tenant[t]", path="/tenants/"),
        step(2, "viewpolicy[a]", path="/viewpolicies/", depends_on=(1,)),
        step(3, "quota[/q]", path="/quotas/", depends_on=(1,)),
        step(4, "view[/q]", path="/views/", depends_on=(2, 3)),
    ]


def test_diamond_with_parallelism_1_runs_in_step_id_order(fake: FakeClient) -> None:
    fake.hook = in_flight = InFlight()
    report = run_steps(fake, diamond(), parallelism=1)
    assert report.ok
    assert [c.path for c in fake.calls] == ["/tenants/", "/viewpolicies/", "/quotas/", "/views/"]
    assert in_flight.most == 1


def test_diamond_in_parallel_runs_the_middle_together(fake: FakeClient) -> None:
    # Steps 2 and 3 must meet at the barrier: they can only pass it when both are in flight at once.
    middle = InFlight(parties=2)
    fake.hook = lambda call: middle(call) if call.path in ("/viewpolicies/", "/quotas/") else None

    report = run_steps(fake, diamond(), parallelism=8)
    assert report.ok
    paths = [c.path for c in fake.calls]
    assert paths[0] == "/tenants/" and paths[-1] == "/views/"
    assert middle.most == 2


def test_independent_steps_overlap_up_to_parallelism_and_no_further(fake: FakeClient) -> None:
    steps = [step(n, f"viewpolicy[p{n}]", path=f"/p{n}/") for n in range(1, 7)]
    fake.hook = in_flight = InFlight(parties=3)
    report = run_steps(fake, steps, parallelism=3)
    assert report.ok and len(fake.calls) == 6
    assert in_flight.most == 3


def test_parallelism_1_follows_ids_not_list_position(fake: FakeClient) -> None:
    steps = [step(n, f"viewpolicy[p{n}]", path=f"/p{n}/") for n in (3, 1, 2)]
    report = run_steps(fake, steps, parallelism=1)
    assert [c.path for c in fake.calls] == ["/p1/", "/p2/", "/p3/"]
    assert [r.id for r in report.results] == [3, 1, 2]  # the report keeps plan order


def test_a_ref_orders_steps_even_without_depends_on(fake: FakeClient) -> None:
    steps = [
        step(1, "view[/v]", body={"policy_id": {"$ref": "viewpolicy[p].id"}}),
        step(2, "viewpolicy[p]", path="/viewpolicies/"),
    ]
    report = run_steps(fake, steps, parallelism=8)
    assert report.ok
    assert [c.path for c in fake.calls] == ["/viewpolicies/", "/views/"]
    assert fake.calls[1].body == {"policy_id": report.created["viewpolicy[p]"]["id"]}


def test_an_empty_plan_is_ok(fake: FakeClient) -> None:
    report = run_steps(fake, [])
    assert report.ok and report.results == ()
    assert report.summary_line() == "0 done, 0 failed, 0 not started"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([step(1, "a[x]", depends_on=(2,)), step(2, "b[x]", depends_on=(1,))], "cycle"),
        ([step(1, "a[x]", depends_on=(9,))], "depends on step 9, which is not in the plan"),
        ([step(1, "a[x]", depends_on=(1,))], "depends on itself"),
        ([step(1, "a[x]"), step(1, "b[x]")], "step id 1 is used more than once"),
        ([{**step(1, "a[x]"), "method": "GET"}], "method 'GET' is not one of"),
        ([{**step(1, "a[x]"), "path": None}], "path must be a string"),
        ([{**step(1, "a[x]"), "action": "noop"}], "action 'noop' is not one of create, delete, update"),
        ([{**step(1, "a[x]"), "id": "one"}], "id must be an integer"),
        (["not a step"], "step #1: not an object"),
        ([step(1, "a[x]", tolerate=[{"detail_contains": "x"}])], "needs an integer status"),
        ([step(1, "a[x]"), step(2, "a[x]")], "both create a[x]"),
        ([step(1, "a[x]", body={"$ref": "nonsense"})], "not of the form ADDRESS.FIELD"),
        ([step(1, "a[x]", body={"$ref": "b[y].id", "other": 1})], "must hold nothing else"),
    ],
)
def test_steps_that_cannot_run_are_refused_before_any_call(
    fake: FakeClient, steps: list[dict[str, object]], expected: str
) -> None:
    with pytest.raises(InvalidSteps, match=re.escape(expected)):
        run_steps(fake, steps)
    assert fake.calls == []


def test_every_problem_is_listed_at_once(fake: FakeClient) -> None:
    steps = [step(1, "a[x]", depends_on=(7,)), {**step(2, "b[x]"), "method": "GET"}]
    with pytest.raises(InvalidSteps) as caught:
        run_steps(fake, steps)
    assert len(caught.value.problems) == 2


def test_parallelism_below_1_is_refused(fake: FakeClient) -> None:
    with pytest.raises(ValueError, match="parallelism"):
        execute_steps(fake, [], parallelism=0)
