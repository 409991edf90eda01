"""Share scenarios through python-manilaclient, each checked in manila's view and on the cluster.

Under ``VASTPLAN_E2E_DRIVER=dummy`` (``cluster`` is None) only manila's view is checked, and scenarios that
need the cluster are skipped.
"""

from __future__ import annotations

from typing import Any

from .manila_ops import (
    allow,
    create_share,
    export_paths,
    instance_id,
    messages_about,
    rules,
    snapshot_instance_id,
    wait_gone,
    wait_rules,
    wait_share,
    wait_snapshot,
)
from .sim_control import GIB, SimControl

# Documentation address ranges (RFC 5737, RFC 3849): written into policies, never contacted.
NETWORK, HOST, NETWORK6 = "203.0.113.0/24", "198.51.100.7", "2001:db8::/64"


def test_create_share_exports_its_directory_on_every_vip(manila: Any, cluster: SimControl | None) -> None:
    share = create_share(manila, "e2e-create")

    assert (share.size, share.share_proto, share.status) == (1, "NFS", "available")
    paths = export_paths(manila, share)
    assert paths
    if cluster is None:
        return
    iid = instance_id(manila, share)
    assert paths == {f"{vip}:{cluster.path(iid)}" for vip in cluster.vips()}
    objects = cluster.objects(iid)
    assert objects["directory"]
    assert objects["view"]["protocols"] == ["NFS"]
    assert objects["view"]["policy_id"] == objects["policy"]["id"]
    assert objects["quota"]["hard_limit"] == 1 * GIB
    # A new share admits nobody until a rule allows it.
    assert objects["policy"]["nfs_read_write"] == objects["policy"]["nfs_read_only"] == []


def test_access_rules_allow_deny_and_change_level(manila: Any, cluster: SimControl | None) -> None:
    share = create_share(manila, "e2e-access")
    for access_to, level in ((NETWORK, "rw"), (HOST, "ro"), (NETWORK6, "rw")):
        allow(manila, share, access_to, level)
    wait_rules(manila, share, {NETWORK: ("rw", "active"), HOST: ("ro", "active"), NETWORK6: ("rw", "active")})
    iid = instance_id(manila, share) if cluster else ""
    if cluster:
        policy = cluster.objects(iid)["policy"]
        assert sorted(policy["nfs_read_write"]) == sorted([NETWORK, NETWORK6])  # CIDRs stay CIDRs
        assert policy["nfs_read_only"] == [HOST]
        # vast_root_squash = False: hosts granted access keep root.
        assert sorted(policy["nfs_no_squash"]) == sorted([NETWORK, HOST, NETWORK6])
        assert policy["nfs_root_squash"] == []

    manila.shares.deny(share, rules(manila, share)[NETWORK].id)
    wait_rules(manila, share, {HOST: ("ro", "active"), NETWORK6: ("rw", "active")})
    if cluster:
        policy = cluster.objects(iid)["policy"]
        assert policy["nfs_read_write"] == [NETWORK6]
        assert NETWORK not in policy["nfs_no_squash"]

    # A level changes as users change it: deny, then allow with the other level.
    manila.shares.deny(share, rules(manila, share)[HOST].id)
    wait_rules(manila, share, {NETWORK6: ("rw", "active")})
    allow(manila, share, HOST, "rw")
    wait_rules(manila, share, {HOST: ("rw", "active"), NETWORK6: ("rw", "active")})
    if cluster:
        policy = cluster.objects(iid)["policy"]
        assert sorted(policy["nfs_read_write"]) == sorted([HOST, NETWORK6])
        assert policy["nfs_read_only"] == []


def test_extend_and_shrink(manila: Any, cluster: SimControl | None) -> None:
    share = create_share(manila, "e2e-resize")
    iid = instance_id(manila, share) if cluster else ""

    manila.shares.extend(share, 2)
    assert wait_share(manila, share).size == 2
    if cluster:
        assert cluster.objects(iid)["quota"]["hard_limit"] == 2 * GIB

    manila.shares.shrink(share, 1)
    assert wait_share(manila, share).size == 1
    if cluster:
        assert cluster.objects(iid)["quota"]["hard_limit"] == 1 * GIB


def test_shrink_below_usage_is_refused(manila: Any, vast_cluster: SimControl) -> None:
    """The driver refuses with ShareShrinkingPossibleDataLoss; manila 23 then puts the share back to
    ``available`` at its old size with a user message (DRIVER_REFUSED_SHRINK), where older releases left it
    in ``shrinking_possible_data_loss_error``. The cluster's quota is not touched."""
    share = create_share(manila, "e2e-refused-shrink", size=3)
    iid = instance_id(manila, share)
    vast_cluster.set_usage(vast_cluster.path(iid), int(2.5 * GIB))
    vast_cluster.clear_calls()

    manila.shares.shrink(share, 2)
    share = wait_share(manila, share, "available")

    assert share.size == 3
    refusals = [
        m
        for m in manila.messages.list(search_opts={"resource_id": share.id})
        if m.detail_id == "018" and m.action_id == "009"
    ]
    assert refusals, messages_about(manila, share.id)
    assert vast_cluster.objects(iid)["quota"]["hard_limit"] == 3 * GIB
    assert vast_cluster.mutations() == []


def test_snapshot_create_and_delete(manila: Any, cluster: SimControl | None) -> None:
    share = create_share(manila, "e2e-snapshot")
    snapshot = wait_snapshot(manila, manila.share_snapshots.create(share, name="e2e-snap"))
    assert snapshot.size == share.size
    if cluster:
        # Named as manila names it: share-snapshot-<snapshot instance id>, of the share's directory.
        record = cluster.snapshot(f"share-snapshot-{snapshot_instance_id(manila, snapshot)}")
        assert record is not None
        assert record["path"].rstrip("/") == cluster.path(instance_id(manila, share))

    name = f"share-snapshot-{snapshot_instance_id(manila, snapshot)}"
    manila.share_snapshots.delete(snapshot)
    wait_gone(manila, manila.share_snapshots, snapshot)
    if cluster:
        assert cluster.snapshot(name) is None


def test_delete_share_removes_everything(manila: Any, cluster: SimControl | None) -> None:
    share = create_share(manila, "e2e-delete")
    allow(manila, share, HOST, "rw")
    iid = instance_id(manila, share)

    manila.shares.delete(share)
    wait_gone(manila, manila.shares, share)
    if cluster:
        assert cluster.objects(iid) == {"view": None, "policy": None, "quota": None, "directory": False}
