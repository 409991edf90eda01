"""Fixtures of the Manila driver tests: the driver loaded as manila-share loads it, on the simulator.

``make_driver(**options)`` builds a ``manila.share.configuration.Configuration`` bound to a fresh backend
group, sets the options there, and loads ``manila_vast.driver.VASTShareDriver`` with
``oslo_utils.importutils.import_object`` (MANILA.md §4.2), passing the simulator's transport as
``vms_adapter``: the real client, no monkeypatching. The pure modules' tests need none of this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from manila_testlib import BASE_OPTIONS, DRIVER_PATH, GROUPS, backend_configuration

from vastplan.sim import Simulator


@pytest.fixture(scope="session")
def manila_conf() -> Any:
    """manila's global CONF, parsed once with no files (so that a host's /etc/manila is never read)."""
    pytest.importorskip("manila.share.driver")
    from oslo_config import cfg

    if not cfg.CONF._args:  # type: ignore[attr-defined]
        cfg.CONF([], project="manila", default_config_files=[])
    return cfg.CONF


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def make_driver(sim: Simulator, manila_conf: Any) -> Iterator[Callable[..., Any]]:
    """``make_driver(setup=True, adapter=..., **options)``: a set-up driver on ``sim`` (or ``adapter``)."""
    from oslo_utils import importutils

    groups: list[str] = []

    def make(*, setup: bool = True, adapter: Any = "sim", **options: Any) -> Any:
        group = f"vast_test_{next(GROUPS)}"
        groups.append(group)
        conf = backend_configuration(manila_conf, group, {**BASE_OPTIONS, **options})
        drv = importutils.import_object(
            DRIVER_PATH,
            configuration=conf,
            private_storage=None,
            vms_adapter=sim.adapter() if adapter == "sim" else adapter,
        )
        if setup:
            drv.do_setup(None)
            drv.check_for_setup_error()
        return drv

    yield make
    for group in groups:
        for name in list(manila_conf[group]):
            manila_conf.clear_override(name, group=group)
