"""A failure stops new steps; steps in flight finish; the report says exactly what ran (DESIGN §6)."""

from __future__ import annotations

import threading

from executor_fakes import Call, FakeClient, run_steps, step

from vastplan.client.errors import error_for_status
from vastplan.engine.executor import ApplyEvent, ApplyReport, StepResult


def test_after_a_failure_nothing_new_starts(fake: FakeClient) -> None:
    fake.fail_status("POST", "/p2/", 400, "name: This field must be unique.")
    steps = [
        step(1, "viewpolicy[p1]", path="/p1/"),
        step(2, "viewpolicy[p2]", path="/p2/"),
        step(3, "view[/v3]", path="/p3/", depends_on=(2,)),
        step(4, "viewpolicy[p4]", path="/p4/"),  # independent, but later in id order
    ]
    report = run_steps(fake, steps, parallelism=1)
    assert [r.status for r in report.results] == ["done", "failed", "not_started", "not_started"]
    assert [c.path for c in fake.calls] == ["/p1/", "/p2/"]
    assert [r.id for r in report.done] == [1]
    assert [r.id for r in report.failed] == [2]
    assert [r.id for r in report.not_started] == [3, 4]
    assert not report.ok
    assert report.summary_line() == "1 done, 1 failed, 2 not started"
    assert report.results[1].error == "POST /p2/ failed: 400 Bad Request: name: This field must be unique."
    assert report.results[2] == StepResult(3, "view[/v3]", "create", "POST", "/p3/", "not_started")


def test_steps_in_flight_finish_but_their_dependents_do_not_start(fake: FakeClient) -> None:
    # Step 1 fails once step 2 is in flight; step 2 is held until the failure is announced, then finishes.
    slow_sent, failure_announced = threading.Event(), threading.Event()

    def hold(call: Call) -> None:
        if call.path == "/slow/":
            slow_sent.set()
            assert failure_announced.wait(timeout=10)
        if call.path == "/bad/":
            assert slow_sent.wait(timeout=10)

    def on_event(event: ApplyEvent) -> None:
        if event.type == "failed":
            failure_announced.set()

    fake.hook = hold
    fake.fail_status("POST", "/bad/", 409, "busy with another change")
    steps = [
        step(1, "viewpolicy[bad]", path="/bad/"),
        step(2, "viewpolicy[slow]", path="/slow/"),
        step(3, "view[/after-slow]", path="/after/", depends_on=(2,)),
        step(4, "view[/other]", path="/other/", depends_on=(1,)),
    ]
    report = run_steps(fake, steps, parallelism=4, on_event=on_event)
    assert [r.status for r in report.results] == ["failed", "done", "not_started", "not_started"]
    assert "/after/" not in [c.path for c in fake.calls]


def test_the_error_text_holds_method_path_status_and_the_vms_text(fake: FakeClient) -> None:
    drf = {"path": ["This field must be unique."]}
    fake.fail("POST", "/views/", lambda: error_for_status("POST", "/views/", 400, drf))
    report = run_steps(fake, [step(1, "view[/v]")])
    assert report.results[0].error == "POST /views/ failed: 400 Bad Request: path: This field must be unique."


def test_an_internal_error_fails_the_step_and_keeps_the_report(fake: FakeClient) -> None:
    def explode(call: Call) -> None:
        if call.path == "/boom/":
            raise RuntimeError("bug")

    fake.hook = explode
    steps = [
        step(1, "viewpolicy[a]", path="/a/"),
        step(2, "viewpolicy[b]", path="/boom/"),
        step(3, "x[c]", path="/c/"),
    ]
    report = run_steps(fake, steps, parallelism=1)
    assert [r.status for r in report.results] == ["done", "failed", "not_started"]
    assert "internal error: RuntimeError: bug" in str(report.results[1].error)


def test_report_properties() -> None:
    done = StepResult(1, "viewpolicy[p]", "create", "POST", "/viewpolicies/", "done", response={"id": 3})
    update = StepResult(2, "view[/v]", "update", "PATCH", "/views/1/", "done", response={"id": 1})
    folder = StepResult(3, "folder[/f]", "create", "POST", "/folders/create_folder/", "done")
    report = ApplyReport((done, update, folder))
    assert report.ok and report.summary_line() == "3 done, 0 failed, 0 not started"
    assert dict(report.created) == {"viewpolicy[p]": {"id": 3}}
