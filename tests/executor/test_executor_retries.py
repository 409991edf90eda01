"""Transient failures are retried, bounded in attempts and time, with full-jitter waits (DESIGN §6)."""

from __future__ import annotations

import pytest
from executor_fakes import FakeClient, Sleeper, api_error, refused, run_steps, step

from vastplan.client.errors import VmsServerError
from vastplan.engine.executor import ApplyEvent, RetryPolicy


def test_a_post_refused_with_503_is_sent_again_without_a_lookup(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail_status("POST", "/views/", 503, "busy", times=2)
    report = run_steps(fake, [step(1, "view[/v]", lookup={"path": "/views/", "params": {}})], sleeper)
    result = report.results[0]
    assert result.status == "done" and result.attempts == 3 and not result.recovered
    assert len(fake.sent("POST")) == 3 and fake.sent("GET") == []  # 503 was never carried out
    assert len(fake.collections["/views/"]) == 1
    # Full jitter: wait n lies in [0, base * 2 ** (n - 1)].
    assert len(sleeper.waits) == 2
    assert 0 <= sleeper.waits[0] <= 0.25 and 0 <= sleeper.waits[1] <= 0.5


def test_retries_stop_after_the_policy_s_attempts(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail_status("POST", "/views/", 429, "Too many requests", times=100)
    report = run_steps(fake, [step(1, "view[/v]")], sleeper, retry=RetryPolicy(attempts=4))
    result = report.results[0]
    assert result.status == "failed" and result.attempts == 4
    assert len(fake.sent("POST")) == 4 and len(sleeper.waits) == 3
    assert result.error is not None
    assert result.error.startswith("POST /views/ failed: 429 Too Many Requests: Too many requests")
    assert "gave up after 4 attempts" in result.error


def test_attempts_1_never_retries(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail_status("PATCH", "/views/1/", 503, times=1)
    report = run_steps(
        fake, [step(1, "view[/v]", action="update", path="/views/1/")], sleeper, retry=RetryPolicy(attempts=1)
    )
    assert report.results[0].status == "failed" and report.results[0].attempts == 1
    assert sleeper.waits == []


def test_retries_stop_when_the_next_wait_would_pass_max_elapsed(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail_status("POST", "/views/", 503, times=1000)
    policy = RetryPolicy(attempts=1000, base_delay=10.0, max_delay=10.0, max_elapsed=25.0)
    report = run_steps(fake, [step(1, "view[/v]")], sleeper, retry=policy)
    assert report.results[0].status == "failed"
    assert "gave up after" in str(report.results[0].error)
    assert sum(sleeper.waits) <= 25.0
    assert len(fake.sent("POST")) == len(sleeper.waits) + 1 < 1000


def test_a_refused_connection_is_retried_for_any_method(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail("POST", "/views/", refused, times=2)
    report = run_steps(fake, [step(1, "view[/v]")], sleeper)
    assert report.ok and report.results[0].attempts == 3
    assert fake.sent("GET") == []  # nothing was sent, so there is nothing to look up


@pytest.mark.parametrize(
    ("status", "detail"),
    [
        (400, "path: This field must be unique."),
        (500, "Internal error"),
        (409, "conflict"),
        (403, "permission_denied"),
    ],
)
def test_errors_retries_cannot_fix_fail_at_once(
    fake: FakeClient, sleeper: Sleeper, status: int, detail: str
) -> None:
    fake.fail_status("POST", "/views/", status, detail)
    report = run_steps(fake, [step(1, "view[/v]")], sleeper)
    result = report.results[0]
    assert result.status == "failed" and result.attempts == 1 and sleeper.waits == []
    assert f"POST /views/ failed: {status}" in str(result.error) and detail in str(result.error)


def test_a_patch_answered_502_is_sent_again_directly(fake: FakeClient, sleeper: Sleeper) -> None:
    policy = fake.add("/viewpolicies/", name="p")
    path = f"/viewpolicies/{policy['id']}/"
    fake.fail_status("PATCH", path, 502, "Bad gateway")
    report = run_steps(fake, [step(1, "viewpolicy[p]", action="update", path=path, body={"x": 1})], sleeper)
    assert report.ok and report.results[0].attempts == 2
    assert fake.sent("GET") == [] and policy["x"] == 1


def test_each_retry_emits_an_event_with_the_reason(fake: FakeClient, sleeper: Sleeper) -> None:
    fake.fail_status("POST", "/views/", 503, "VMS is restarting", times=2)
    events: list[ApplyEvent] = []
    run_steps(fake, [step(1, "view[/v]")], sleeper, on_event=events.append)
    retried = [e for e in events if e.type == "retried"]
    assert [e.attempt for e in retried] == [1, 2]
    assert all("503 Service Unavailable: VMS is restarting" in e.message for e in retried)
    assert "next attempt 2 of 5" in retried[0].message


def test_retry_policy_delay_is_full_jitter_under_a_growing_ceiling() -> None:
    policy = RetryPolicy(base_delay=0.25, max_delay=8.0)
    assert [policy.delay(n, 1.0) for n in (1, 2, 3, 6, 7, 50)] == [0.25, 0.5, 1.0, 8.0, 8.0, 8.0]
    assert policy.delay(3, 0.5) == 0.5 and policy.delay(3, 0.0) == 0.0


@pytest.mark.parametrize(
    "options", [{"attempts": 0}, {"base_delay": -1.0}, {"max_delay": -1.0}, {"max_elapsed": -1.0}]
)
def test_retry_policy_refuses_nonsense(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**options)  # type: ignore[arg-type]


def test_api_error_helper_builds_the_client_s_classes() -> None:
    assert isinstance(api_error("POST", "/x/", 500, "boom"), VmsServerError)
