"""Cluster faults (``POST /_sim/faults``) during manila operations: a transient one is retried away; a
lasting one ends the operation in manila's error state, cleanly, and the user's retry heals it."""

from __future__ import annotations

from typing import Any

from .manila_ops import allow, create_share, instance_id, rules, wait_gone, wait_rules, wait_share
from .sim_control import GIB, SimControl

UNAVAILABLE = 503
HOST = "198.51.100.9"


def _statuses(cluster: SimControl, method: str, route: str) -> list[int]:
    return [c["status"] for c in cluster.calls() if c["method"] == method and c["route"] == route]


def test_transient_fault_is_retried_by_the_driver(manila: Any, vast_cluster: SimControl) -> None:
    vast_cluster.clear_calls()
    vast_cluster.add_fault(method="POST", path="/views/", status=UNAVAILABLE, times=2)

    share = create_share(manila, "e2e-transient")

    assert share.status == "available"
    assert _statuses(vast_cluster, "POST", "/views/") == [UNAVAILABLE, UNAVAILABLE, 201]
    assert vast_cluster.objects(instance_id(manila, share))["view"] is not None


def test_failed_create_ends_in_error_and_a_retry_heals(manila: Any, vast_cluster: SimControl) -> None:
    vast_cluster.add_fault(method="POST", path="/views/", status=UNAVAILABLE)
    share = create_share(manila, "e2e-create-fault", wait=False)
    share = wait_share(manila, share, "error")
    vast_cluster.clear_faults()
    iid = instance_id(manila, share)
    assert vast_cluster.objects(iid)["view"] is None  # never exported

    # The user's retry of a failed create: delete it (the driver cleans up what was made), create again.
    manila.shares.delete(share)
    wait_gone(manila, manila.shares, share)
    assert vast_cluster.objects(iid) == {"view": None, "policy": None, "quota": None, "directory": False}
    again = create_share(manila, "e2e-create-fault")
    assert vast_cluster.objects(instance_id(manila, again))["view"] is not None


def test_failed_access_update_errors_the_rule_and_a_retry_heals(
    manila: Any, vast_cluster: SimControl
) -> None:
    share = create_share(manila, "e2e-access-fault")
    iid = instance_id(manila, share)
    vast_cluster.add_fault(method="PATCH", path="/viewpolicies/*/", status=UNAVAILABLE)
    manila.shares.allow(share, "ip", HOST, "rw")
    wait_rules(manila, share, {HOST: ("rw", "error")}, rules_status="error")
    vast_cluster.clear_faults()
    assert HOST not in vast_cluster.objects(iid)["policy"]["nfs_read_write"]

    manila.shares.deny(share, rules(manila, share)[HOST].id)  # an errored rule is denied without fuss
    wait_rules(manila, share, {})
    allow(manila, share, HOST, "rw")
    assert vast_cluster.objects(iid)["policy"]["nfs_read_write"] == [HOST]


def test_failed_extend_errors_the_share_and_a_retry_heals(manila: Any, vast_cluster: SimControl) -> None:
    share = create_share(manila, "e2e-extend-fault")
    iid = instance_id(manila, share)
    vast_cluster.add_fault(method="PATCH", path="/quotas/*/", status=UNAVAILABLE)
    manila.shares.extend(share, 2)
    share = wait_share(manila, share, "extending_error")
    vast_cluster.clear_faults()
    assert share.size == 1
    assert vast_cluster.objects(iid)["quota"]["hard_limit"] == 1 * GIB

    # The operator's retry: back to available, extend again.
    manila.shares.reset_state(share, "available")
    manila.shares.extend(share, 2)
    assert wait_share(manila, share).size == 2
    assert vast_cluster.objects(iid)["quota"]["hard_limit"] == 2 * GIB
