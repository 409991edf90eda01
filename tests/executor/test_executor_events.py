"""Progress events: their order, their fields, and callbacks that raise or are not thread-safe."""

from __future__ import annotations

import logging
import threading

import pytest
from executor_fakes import FakeClient, InFlight, run_steps, step

from vastplan.engine.executor import ApplyEvent


def test_a_plain_run_emits_started_then_done(fake: FakeClient) -> None:
    events: list[ApplyEvent] = []
    run_steps(fake, [step(1, "view[/v]"), step(2, "view[/w]", depends_on=(1,))], on_event=events.append)
    assert events == [
        ApplyEvent("started", 1, "view[/v]", "POST /views/", 0),
        ApplyEvent("done", 1, "view[/v]", "POST /views/", 1),
        ApplyEvent("started", 2, "view[/w]", "POST /views/", 0),
        ApplyEvent("done", 2, "view[/w]", "POST /views/", 1),
    ]


def test_a_failure_is_an_event_carrying_the_error(fake: FakeClient) -> None:
    fake.fail_status("POST", "/views/", 400, "bad path")
    events: list[ApplyEvent] = []
    run_steps(fake, [step(1, "view[/v]"), step(2, "view[/w]", depends_on=(1,))], on_event=events.append)
    assert [e.type for e in events] == ["started", "failed"]
    assert events[-1].message == "POST /views/ failed: 400 Bad Request: bad path" and events[-1].attempt == 1


def test_a_callback_that_raises_does_not_break_the_apply(
    fake: FakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: ApplyEvent) -> None:
        raise RuntimeError("progress bar fell over")

    with caplog.at_level(logging.WARNING, logger="vastplan.engine.executor"):
        report = run_steps(fake, [step(1, "view[/v]"), step(2, "view[/w]")], on_event=broken)
    assert report.ok and len(fake.calls) == 2
    warnings = [r for r in caplog.records if "on_event callback raised" in r.getMessage()]
    assert len(warnings) == 4  # started and done, for each step
    assert warnings[0].exc_info is not None


def test_callbacks_never_run_two_at_a_time(fake: FakeClient) -> None:
    lock, inside, most = threading.Lock(), [0], [0]

    def callback(event: ApplyEvent) -> None:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        threading.Event().wait(0.001)  # give another thread the chance to come in
        with lock:
            inside[0] -= 1

    fake.hook = InFlight(parties=4)  # four steps in flight together, all emitting events
    steps = [step(n, f"viewpolicy[p{n}]", path=f"/p{n}/") for n in range(1, 5)]
    report = run_steps(fake, steps, parallelism=4, on_event=callback)
    assert report.ok and most[0] == 1


def test_events_come_from_worker_threads(fake: FakeClient) -> None:
    names: set[str] = set()
    run_steps(fake, [step(1, "view[/v]")], on_event=lambda event: names.add(threading.current_thread().name))
    assert names and all(name.startswith("vastplan-apply") for name in names)
