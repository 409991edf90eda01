"""Fixtures of the executor tests: a fake client and a sleeper that never really waits."""

from __future__ import annotations

import pytest
from executor_fakes import FakeClient, Sleeper


@pytest.fixture
def fake() -> FakeClient:
    return FakeClient()


@pytest.fixture
def sleeper() -> Sleeper:
    return Sleeper()
