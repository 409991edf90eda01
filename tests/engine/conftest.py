"""Fixtures of the engine's tests: a fresh simulator and a real client mounted on it (DESIGN §11: the
simulator exercised through the real client), and the hypothesis profiles (bounded in CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from vastplan.client import ConnectionConfig, VmsClient
from vastplan.sim import Simulator

settings.register_profile(
    "ci", max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def connect(sim: Simulator, *, page_size: int = 1000, **options: Any) -> VmsClient:
    """A real client on the simulator's in-process transport."""
    config = ConnectionConfig(
        endpoint="sim://engine-tests", username="admin", password="123456", page_size=page_size, **options
    )
    return VmsClient(config, adapter=sim.adapter())


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def client(sim: Simulator) -> Iterator[VmsClient]:
    with connect(sim) as vms:
        yield vms
