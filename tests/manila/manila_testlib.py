"""Helpers of the Manila driver tests (a uniquely named module: ``conftest`` names clash across test
directories, so tests import helpers from here)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from vastplan.sim import Simulator, serve

ADMIN = {"vast_mgmt_user": "admin", "vast_mgmt_password": "123456"}
BASE_OPTIONS: dict[str, Any] = {
    "driver_handles_share_servers": False,
    "share_backend_name": "vast",
    "vast_mgmt_host": "vms.test",
    "vast_vippool_name": "vippool-1",
    **ADMIN,
}
#: The fresh simulator's VIP pool (DESIGN §8).
SIM_VIPS = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]
DRIVER_PATH = "manila_vast.driver.VASTShareDriver"
GROUPS = itertools.count(1)
_MUTATING = frozenset({"POST", "PATCH", "PUT", "DELETE"})
_READ_ONLY_POSTS = frozenset({"/token/", "/token/refresh/", "/folders/stat_path/"})


def backend_configuration(conf: Any, group: str, options: dict[str, Any], extra_opts: Any = None) -> Any:
    """A ``Configuration`` for backend ``group`` as the share manager builds it, with ``options`` set.

    ``extra_opts`` are the driver's options (this driver's by default; the in-tree driver's for it)."""
    from manila.share import configuration
    from manila.share import driver as share_driver
    from manila.share.manager import share_manager_opts

    from manila_vast.options import VAST_OPTS

    config = configuration.Configuration(share_manager_opts, config_group=group)
    # Registered before the driver is built, so that the values can be set first: the base class reads
    # driver_handles_share_servers in its constructor.
    config.append_config_values(share_driver.share_opts)
    config.append_config_values(VAST_OPTS if extra_opts is None else extra_opts)
    for name, value in options.items():
        conf.set_override(name, value, group=group)
    return config


def control(sim: Simulator, method: str, path: str, body: Any = None) -> Any:
    """Call the simulator's control API (``/_sim/...``) through its transport."""
    session = requests.Session()
    session.mount("https://control.test/", sim.adapter())
    response = session.request(method, f"https://control.test{path}", json=body)
    response.raise_for_status()
    return response.json() if response.content else None


def vms_get(sim: Simulator, route: str, params: dict[str, Any] | None = None) -> Any:
    """A VMS API read, as any client would make it (logged: clear the call log afterwards if it matters)."""
    session = requests.Session()
    session.mount("https://vms-read.test/", sim.adapter())
    response = session.get(f"https://vms-read.test/api{route}", params=params, auth=("admin", "123456"))
    response.raise_for_status()
    return response.json()


def calls(sim: Simulator) -> list[dict[str, Any]]:
    """``GET /_sim/calls``: every VMS request since the last clear."""
    return list(control(sim, "GET", "/_sim/calls"))


def clear_calls(sim: Simulator) -> None:
    control(sim, "DELETE", "/_sim/calls")


def mutations(sim: Simulator) -> list[str]:
    """The mutating calls in the log, as ``"METHOD /route"`` (logins and ``stat_path``, POSTs that change
    nothing, left out)."""
    return [
        f"{c['method']} {c['route']}"
        for c in calls(sim)
        if c["method"] in _MUTATING and c["route"] not in _READ_ONLY_POSTS
    ]


def share(instance_id: str = "s1", size: int = 1, proto: str = "NFS") -> dict[str, Any]:
    """A share instance as manila passes it to the driver (the fields the driver reads)."""
    return {
        "id": instance_id,
        "share_id": f"share-of-{instance_id}",
        "size": size,
        "share_proto": proto,
        "name": f"share-{instance_id}",
        "status": "available",
        "access_rules_status": "active",
    }


def rule(
    access_to: str, level: str = "rw", access_id: str | None = None, access_type: str = "ip"
) -> dict[str, Any]:
    """An access rule as manila passes it: ``id`` (the instance mapping) differs from ``access_id``."""
    access_id = access_id or f"acc-{access_to}-{level}"
    return {
        "id": f"map-{access_id}",
        "access_id": access_id,
        "access_type": access_type,
        "access_to": access_to,
        "access_level": level,
        "state": "applying",
    }


def records(sim: Simulator, collection: str) -> list[dict[str, Any]]:
    """The stored records of a collection, from the simulator's state (no VMS call, nothing logged)."""
    return list(sim.state_dict()["tables"][collection].values())


def one(sim: Simulator, collection: str, **match: Any) -> dict[str, Any] | None:
    """The stored record of ``collection`` matching every field given, or None."""
    found = [r for r in records(sim, collection) if all(r.get(k) == v for k, v in match.items())]
    assert len(found) <= 1, found
    return found[0] if found else None


def directory_exists(sim: Simulator, path: str, tenant_id: int = 1) -> bool:
    return path in sim.state_dict()["filesystem"][str(tenant_id)]


@contextlib.contextmanager
def https_simulator(tmp_path: Any) -> Iterator[tuple[Any, str]]:
    """The simulator served over HTTPS with a throwaway CA (trustme); yields (server, CA bundle path)."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    server = serve("127.0.0.1", 0, cert=str(cert_file), key=str(key_file)).start()
    try:
        yield server, str(ca_file)
    finally:
        server.shutdown()
