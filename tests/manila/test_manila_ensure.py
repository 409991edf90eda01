"""ensure: the per-share verdicts over collections read once (pure)."""

from __future__ import annotations

from typing import Any

from manila_vast.ensure import EnsureShare, LiveObjects, check_share, in_tenant
from manila_vast.targets import GIB, Layout

LAYOUT = Layout(root="/manila")
PATH = "/manila/manila-s1"


def live(
    *,
    view: dict[str, Any] | None = None,
    quota: dict[str, Any] | None = None,
    policy: dict[str, Any] | None = None,
) -> LiveObjects:
    return LiveObjects.from_lists(
        [view] if view else [], [quota] if quota else [], [policy] if policy else []
    )


def good_policy(**lists: list[str]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 7,
        "name": "s1",
        "nfs_read_write": [],
        "nfs_read_only": [],
        "nfs_root_squash": [],
        "nfs_no_squash": [],
        "nfs_all_squash": [],
    }
    base.update(lists)
    return base


def good_view() -> dict[str, Any]:
    return {"id": 3, "path": PATH, "name": "s1", "policy": "s1", "policy_id": 7, "protocols": ["NFS"]}


def good_quota(size: int = 1, used: int = 0) -> dict[str, Any]:
    return {"id": 4, "path": PATH, "name": "s1", "hard_limit": size * GIB, "used_effective_capacity": used}


SHARE = EnsureShare("s1", 1)


def test_in_sync() -> None:
    check = check_share(LAYOUT, SHARE, live(view=good_view(), quota=good_quota(), policy=good_policy()))
    assert check.in_sync and not check.reapply_access_rules and not check.touches_directory


def test_world_open_policy_is_closed_and_rules_reapplied() -> None:
    policy = good_policy(nfs_read_write=["*"], nfs_read_only=["*"], nfs_root_squash=["*"])
    check = check_share(LAYOUT, SHARE, live(view=good_view(), quota=good_quota(), policy=policy))
    assert check.reapply_access_rules and not check.touches_directory
    (entry,) = check.repairs["viewpolicies"]
    assert entry["nfs_read_write"] == [] and entry["nfs_root_squash"] == []
    assert set(check.repairs) == {"viewpolicies"}


def test_in_tree_policy_with_hosts_keeps_hosts_with_explicit_squash() -> None:
    policy = good_policy(
        nfs_read_write=["10.0.0.1"],
        nfs_read_only=["10.0.0.1", "10.0.0.2"],
        nfs_no_squash=["*"],
        nfs_root_squash=["*"],
    )
    (entry,) = check_share(LAYOUT, SHARE, live(view=good_view(), quota=good_quota(), policy=policy)).repairs[
        "viewpolicies"
    ]
    assert entry["nfs_read_write"] == ["10.0.0.1"]
    assert entry["nfs_read_only"] == ["10.0.0.2"]
    assert entry["nfs_no_squash"] == ["10.0.0.1", "10.0.0.2"]


def test_missing_pieces_are_repaired_and_need_a_directory_check() -> None:
    check = check_share(LAYOUT, SHARE, live())
    assert set(check.repairs) == {"viewpolicies", "quotas", "views"}
    assert check.touches_directory and check.reapply_access_rules
    assert "create_dir" not in check.repairs["quotas"][0]  # never re-creates an empty directory


def test_view_on_wrong_policy_keeps_extra_protocols() -> None:
    view = good_view() | {"policy": "other", "policy_id": 99, "protocols": ["NFS4"]}
    check = check_share(LAYOUT, SHARE, live(view=view, quota=good_quota(), policy=good_policy()))
    assert check.repairs["views"][0]["protocols"] == ["NFS", "NFS4"]
    assert check.touches_directory


def test_quota_raised_to_share_size() -> None:
    check = check_share(
        LAYOUT, EnsureShare("s1", 3), live(view=good_view(), quota=good_quota(1), policy=good_policy())
    )
    assert check.repairs["quotas"][0]["hard_limit"] == 3 * GIB and not check.lowers_quota


def test_quota_lowered_only_when_usage_fits() -> None:
    fits = check_share(
        LAYOUT, SHARE, live(view=good_view(), quota=good_quota(5, used=GIB // 2), policy=good_policy())
    )
    assert fits.lowers_quota and fits.repairs["quotas"][0]["hard_limit"] == GIB
    full = check_share(
        LAYOUT, SHARE, live(view=good_view(), quota=good_quota(5, used=2 * GIB), policy=good_policy())
    )
    assert "quotas" not in full.repairs and full.in_sync and "usage" in full.notes[0]


def test_non_nfs_share_is_broken() -> None:
    assert check_share(LAYOUT, EnsureShare("s1", 1, "CIFS"), live()).broken


def test_in_tenant() -> None:
    assert in_tenant({"tenant_name": "default"}, "default")
    assert not in_tenant({"tenant_name": "t2"}, "default")
    assert in_tenant({}, "t2")


def test_unknown_size_leaves_the_quota_alone() -> None:
    check = check_share(
        LAYOUT, EnsureShare("s1", 0), live(view=good_view(), quota=good_quota(5), policy=good_policy())
    )
    assert check.in_sync
