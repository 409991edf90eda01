"""Fault soak of the engine: many random specs applied through the public API while the simulated VMS
answers 503, is slow, drops connections after committing, and expires login tokens.

Every round: a random spec over the soak universe (``universe.py``) is planned and applied with random
faults active. Whatever happens, then:

- a failed apply raised :class:`ApplyFailed` with a report that accounts for every step (done, failed with
  the VMS's text, or not started), or the failure was another reported :class:`VastplanError`;
- no apply reported success without converging, and none failed because a POST was blindly repeated
  (the simulator answers a repeated create "must be unique");
- the next apply, faults cleared, heals: it succeeds and the verifying plan is empty;
- no identity is held twice, and nothing outside the spec's scope changed (a state dump compared with
  the one taken before the first round).

Counted operations are the plan steps attempted under faults; CI mode runs well over 1,000 of them.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from vastplan import api
from vastplan.client import VmsError
from vastplan.engine.errors import ApplyFailed, NotConverged, StalePlanError
from vastplan.errors import VastplanError
from vastplan.sim import Simulator

from .soaktools import (
    ENGINE_ROUTES,
    FAST_STEPS,
    client_for,
    control,
    duplicates,
    fault_kinds,
    outside,
    random_faults,
    scaled,
    seed_for,
)
from .universe import SCOPE_NAMES, SCOPE_PATHS, random_spec, seed_outside

ROUNDS = scaled(ci=60, soak=3000)
MIN_OPERATIONS = 1000


def check_report(failure: ApplyFailed, steps: int, context: str) -> None:
    """The account of a failed apply: every step in it, every failure with the VMS's own text."""
    report = failure.report
    assert len(report.results) == steps, context
    assert {r.status for r in report.results} <= {"done", "failed", "not_started"}, context
    assert report.failed, f"ApplyFailed without a failed step: {context}"
    for result in report.failed:
        assert result.error, f"step {result.address} failed without a reason: {context}"
        assert (
            f"{result.method} " in result.error
            or "outcome unknown" in result.error
            or "gave up" in result.error
        ), f"{result.error!r} does not name the call: {context}"
        # A POST whose answer was lost must be looked up, never sent again blindly (DESIGN §6).
        assert "must be unique" not in result.error and "unique set" not in result.error, (
            f"a create was repeated: {result.error}: {context}"
        )
    assert str(failure).startswith("apply failed: "), context


def attempt(client: Any, spec: Any, rng: random.Random, context: str, seen: Counter[str]) -> tuple[str, int]:
    """Plan and apply under whatever faults are active; the outcome and the steps attempted. ``seen``
    counts steps whose lost answer was recovered and steps sent more than once."""
    try:
        plan = api.plan(client, spec)
    except VmsError as exc:
        assert str(exc), context
        return "plan failed (reported)", 0
    steps = len(plan.doc["steps"])
    try:
        result = api.apply(
            client, plan, allow_data_loss=True, parallelism=rng.choice((1, 4, 8)), retry=FAST_STEPS
        )
    except ApplyFailed as failure:
        check_report(failure, steps, context)
        tally(failure.report, seen)
        return "apply failed (reported)", steps
    except (StalePlanError, NotConverged) as exc:  # one applier, faults only: either is a bug
        pytest.fail(f"{type(exc).__name__}: {exc}: {context}")
    except VastplanError as exc:  # a read of the stale check or of verification failed beyond retries
        assert str(exc), context
        return f"{type(exc).__name__} (reported)", steps
    assert result.verification is not None and not result.verification.has_changes, context
    assert len(result.report.done) == steps, context
    tally(result.report, seen)
    return "converged", steps


def tally(report: Any, seen: Counter[str]) -> None:
    seen["recovered"] += sum(1 for r in report.results if r.recovered)
    seen["retried"] += sum(1 for r in report.results if r.attempts > 1)


def heal(client: Any, spec: Any, context: str) -> None:
    """With faults cleared, one more apply must succeed and converge."""
    try:
        result = api.plan_and_apply(client, spec, allow_data_loss=True, retry=FAST_STEPS)
    except VastplanError as exc:
        pytest.fail(f"the apply after a failure did not heal: {exc}: {context}")
    assert result.verification is not None and not result.verification.has_changes, context


def test_engine_converges_under_random_faults(record_property: Any) -> None:
    seed = seed_for("engine-soak")
    record_property("seed", seed)
    print(f"\nengine fault soak: seed {seed}, {ROUNDS} rounds (replay: VASTPLAN_SEED={seed})")
    rng = random.Random(seed)
    sim = Simulator()
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    operations = 0
    with client_for(sim) as client:
        seed_outside(client)
        untouched = outside(sim.state_dict(), SCOPE_PATHS, SCOPE_NAMES)
        spec = None
        for n in range(ROUNDS):
            spec = random_spec(rng, f"round-{n}.yaml")
            faults = random_faults(rng, ENGINE_ROUTES, hard=True)
            context = f"seed {seed}, round {n}, faults {faults}"
            kinds.update(fault_kinds(faults))
            control(client, "POST", "faults", faults)
            try:
                outcome, steps = attempt(client, spec, rng, context, seen)
            finally:
                control(client, "DELETE", "faults")
            outcomes[outcome] += 1
            operations += steps
            if outcome != "converged":
                heal(client, spec, context)
            state = sim.state_dict()
            assert duplicates(state) == [], context
            assert outside(state, SCOPE_PATHS, SCOPE_NAMES) == untouched, f"out of scope changed: {context}"
        assert spec is not None
        assert not api.plan(client, spec).has_changes
    print(
        f"engine fault soak: {operations} operations, outcomes {dict(outcomes)}, steps {dict(seen)}, "
        f"faults {dict(kinds)}"
    )
    assert operations >= MIN_OPERATIONS, f"only {operations} operations (seed {seed})"
    assert outcomes["converged"] > 0 and len(outcomes) > 1, (
        f"no mix of outcomes: {dict(outcomes)} (seed {seed})"
    )
    assert {"503", "drop_after_commit", "latency_ms", "expire_tokens", "read 503"} <= set(kinds)
    # The faults were felt: lost answers were settled by lookups, and refused calls were sent again.
    assert seen["recovered"] > 0 and seen["retried"] > 0, f"{dict(seen)} (seed {seed})"
