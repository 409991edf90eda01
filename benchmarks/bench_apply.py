"""Applying N creates with 20 ms of simulated latency on every VMS call, at parallelism 1 and 8.

A real VMS answers in tens of milliseconds; the simulator in microseconds. With ``{"latency_ms": 20}`` every
call waits 20 ms (with no lock held), so what is measured is how well the applier overlaps calls. Measured
through ``serve()`` (HTTP on 127.0.0.1, the server in a thread of this process) and through the in-process
transport, which must let calls overlap too.

The plan: per 100 creates, one view policy, and 49.5 directories each with a quota (which creates the
directory) and a view on it using the policy. A view waits for its quota and its policy (DESIGN §3), so
the steps are not all independent: this is the dependency shape of a real first apply.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from benchmarks.harness import CallCount, InProcess, Timing, served, timed
from vastplan import api

LATENCY_MS = 20


@dataclass
class ApplyResult:
    transport: str
    creates: int
    parallelism: int
    calls: CallCount
    timing: Timing


def spec_document(creates: int) -> dict[str, Any]:
    policies = max(1, creates // 100)
    pairs = (creates - policies) // 2
    policies = creates - 2 * pairs
    doc: dict[str, Any] = {
        "version": 1,
        "viewpolicies": [
            {"name": f"apply-p{p:03d}", "nfs_read_write": ["10.0.0.0/8"]} for p in range(policies)
        ],
        "quotas": [],
        "views": [],
    }
    for n in range(pairs):
        path = f"/apply/d{n:05d}"
        doc["quotas"].append(
            {"name": f"apply-q{n:05d}", "path": path, "hard_limit": "1GiB", "create_dir": True}
        )
        doc["views"].append({"path": path, "policy": f"apply-p{n % policies:03d}", "protocols": ["NFS"]})
    return doc


def measure(target: Any, transport: str, creates: int, parallelism: int, repeat: int) -> ApplyResult:
    spec = api.load_documents([("apply.yaml", spec_document(creates))])
    timing = Timing()
    calls = None
    for _ in range(repeat):
        target.control("POST", "reset")
        with target.client() as client:
            plan = api.plan(client, spec)
            assert plan.summary["create"] == creates, plan.summary
            target.control.fault(latency_ms=LATENCY_MS)
            target.control.clear_calls()
            result, elapsed = timed(functools.partial(api.apply, client, plan, parallelism=parallelism))
            target.control.clear_faults()
        assert result.verification is not None and not result.verification.has_changes
        calls = CallCount.of(target.control.calls())
        timing.runs.append(elapsed)
    assert calls is not None
    return ApplyResult(transport, creates, parallelism, calls, timing)


def run(creates: int, repeat: int, parallelisms: tuple[int, ...] = (1, 8)) -> list[ApplyResult]:
    results = []
    with served(https=False) as server:
        for p in parallelisms:
            results.append(measure(server, "HTTP (serve)", creates, p, repeat))
    in_process = InProcess()
    for p in parallelisms:
        results.append(measure(in_process, "in-process adapter", creates, p, repeat))
    return results
