"""Switching from the in-tree VAST driver (shipped in manila) to this one keeps every share (DESIGN §9).

Shares are created by ``manila.share.drivers.vastdata.driver.VASTShareDriver`` against the simulator served
over HTTPS (that driver always speaks https and never verifies the certificate); then this driver is loaded
on the same backend settings and runs ``ensure_shares``. Its only changes are the world-open policies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from manila_testlib import (
    BASE_OPTIONS,
    GROUPS,
    backend_configuration,
    clear_calls,
    https_simulator,
    mutations,
    records,
    rule,
    share,
)

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

IN_TREE = "manila.share.drivers.vastdata.driver.VASTShareDriver"
LOG = logging.getLogger(__name__)

RULES = {
    "m1": [],  # never had a rule: VAST's defaults ("*") stay on its policy under the in-tree driver
    "m2": [rule("10.0.0.0/30", "rw", "a-m2-rw"), rule("10.2.0.7", "ro", "a-m2-ro")],
    "m3": [rule("10.3.0.0/29", "ro", "a-m3")],
}


@pytest.fixture
def in_tree_cloud(manila_conf: Any, tmp_path: Any) -> Iterator[dict[str, Any]]:
    """Shares made by the in-tree driver; yields the server, its CA and the in-tree export locations."""
    from manila.share.drivers.vastdata import driver as in_tree
    from oslo_utils import importutils

    with https_simulator(tmp_path) as (server, ca_file):
        options = {**BASE_OPTIONS, "vast_mgmt_host": "127.0.0.1", "vast_mgmt_port": server.port}
        group = f"vast_in_tree_{next(GROUPS)}"
        conf = backend_configuration(manila_conf, group, {}, extra_opts=in_tree.OPTS)
        for name, value in options.items():
            manila_conf.set_override(name, value, group=group)
        old = importutils.import_object(IN_TREE, configuration=conf)
        old.do_setup(None)
        exports = {}
        for instance_id, rules in RULES.items():
            exports[instance_id] = old.create_share(None, share(instance_id))
            if rules:
                old.update_access(None, share(instance_id), rules, rules, [], [])
        old.create_snapshot(None, {"name": "share-snapshot-x", "share_instance_id": "m2"})
        yield {"server": server, "ca": ca_file, "exports": exports}
        for name in list(manila_conf[group]):
            manila_conf.clear_override(name, group=group)


def test_switching_drivers_keeps_the_shares(in_tree_cloud: dict[str, Any], make_driver: Any) -> None:
    server, sim = in_tree_cloud["server"], in_tree_cloud["server"].simulator
    before = {name: records(sim, name) for name in ("views", "quotas", "snapshots")}
    drv = make_driver(
        adapter=None,
        vast_mgmt_host="127.0.0.1",
        vast_mgmt_port=server.port,
        vast_ssl_cert_path=in_tree_cloud["ca"],
    )
    clear_calls(sim)

    result = drv.ensure_shares(None, [share(i) for i in RULES])

    for instance_id in RULES:
        assert result[instance_id]["status"] == "available"
        # The same export paths the in-tree driver returned: nothing for manila to update.
        assert result[instance_id]["export_locations"] == in_tree_cloud["exports"][instance_id]
        assert result[instance_id]["reapply_access_rules"] is True  # every in-tree policy holds "*"
    policy_ids = {p["name"]: p["id"] for p in records(sim, "viewpolicies")}
    changed = sorted(mutations(sim))  # one PATCH per policy, in parallel: any order
    LOG.info("mutating calls of the first ensure_shares after the switch: %s", changed)
    assert changed == sorted(f"PATCH /viewpolicies/{policy_ids[i]}/" for i in RULES)
    assert {name: records(sim, name) for name in before} == before  # views, quotas, snapshots untouched
    policies = {p["name"]: p for p in records(sim, "viewpolicies")}
    assert all(
        "*" not in p[key]
        for p in policies.values()
        for key in ("nfs_read_write", "nfs_read_only", "nfs_root_squash", "nfs_no_squash")
    )
    # m2's policy still holds the hosts the in-tree driver expanded, until manila re-applies its rules...
    assert sorted(policies["m2"]["nfs_read_write"]) == ["10.0.0.1", "10.0.0.2"]

    # ...which it does because of reapply_access_rules: the rules arrive as adds.
    for instance_id, rules in RULES.items():
        assert drv.update_access(None, share(instance_id), rules, rules, [], []) == {}
    policies = {p["name"]: p for p in records(sim, "viewpolicies")}
    assert policies["m1"]["nfs_read_write"] == policies["m1"]["nfs_read_only"] == []
    assert policies["m2"]["nfs_read_write"] == ["10.0.0.0/30"]
    assert policies["m3"]["nfs_read_only"] == ["10.3.0.0/29"]

    clear_calls(sim)
    again = drv.ensure_shares(None, [share(i) for i in RULES])
    assert mutations(sim) == [] and not any(r["reapply_access_rules"] for r in again.values())

    drv.delete_snapshot(None, {"name": "share-snapshot-x", "share_instance_id": "m2"})
    drv.delete_share(None, share("m2"))
    assert not any(v["path"].endswith("manila-m2") for v in records(sim, "views"))
