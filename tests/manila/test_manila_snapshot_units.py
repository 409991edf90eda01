"""The pure parts behind snapshots, clones and manage: export paths, directories, sizes, stream states,
snapshot access (no manila, no simulator)."""

from __future__ import annotations

import pytest

from manila_vast.clones import stream_name, stream_status
from manila_vast.layout import (
    LayoutError,
    directory_under_root,
    export_host,
    parse_export_location,
    share_directory,
    snapshot_directory,
)
from manila_vast.manage import ManageRefusal, managed_directory, managed_size, managed_snapshot_name
from manila_vast.snapshot_access import host_covered, uncovered_snapshot_hosts
from manila_vast.stats import Reservations, capability_stats
from manila_vast.targets import GIB, Layout, existing_directory_document, quota_entry

LAYOUT = Layout(root="/manila")
VIPS = ["192.0.2.1", "2001:db8::1"]


# ------------------------------------------------------------------------------------------- layout


def test_parse_export_location() -> None:
    assert parse_export_location("192.0.2.1:/manila/x") == ("192.0.2.1", "/manila/x")
    assert parse_export_location("[2001:db8::1]:/manila/x") == ("2001:db8::1", "/manila/x")
    assert parse_export_location("nfs.example.com:/manila/x") == ("nfs.example.com", "/manila/x")
    for bad in ("/manila/x", "192.0.2.1:manila/x", ":/manila/x", ""):
        with pytest.raises(LayoutError, match="<address>:/<path>"):
            parse_export_location(bad)


def test_directory_under_root() -> None:
    assert directory_under_root("/manila", "/manila/projects/") == "/manila/projects"
    assert directory_under_root("/manila", "//manila//projects") == "/manila/projects"
    with pytest.raises(LayoutError, match="outside the root export /manila"):
        directory_under_root("/manila", "/other/projects")
    with pytest.raises(LayoutError, match="outside the root export"):
        directory_under_root("/manila", "/manila")
    with pytest.raises(LayoutError, match="outside the root export"):
        directory_under_root("/manila", "/manilax/projects")
    with pytest.raises(LayoutError, match="directly below"):
        directory_under_root("/manila", "/manila/a/b")
    with pytest.raises(LayoutError, match="'..'"):
        directory_under_root("/manila", "/manila/../etc")
    with pytest.raises(LayoutError, match="VAST's own"):
        directory_under_root("/manila", "/manila/.snapshot")


def test_share_directory_from_export_locations() -> None:
    assert share_directory("/manila", "s1") == "/manila/manila-s1"
    managed = [{"path": "192.0.2.1:/manila/projects", "is_admin_only": False}]
    assert share_directory("/manila", "s1", managed) == "/manila/projects"
    # Strings, objects with .path, and locations outside the root are all handled.
    assert share_directory("/manila", "s1", ["[2001:db8::1]:/manila/p2"]) == "/manila/p2"
    assert share_directory("/manila", "s1", ["192.0.2.1:/elsewhere/p"]) == "/manila/manila-s1"


def test_snapshot_directory() -> None:
    assert snapshot_directory("/manila/manila-s1", "snap") == "/manila/manila-s1/.snapshot/snap"


def test_export_host_compares_addresses() -> None:
    assert export_host("[2001:DB8::1]") == export_host("2001:db8::1")
    assert export_host("NFS.example.com") == "nfs.example.com"


# ------------------------------------------------------------------------------------------- manage


def test_managed_directory() -> None:
    assert managed_directory(LAYOUT, "192.0.2.1:/manila/projects", VIPS, vippool="p") == "/manila/projects"
    assert (
        managed_directory(LAYOUT, "[2001:DB8::1]:/manila/projects", VIPS, vippool="p") == "/manila/projects"
    )
    with pytest.raises(ManageRefusal, match="192.0.2.99 is not an address of VIP pool p.*another backend"):
        managed_directory(LAYOUT, "192.0.2.99:/manila/projects", VIPS, vippool="p")
    with pytest.raises(ManageRefusal, match="outside the root export"):
        managed_directory(LAYOUT, "192.0.2.1:/data/projects", VIPS, vippool="p")


def test_managed_size_from_the_quota_rounded_up() -> None:
    quota = {"name": "q", "hard_limit": 3 * GIB + 1, "used_effective_capacity": GIB}
    assert managed_size("/manila/p", quota, {}).size_gib == 4
    assert managed_size("/manila/p", quota, {}).lowers_limit is False
    exact = {"name": "q", "hard_limit": 2 * GIB}
    assert managed_size("/manila/p", exact, {}).size_gib == 2


def test_managed_size_needs_a_size_without_a_limit() -> None:
    with pytest.raises(ManageRefusal, match="has no quota.*size=<GiB>"):
        managed_size("/manila/p", None, {})
    with pytest.raises(ManageRefusal, match="without a hard limit"):
        managed_size("/manila/p", {"name": "q", "hard_limit": None}, {})
    assert managed_size("/manila/p", None, {"size": "5"}).size_gib == 5
    # Setting a limit where there was none is a data-loss change: consented to after the usage check.
    unlimited = managed_size("/manila/p", {"name": "q", "hard_limit": 0, "used_capacity": GIB}, {"size": 2})
    assert unlimited.size_gib == 2 and unlimited.lowers_limit


def test_managed_size_refuses_when_data_does_not_fit() -> None:
    with pytest.raises(ManageRefusal, match="holds 3221225472 bytes, more than 2 GiB"):
        managed_size("/manila/p", {"name": "q", "hard_limit": 5 * GIB, "used_capacity": 3 * GIB}, {"size": 2})
    for bad in ("two", "0", "-1"):
        with pytest.raises(ManageRefusal, match="size="):
            managed_size("/manila/p", None, {"size": bad})


def test_managed_snapshot_name() -> None:
    record = {"name": "daily", "path": "/manila/p/", "tenant_name": "default"}
    found = managed_snapshot_name("7", record, layout=LAYOUT, directory="/manila/p", share_id="s1")
    assert found == "daily"
    with pytest.raises(ManageRefusal, match="no snapshot named"):
        managed_snapshot_name("x", None, layout=LAYOUT, directory="/manila/p", share_id="s1")
    with pytest.raises(ManageRefusal, match="of /manila/q, not of share s1"):
        managed_snapshot_name(
            "daily", {**record, "path": "/manila/q/"}, layout=LAYOUT, directory="/manila/p", share_id="s1"
        )
    with pytest.raises(ManageRefusal, match="tenant t2"):
        managed_snapshot_name(
            "daily", {**record, "tenant_name": "t2"}, layout=LAYOUT, directory="/manila/p", share_id="s1"
        )


def test_existing_directory_document_never_creates_the_directory() -> None:
    doc = existing_directory_document(LAYOUT, "s9", 3, "/manila/p", {"NFS", "NFS4"})
    assert doc["quotas"] == [{"name": "s9", "path": "/manila/p", "hard_limit": 3 * GIB, "create_dir": False}]
    assert doc["views"] == [{"path": "/manila/p", "name": "s9", "policy": "s9", "protocols": ["NFS", "NFS4"]}]
    assert doc["viewpolicies"][0]["name"] == "s9" and doc["viewpolicies"][0]["nfs_read_write"] == []
    assert "create_dir" not in quota_entry(LAYOUT, "s1", 1)


# ------------------------------------------------------------------------------------------- clones


def test_stream_states() -> None:
    assert stream_name("abc") == "manila-clone-abc"
    assert stream_status({"state": "Completed"}).phase == "done"
    assert stream_status({"state": "Syncing", "status": {"state": "FINISHED"}}).phase == "done"
    running = stream_status({"state": "Syncing", "sync_progress": 42})
    assert (running.phase, running.progress_text) == ("running", "42%")
    assert stream_status({"state": "Initializing"}).progress_text is None
    assert stream_status({"state": "Suspended"}).phase == "failed"
    assert stream_status({"state": "Syncing", "status": {"state": "FAILED"}}).phase == "failed"
    assert stream_status({}).phase == "running"  # unknown: look again at the next poll


# ------------------------------------------------------------------------------------- snapshot access


def rule(access_to: str, access_id: str, access_type: str = "ip", level: str = "rw") -> dict[str, str]:
    return {"access_id": access_id, "access_type": access_type, "access_to": access_to, "access_level": level}


def test_host_covered() -> None:
    assert host_covered("10.0.0.5", ["10.0.0.0/24"])
    assert host_covered("10.0.0.0/25", ["10.0.0.0/24"])
    assert not host_covered("10.0.0.0/23", ["10.0.0.0/24"])
    assert not host_covered("2001:db8::1", ["10.0.0.0/8"])
    assert host_covered("2001:db8::1", ["2001:db8::/64"])
    assert host_covered("192.0.2.7", ["*"])
    assert not host_covered("192.0.2.7", ["@netgroup", "10.0.*.*"])


def test_uncovered_snapshot_hosts() -> None:
    policy = {"nfs_read_write": ["10.0.0.0/24"], "nfs_read_only": ["10.1.0.9"]}
    rules = [
        rule("10.0.0.7", "a"),  # covered by the share's rw subnet; rw asked, served read-only
        rule("10.1.0.9", "b", level="ro"),
        rule("10.2.0.1", "c"),
        rule("alice", "d", access_type="user"),
        rule("not-an-ip", "e"),
    ]
    refused = uncovered_snapshot_hosts(rules, policy)
    assert set(refused) == {"c", "d", "e"}
    assert "grant the host access to the share" in refused["c"]
    assert uncovered_snapshot_hosts([rule("10.0.0.7", "a")], None) == {
        "a": uncovered_snapshot_hosts([rule("10.0.0.7", "a")], {})["a"]
    }


# ------------------------------------------------------------------------------------------- stats


def test_snapshot_capabilities() -> None:
    sample = {"logical_space": 10.0 * GIB, "logical_space_in_use": 0.0}
    stats = capability_stats(sample, provisioned=0, reservations=Reservations())
    assert stats["snapshot_support"] is True
    assert stats["create_share_from_snapshot_support"] is True
    assert stats["mount_snapshot_support"] is True
    assert stats["snapshot_inherit_share_access_support"] is True
    assert stats["revert_to_snapshot_support"] is False
    old = capability_stats(sample, provisioned=0, reservations=Reservations(), clone_support=False)
    assert old["create_share_from_snapshot_support"] is False
