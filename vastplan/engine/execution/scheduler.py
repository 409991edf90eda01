"""Runs every step once its needs are done, at most ``parallelism`` at a time (DESIGN §6).

The main thread owns the scheduling state; workers run steps. Ready steps start lowest id first, so
``parallelism=1`` runs the plan strictly in step id order. Once a step fails, no new step starts: the
steps in flight finish (a request half sent is better finished than abandoned), and every step that never
started is reported ``not_started``. The worker of the failed step raises the stop flag itself, before the
failure is announced, so nothing the main thread does after that moment can start a step.
"""

from __future__ import annotations

import heapq
import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from vastplan.engine.execution.report import StepResult
from vastplan.engine.execution.steps import Step, StepGraph

__all__ = ["run_graph"]

log = logging.getLogger("vastplan.engine.executor")


def run_graph(
    graph: StepGraph,
    run: Callable[[Step], StepResult],
    announce: Callable[[StepResult], None],
    parallelism: int,
) -> dict[int, StepResult]:
    """Results of the steps that ran, by step id; steps missing from it never started.

    ``run`` runs one step on a worker thread; ``announce`` is told of its result on that thread, after the
    stop flag is up if it failed.
    """
    return _Scheduler(graph, run, announce).run(parallelism)


class _Scheduler:
    def __init__(
        self, graph: StepGraph, run: Callable[[Step], StepResult], announce: Callable[[StepResult], None]
    ) -> None:
        self._run = run
        self._announce = announce
        self._by_id = {step.id: step for step in graph.steps}
        self._dependents = graph.dependents()
        self._waiting = {step_id: len(needed) for step_id, needed in graph.needs.items()}
        self._ready = [step_id for step_id, count in self._waiting.items() if count == 0]
        heapq.heapify(self._ready)
        self._results: dict[int, StepResult] = {}
        self._stop = threading.Event()

    def run(self, parallelism: int) -> dict[int, StepResult]:
        with ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="vastplan-apply") as pool:
            try:
                self._loop(pool, parallelism)
            except BaseException:
                # Interrupted (Ctrl-C): start nothing more; leaving the pool waits for the steps in flight.
                self._stop.set()
                raise
        return self._results

    def _loop(self, pool: ThreadPoolExecutor, parallelism: int) -> None:
        running: set[Future[StepResult | None]] = set()
        while True:
            while self._ready and not self._stop.is_set() and len(running) < parallelism:
                step = self._by_id[heapq.heappop(self._ready)]
                running.add(pool.submit(self._guarded, step))
            if not running:
                return
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                result = future.result()
                if result is not None:
                    self._finish(result)

    def _guarded(self, step: Step) -> StepResult | None:
        if self._stop.is_set():
            return None  # submitted, but a step failed before a worker took this one: it never starts
        result = self._run_safely(step)
        if result.status != "done":
            self._stop.set()
        try:
            self._announce(result)
        except Exception:
            log.exception("internal error while announcing the end of step %d", step.id)
        return result

    def _run_safely(self, step: Step) -> StepResult:
        # A bug must not lose the record of what the other steps did to the cluster: the step fails, the
        # apply stops, and the report still says exactly what ran.
        try:
            return self._run(step)
        except Exception as error:
            log.exception("internal error while running step %d (%s)", step.id, step.address)
            return StepResult(
                step.id,
                step.address,
                step.action,
                step.method,
                step.path,
                "failed",
                error=f"{step.label}: internal error: {type(error).__name__}: {error}",
            )

    def _finish(self, result: StepResult) -> None:
        self._results[result.id] = result
        if result.status != "done":
            return
        for other in self._dependents[result.id]:
            self._waiting[other] -= 1
            if self._waiting[other] == 0:
                heapq.heappush(self._ready, other)
