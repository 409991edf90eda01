"""A restart of manila-share re-exports the existing shares through ``ensure_shares`` and changes nothing:
same export locations, same rules, same cluster objects, and no mutating call on the cluster.

manila runs ``ensure_shares`` at start only when ``get_backend_info`` changed (MANILA.md §1.4): the restart
moves the VMS address from 127.0.0.1 to localhost (the same simulator; its certificate names both), as an
operator would. That ensure ran is read from the backend-info hash manila stores after it. The ensure-shares
service action (API 2.86) then runs it once more on demand.
"""

from __future__ import annotations

import time
from typing import Any

from .manila_ops import (
    allow,
    create_share,
    export_paths,
    instance_id,
    poll,
    rules,
    wait_ready,
    wait_snapshot,
)
from .sim_control import SimControl
from .stack import HOST, Stack


def _manila_view(manila: Any, shares: list[Any]) -> dict[str, Any]:
    return {
        share.id: (
            manila.shares.get(share.id).status,
            export_paths(manila, share),
            {to: (r.access_level, r.state) for to, r in rules(manila, share).items()},
        )
        for share in shares
    }


def _cluster_view(cluster: SimControl, instance_ids: list[str]) -> dict[str, Any]:
    state = cluster.state()
    return {
        "objects": {iid: cluster.objects(iid, state) for iid in instance_ids},
        "snapshots": sorted(state["tables"]["snapshots"].values(), key=lambda s: s["id"]),
    }


def _backend_info_hash(stack: Stack) -> str | None:
    with stack.db.connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT info_hash FROM backend_info WHERE host = %s AND deleted = 0", (stack.share_host,)
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _ensure_shares(manila: Any, host: str) -> None:
    """``POST /services/ensure-shares`` with the body manila's API validates (``{"ensure_shares": {"host"}}``):
    python-manilaclient 6.3's ``services.ensure_shares`` sends ``{"host"}``, which the API rejects."""
    manila.client.post("/services/ensure-shares", body={"ensure_shares": {"host": host}})


def _instances_updated(manila: Any, instance_ids: list[str]) -> dict[str, str]:
    return {iid: manila.share_instances.get(iid).updated_at for iid in instance_ids}


def _wait_instance_ensured(manila: Any, iid: str, updated_at: str) -> None:
    poll(
        lambda: manila.share_instances.get(iid),
        lambda instance: instance.updated_at != updated_at and instance.status == "available",
        f"share instance {iid} to be ensured and available",
        timeout=120,
    )


def _wait_ensured(manila: Any, stack: Stack, before: dict[str, str]) -> None:
    """Every share instance went through ``ensuring`` (its ``updated_at`` moved) and is ``available``
    again, and the service is done ensuring (manila clears the flag after the last share's access rules
    and snapshots were looked after)."""
    for iid, updated_at in before.items():
        _wait_instance_ensured(manila, iid, updated_at)
    poll(
        lambda: [
            s for s in manila.services.list() if s.binary == "manila-share" and s.host == stack.share_host
        ],
        lambda found: bool(found) and not found[0].ensuring,
        "manila-share to finish ensuring",
    )


def test_restart_re_exports_shares_without_changes(
    stack: Stack, manila: Any, vast_cluster: SimControl
) -> None:
    with_rules = create_share(manila, "e2e-restart-a")
    allow(manila, with_rules, "203.0.113.0/24", "rw")
    allow(manila, with_rules, "198.51.100.20", "ro")
    wait_snapshot(manila, manila.share_snapshots.create(with_rules, name="e2e-restart-snap"))
    bare = create_share(manila, "e2e-restart-b", size=2)
    shares = [with_rules, bare]
    instance_ids = [instance_id(manila, share) for share in shares]
    manila_before = _manila_view(manila, shares)
    cluster_before = _cluster_view(vast_cluster, instance_ids)
    hash_before = _backend_info_hash(stack)
    assert hash_before
    updated_before = _instances_updated(manila, instance_ids)

    vast_cluster.clear_calls()
    share_service = stack.restart("manila-share", vast_mgmt_host="localhost")
    poll(
        lambda: _backend_info_hash(stack),
        lambda h: h != hash_before,
        "manila-share to run ensure_shares at start (a new backend-info hash)",
        timeout=120,
    )
    share_service.check_running()
    wait_ready(manila, stack.share_host, HOST, watch=[share_service])
    _wait_ensured(manila, stack, updated_before)

    assert vast_cluster.mutations() == []
    assert any(c["method"] == "GET" and c["route"] == "/views/" for c in vast_cluster.calls())
    assert _manila_view(manila, shares) == manila_before
    assert _cluster_view(vast_cluster, instance_ids) == cluster_before

    time.sleep(1.1)  # manila's updated_at has whole seconds: the next update must be told apart
    updated_before = _instances_updated(manila, instance_ids)
    vast_cluster.clear_calls()
    _ensure_shares(manila, stack.share_host)
    _wait_ensured(manila, stack, updated_before)

    assert vast_cluster.mutations() == []
    assert _manila_view(manila, shares) == manila_before
    assert _cluster_view(vast_cluster, instance_ids) == cluster_before
