"""Both Manila drivers loaded as manila-share loads them, pointed at one served simulator.

Ours is ``manila_vast.driver.VASTShareDriver``; the in-tree one is
``manila.share.drivers.vastdata.driver.VASTShareDriver`` from the installed manila package. Each gets its
own backend section (a ``Configuration`` bound to a fresh group of manila's global ``CONF``), with the
same host, port, user and VIP pool. The in-tree driver always speaks HTTPS and never verifies the
certificate; ours verifies it against the throwaway CA the simulator was served with.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from benchmarks.harness import ADMIN, Served

OURS = "manila_vast.driver.VASTShareDriver"
IN_TREE = "manila.share.drivers.vastdata.driver.VASTShareDriver"
VIPPOOL = "vippool-1"  # the fresh simulator's pool (docs/simulator.md)

_groups = itertools.count(1)
_conf: Any = None


def manila_conf() -> Any:
    """manila's global ``CONF``, parsed once with no configuration files (no host file is ever read)."""
    global _conf
    if _conf is None:
        from oslo_config import cfg

        if not cfg.CONF._args:  # parsed at most once per process
            cfg.CONF([], project="manila", default_config_files=[])
        _conf = cfg.CONF
        # The in-tree driver formats every request and answer for its DEBUG log; keep the log quiet so
        # that what is measured is the driver, not a terminal.
        logging.getLogger("manila").setLevel(logging.WARNING)
    return _conf


def _section(driver_opts: Any, options: dict[str, Any]) -> Any:
    from manila.share import configuration
    from manila.share import driver as share_driver
    from manila.share.manager import share_manager_opts

    conf = manila_conf()
    group = f"bench_backend_{next(_groups)}"
    section = configuration.Configuration(share_manager_opts, config_group=group)
    section.append_config_values(share_driver.share_opts)
    section.append_config_values(driver_opts)
    for name, value in options.items():
        conf.set_override(name, value, group=group)
    return section


def _options(port: int) -> dict[str, Any]:
    return {
        "driver_handles_share_servers": False,
        "share_backend_name": "vast",
        "vast_mgmt_host": "127.0.0.1",
        "vast_mgmt_port": port,
        "vast_vippool_name": VIPPOOL,
        "vast_mgmt_user": ADMIN[0],
        "vast_mgmt_password": ADMIN[1],
    }


def our_driver(served: Served | None, *, adapter: Any = None, **extra: Any) -> Any:
    """Ours on the served simulator, or on any ``requests`` transport (``adapter``: no socket at all)."""
    from oslo_utils import importutils

    from manila_vast.options import VAST_OPTS

    # The simulator answers some lists in time that grows with the cluster; a benchmark must wait for it
    # rather than time out (vast_mgmt_timeout, default 60 s).
    if served is not None:
        options = {**_options(served.port), "vast_ssl_cert_path": served.ca_file, "vast_mgmt_timeout": 3600}
    else:
        options = {**_options(443), "vast_mgmt_host": "vms.bench.invalid"}
    section = _section(VAST_OPTS, {**options, **extra})
    driver = importutils.import_object(OURS, configuration=section, private_storage=None, vms_adapter=adapter)
    driver.do_setup(None)
    driver.check_for_setup_error()
    return driver


def in_tree_driver(served: Served) -> Any:
    from manila.share.drivers.vastdata import driver as in_tree
    from oslo_utils import importutils

    section = _section(in_tree.OPTS, _options(served.port))
    driver = importutils.import_object(IN_TREE, configuration=section)
    driver.do_setup(None)
    return driver


def share(instance_id: str, size: int = 1) -> dict[str, Any]:
    """A share instance as the share manager hands it to a driver (the fields both drivers read)."""
    return {
        "id": instance_id,
        "share_id": f"share-{instance_id}",
        "name": f"share-{instance_id}",
        "size": size,
        "share_proto": "NFS",
        "status": "available",
        "access_rules_status": "active",
    }


def rule(access_to: str, level: str = "rw", n: int = 0) -> dict[str, Any]:
    """An ``ip`` access rule as manila passes it (``id`` is the instance mapping, not ``access_id``)."""
    return {
        "id": f"mapping-{n}",
        "access_id": f"access-{n}",
        "access_type": "ip",
        "access_to": access_to,
        "access_level": level,
        "state": "applying",
    }


def instance_id(n: int) -> str:
    """A share instance id shaped like manila's (a UUID), distinct for every ``n``."""
    return f"{n:08x}-b3c4-4d5e-8f60-{n:012x}"
