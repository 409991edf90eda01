"""Unknown outcomes: a POST is settled by its lookup, never repeated blindly (DESIGN §6)."""

from __future__ import annotations

from typing import Any

import pytest
from executor_fakes import FakeClient, Sleeper, api_error, dropped, run_steps, step

from vastplan.engine.executor import ApplyEvent, RetryPolicy

VIEW_LOOKUP = {"path": "/views/", "params": {"path": "/v"}}


def create_view(**options: Any) -> dict[str, Any]:
    return step(1, "view[/v]", body={"path": "/v"}, lookup=VIEW_LOOKUP, **options)


def test_a_post_committed_before_the_connection_broke_is_found_not_repeated(
    fake: FakeClient, sleeper: Sleeper
) -> None:
    fake.fail("POST", "/views/", dropped, commit=True)
    events: list[ApplyEvent] = []
    steps = [create_view(), step(2, "quota[/v]", path="/quotas/", body={"view": {"$ref": "view[/v].id"}})]
    report = run_steps(fake, steps, sleeper, on_event=events.append)
    first = report.results[0]
    assert report.ok and first.recovered and first.attempts == 1
    (view,) = fake.collections["/views/"]  # exactly one: no duplicate
    assert first.response == view and report.created["view[/v]"] == view
    assert [(c.method, c.path) for c in fake.calls] == [
        ("POST", "/views/"),
        ("GET", "/views/"),
        ("POST", "/quotas/"),
    ]
    assert fake.calls[1].params == {"path": "/v"}
    assert fake.sent("POST", "/quotas/")[0].body == {"view": view["id"]}  # later $refs see the found object
    assert [e.type for e in events if e.step_id == 1] == ["started", "retried", "recovered", "done"]


def test_a_post_that_was_not_committed_is_sent_again_after_the_lookup(
    fake: FakeClient, sleeper: Sleeper
) -> None:
    fake.fail("POST", "/views/", dropped, commit=False)
    report = run_steps(fake, [create_view()], sleeper)
    result = report.results[0]
    assert report.ok and result.attempts == 2 and not result.recovered
    assert [c.method for c in fake.calls] == ["POST", "GET", "POST"]
    assert len(fake.collections["/views/"]) == 1


def test_a_lookup_with_several_matches_fails_naming_them(fake: FakeClient, sleeper: Sleeper) -> None:
    first, second = fake.add("/views/", path="/v", name="a"), fake.add("/views/", path="/v", name="b")
    fake.fail("POST", "/views/", dropped, commit=False)
    report = run_steps(fake, [create_view()], sleeper)
    error = str(report.results[0].error)
    assert report.results[0].status == "failed"
    assert (
        f"2 objects where one was expected: id={first['id']} name=a path=/v, id={second['id']} name=b"
        in error
    )
    assert len(fake.sent("POST")) == 1


def test_a_post_without_lookup_whose_outcome_is_unknown_fails(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail("POST", "/views/", dropped, commit=True)
    report = run_steps(
        fake, [step(1, "view[/v]", body={"path": "/v"}), step(2, "view[/w]", depends_on=(1,))], sleeper
    )
    assert [r.status for r in report.results] == ["failed", "not_started"]
    error = str(report.results[0].error)
    assert "outcome unknown" in error and "re-plan to see the cluster's state" in error
    assert len(fake.sent("POST")) == 1 and fake.sent("GET") == []


@pytest.mark.parametrize("status", [502, 504])
def test_a_post_answered_by_a_failing_gateway_is_looked_up(
    fake: FakeClient, sleeper: Sleeper, status: int
) -> None:
    fake.fail("POST", "/views/", lambda: api_error("POST", "/views/", status, "gateway"), commit=True)
    report = run_steps(fake, [create_view()], sleeper)
    assert report.ok and report.results[0].recovered
    assert [c.method for c in fake.calls] == ["POST", "GET"]
    assert len(fake.collections["/views/"]) == 1


def test_the_last_attempt_is_still_settled_by_lookup(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail("POST", "/views/", dropped, commit=True)
    report = run_steps(fake, [create_view()], sleeper, retry=RetryPolicy(attempts=1))
    assert report.ok and report.results[0].recovered and sleeper.waits == []


def test_no_attempt_left_after_a_lookup_finding_nothing_gives_up(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail("POST", "/views/", dropped, commit=False)
    report = run_steps(fake, [create_view()], sleeper, retry=RetryPolicy(attempts=1))
    assert report.results[0].status == "failed" and "gave up after 1 attempt " in str(report.results[0].error)
    assert len(fake.sent("POST")) == 1


def test_a_failing_lookup_fails_the_step(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail("POST", "/views/", dropped, commit=True)
    fake.fail_status("GET", "/views/", 503, "down")
    report = run_steps(fake, [create_view()], sleeper)
    error = str(report.results[0].error)
    assert "the lookup failed: GET /views/ failed: 503 Service Unavailable: down" in error
    assert len(fake.sent("POST")) == 1


def test_a_patch_whose_outcome_is_unknown_is_sent_again(fake: FakeClient, sleeper: Sleeper) -> None:
    view = fake.add("/views/", path="/v")
    path = f"/views/{view['id']}/"
    fake.fail("PATCH", path, dropped, commit=True)
    report = run_steps(fake, [step(1, "view[/v]", action="update", path=path, body={"x": 2})], sleeper)
    result = report.results[0]
    assert report.ok and result.attempts == 2 and result.recovered
    assert fake.sent("GET") == [] and view["x"] == 2


def test_a_delete_whose_outcome_is_unknown_is_sent_again_and_its_404_means_done(
    fake: FakeClient, sleeper: Sleeper
) -> None:
    view = fake.add("/views/", path="/v")
    path = f"/views/{view['id']}/"
    fake.fail("DELETE", path, dropped, commit=True)
    report = run_steps(fake, [step(1, "view[/v]", action="delete", path=path)], sleeper)
    result = report.results[0]
    assert report.ok and result.attempts == 2 and result.recovered
    assert fake.collections["/views/"] == []


@pytest.mark.parametrize(("present", "posts"), [(False, 1), (True, 2)])
def test_a_delete_by_post_is_settled_by_lookup(
    fake: FakeClient, sleeper: Sleeper, present: bool, posts: int
) -> None:
    if present:
        fake.add("/things/", path="/f")
    fake.fail("POST", "/things/delete_thing/", dropped, commit=True)
    delete_by_post = step(
        1,
        "thing[/f]",
        action="delete",
        method="POST",
        path="/things/delete_thing/",
        body={"path": "/f"},
        lookup={"path": "/things/", "params": {"path": "/f"}},
    )
    report = run_steps(fake, [delete_by_post], sleeper)
    assert report.ok and len(fake.sent("POST")) == posts
    assert report.results[0].recovered is (not present)


def test_an_update_by_post_whose_outcome_is_unknown_fails(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail("POST", "/views/1/refresh/", dropped, commit=True)
    odd = step(1, "view[/v]", action="update", method="POST", path="/views/1/refresh/", lookup=VIEW_LOOKUP)
    report = run_steps(fake, [odd], sleeper)
    assert report.results[0].status == "failed" and "outcome unknown" in str(report.results[0].error)
