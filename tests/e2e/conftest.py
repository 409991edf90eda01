"""Session fixtures of the manila end-to-end suite (docs/e2e.md).

``stack`` starts, once per session, RabbitMQ, MariaDB, the VMS simulator over HTTPS, and manila's API,
scheduler and share services with our driver (or manila's dummy driver, ``VASTPLAN_E2E_DRIVER=dummy``);
creates the share type; waits until the share service is up and its pool is known to the scheduler; and
stops every process it started when the session ends, however it ends. The suite is skipped, with the
reason, where the Debian packages (or the Python ones) are missing. A failing test gets the last lines of
every service's log in its report.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import manila_ops
from .prerequisites import driver_kind, mode, skip_reason
from .processes import TAIL_LINES, StackError
from .sim_control import SimControl
from .stack import HOST, ROOT_EXPORT, Stack, remove_stack_files, start_stack

STACK_KEY = pytest.StashKey[Stack]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: runs real manila services (tests/e2e, docs/e2e.md)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    folder = Path(__file__).parent
    here = [item for item in items if folder in item.path.parents]
    if not here:
        return
    # Under VASTPLAN_E2E=require a missing prerequisite is not skipped: the stack fixture fails with it.
    reason = None if mode() == "require" else skip_reason()
    for item in here:
        item.add_marker(pytest.mark.e2e)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    stack = item.config.stash.get(STACK_KEY, None)
    if report.failed and stack is not None:
        for name, text in stack.supervisor.log_tails(TAIL_LINES):
            report.sections.append((f"{name} log (last {TAIL_LINES} lines)", text))
    return report


def _all_tails(stack: Stack) -> str:
    return "\n".join(
        f"----- {name} (last {TAIL_LINES} lines) -----\n{text}"
        for name, text in stack.supervisor.log_tails(TAIL_LINES)
    )


class StartFailure:
    """Why the stack did not start: the first test that needs it gets the whole story (with the logs'
    tails), the others one line."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        self.reported = False

    def fail(self) -> None:
        if not self.reported:
            self.reported = True
            raise RuntimeError(f"the manila stack did not start: {self.detail}")
        pytest.fail("the manila stack did not start (the first e2e error above says why)", pytrace=False)


def _wait_ready(client: Any, running: Stack) -> None:
    """Ready as ``manila_ops.wait_ready`` says. Twice, in full-suite runs on a loaded machine, the scheduler
    never learned the pool although the share service kept publishing it (cause unknown, docs/e2e.md): then
    the broker's queues are recorded (a warning in pytest's summary) and the scheduler is restarted once,
    which asks the share services for their capabilities again."""
    try:
        manila_ops.wait_ready(client, running.share_host, HOST, watch=running.supervisor.services, timeout=45)
        return
    except StackError as exc:
        warnings.warn(
            f"e2e: {str(exc).splitlines()[0]}; restarting manila-scheduler once. "
            f"Broker queues:\n{running.broker.queues()}",
            stacklevel=1,
        )
    running.restart("manila-scheduler")
    manila_ops.wait_ready(client, running.share_host, HOST, watch=running.supervisor.services, timeout=90)


@pytest.fixture(scope="session")
def _stack_session(request: pytest.FixtureRequest) -> Iterator[Stack | StartFailure]:
    started = time.monotonic()
    reason = skip_reason()
    if reason:
        yield StartFailure(f"{reason} (VASTPLAN_E2E={mode()})")
        return
    try:
        running = start_stack(driver_kind())
    except Exception as exc:  # noqa: BLE001 - reported to the tests (start_stack stopped what it started)
        yield StartFailure(str(exc))
        return
    try:
        try:
            client = manila_ops.make_client(running.api_url)
            _wait_ready(client, running)
            client.share_types.create(
                name=running.share_type,
                spec_driver_handles_share_servers=False,
                extra_specs={"snapshot_support": "True"},
                is_public=True,
            )
        except Exception as exc:  # noqa: BLE001 - reported to the tests, with every log's tail
            failure = StartFailure(f"{exc}\n{_all_tails(running)}")
            running.supervisor.stop_all()
            yield failure
            return
        print(f"\ne2e: {running.kind} stack ready in {time.monotonic() - started:.1f} s")
        request.config.stash[STACK_KEY] = running
        yield running
    finally:
        running.supervisor.stop_all()
        if STACK_KEY in request.config.stash:
            del request.config.stash[STACK_KEY]
        remove_stack_files(running)


@pytest.fixture
def stack(_stack_session: Stack | StartFailure) -> Stack:
    """The running stack (started once per session)."""
    if isinstance(_stack_session, StartFailure):
        _stack_session.fail()
    assert isinstance(_stack_session, Stack)
    return _stack_session


@pytest.fixture
def manila(stack: Stack) -> Any:
    """python-manilaclient, as the admin of a project (noauthv2)."""
    return manila_ops.make_client(stack.api_url)


@pytest.fixture
def cluster(stack: Stack) -> SimControl | None:
    """The simulator's control API, or None under manila's dummy driver (then only manila's view of a
    scenario is checked)."""
    return SimControl(stack.sim.url, stack.sim.ca, ROOT_EXPORT) if stack.sim is not None else None


@pytest.fixture
def vast_cluster(cluster: SimControl | None) -> Iterator[SimControl]:
    """The simulator's control API, for scenarios that need the cluster (usage, faults, the call log).
    A fault the test injected never outlives it."""
    if cluster is None:
        pytest.skip("needs our driver on the VMS simulator: this run uses manila's dummy driver")
    yield cluster
    cluster.clear_faults()
