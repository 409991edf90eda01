"""Each kind on its own: live records → normalised objects, risks, request bodies, registry."""

from __future__ import annotations

from typing import Any

import pytest

from vastplan.engine.state import FieldChange
from vastplan.kinds import all_kinds, get_kind, registry
from vastplan.kinds.base import RefreshContext, common_directory, common_prefix
from vastplan.kinds.vippool import expand_ranges, pool_of

from .specs import spec_object

CTX = RefreshContext(
    tenant_names={1: "default", 2: "t2"},
    default_tenant="default",
    names_by_id={"viewpolicy": {7: "alpha-ro"}},
)


def live(kind: str, record: dict[str, Any]):  # type: ignore[no-untyped-def]
    obj = get_kind(kind).live({"id": 1, "tenant_id": 1, **record}, CTX)
    assert obj is not None
    return obj


def desired(kind: str, fields: dict[str, Any]):  # type: ignore[no-untyped-def]
    return get_kind(kind).desired(spec_object(kind, fields), "default")


def test_registry_holds_the_six_kinds_in_creation_order() -> None:
    assert list(registry()) == ["tenant", "viewpolicy", "folder", "quota", "view", "snapshot"]
    assert [k.rank for k in all_kinds()] == sorted(k.rank for k in all_kinds())
    with pytest.raises(KeyError, match="known"):
        get_kind("bucket")


def test_field_classes_come_from_the_schemas() -> None:
    view, quota = get_kind("view"), get_kind("quota")
    assert view.endpoint == "/views/" and view.identity == ("tenant", "path")
    assert "protocols" in view.fields.sets and "create_dir" in view.fields.write_only
    assert "hard_limit" in quota.fields.sizes and "is_physical_quota" in quota.fields.create_only
    assert [r.api_field for r in view.references] == ["policy_id"]


def test_view_record_is_normalised_and_computed_fields_dropped() -> None:
    obj = live(
        "view",
        {
            "path": "/a/b/",
            "policy_id": 7,
            "policy": "stale-name",
            "protocols": ["NFS4", "NFS"],
            "logical_capacity": 123,
            "sync_time": "now",
            "create_dir": True,
        },
    )
    assert obj.address == "view[/a/b]"
    assert obj.fields["protocols"] == ("NFS", "NFS4")
    assert obj.fields["policy"] == "alpha-ro"  # the id wins over the record's own name
    assert "logical_capacity" not in obj.fields and "sync_time" not in obj.fields
    assert "create_dir" not in obj.fields  # write-only: never compared


def test_unknown_policy_id_falls_back_to_the_records_name() -> None:
    assert live("view", {"path": "/a", "policy_id": 99, "policy": "other"}).fields["policy"] == "other"
    assert live("view", {"path": "/a", "policy_id": 99}).fields["policy"] == "#99"


def test_tenant_comes_from_the_tenant_id() -> None:
    obj = live("view", {"path": "/a", "tenant_id": 2})
    assert obj.tenant == "t2" and obj.address == "view[t2:/a]"


def test_quota_limits_null_and_zero_are_one_value() -> None:
    obj = live(
        "quota", {"path": "/q", "name": "q", "hard_limit": 0, "soft_limit": None, "hard_limit_inodes": 0}
    )
    assert obj.fields["hard_limit"] is None and obj.fields["soft_limit"] is None
    assert obj.fields["hard_limit_inodes"] is None


def test_viewpolicy_defaults_and_durations() -> None:
    obj = live(
        "viewpolicy",
        {"name": "p", "atime_frequency": "01:00:00", "nfs_read_only": ["2001:DB8::/64", "10.0.0.0/24"]},
    )
    assert obj.fields["atime_frequency"] == 3600
    assert obj.fields["nfs_read_only"] == ("10.0.0.0/24", "2001:db8::/64")
    # Missing from the record: the documented server default stands in (VMS_API.md §4.2).
    assert obj.fields["nfs_minimal_protection_level"] == "NONE"


def test_snapshot_paths_and_times() -> None:
    obj = live("snapshot", {"name": "s", "path": "/a/b", "expiration_time": "2030-01-01T00:00:00"})
    assert obj.fields["path"] == "/a/b/" and obj.fields["expiration_time"] == "2030-01-01T00:00:00Z"


def test_desired_sizes_and_write_only_fields() -> None:
    want = desired("quota", {"name": "q", "path": "/q", "hard_limit": "10GiB", "create_dir": True})
    assert want.compare["hard_limit"] == 10 * 2**30
    assert "create_dir" not in want.compare and want.send["create_dir"] is True


@pytest.mark.parametrize(
    "kind, field, before, after, risk",
    [
        ("quota", "hard_limit", 10, 20, "safe"),
        ("quota", "hard_limit", 20, 10, "data-loss"),
        ("quota", "hard_limit", None, 10, "data-loss"),  # a limit where there was none
        ("quota", "hard_limit", 10, None, "safe"),
        ("quota", "soft_limit", 20, 10, "safe"),
        ("view", "policy", "a", "b", "disruptive"),
        ("view", "alias", "/x", "/y", "safe"),
        ("viewpolicy", "flavor", "NFS", "SMB", "disruptive"),
        ("snapshot", "expiration_time", "2030-01-01T00:00:00Z", "2029-01-01T00:00:00Z", "data-loss"),
        ("snapshot", "expiration_time", "2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", "safe"),
        ("snapshot", "expiration_time", None, "2031-01-01T00:00:00Z", "data-loss"),
    ],
)
def test_field_risks(kind: str, field: str, before: Any, after: Any, risk: str) -> None:
    assert get_kind(kind).field_risk(FieldChange(field, before, after)) == risk


@pytest.mark.parametrize(
    "kind, added, removed, risk",
    [
        ("viewpolicy", ("10.0.0.1",), (), "safe"),
        ("viewpolicy", (), ("10.0.0.1",), "disruptive"),
        ("view", ("NFS4",), (), "safe"),
        ("view", (), ("NFS4",), "disruptive"),
    ],
)
def test_set_risks(kind: str, added: tuple[str, ...], removed: tuple[str, ...], risk: str) -> None:
    field = "nfs_read_only" if kind == "viewpolicy" else "protocols"
    assert get_kind(kind).field_risk(FieldChange(field, None, None, added=added, removed=removed)) == risk


@pytest.mark.parametrize(
    "kind, risk",
    [
        ("tenant", "data-loss"),
        ("viewpolicy", "disruptive"),
        ("folder", "data-loss"),
        ("quota", "disruptive"),
        ("view", "disruptive"),
        ("snapshot", "data-loss"),
    ],
)
def test_delete_risks(kind: str, risk: str) -> None:
    assert get_kind(kind).delete_risk == risk and get_kind(kind).create_risk == "safe"


def test_create_body_holds_only_create_accepted_fields_and_ids() -> None:
    want = desired("view", {"path": "/a", "policy": "p", "protocols": ["NFS"], "alias": "/x"})
    request = get_kind("view").create_request(
        want, {"tenant_id": 1, "policy_id": {"$ref": "viewpolicy[p].id"}}
    )
    assert request.method == "POST" and request.path == "/views/"
    assert request.body == {
        "path": "/a",
        "protocols": ["NFS"],
        "alias": "/x",
        "tenant_id": 1,
        "policy_id": {"$ref": "viewpolicy[p].id"},
    }


def test_spec_create_dir_false_wins_over_the_default() -> None:
    want = desired("quota", {"name": "q", "path": "/q", "create_dir": False})
    body = get_kind("quota").create_request(want, {"tenant_id": 1}).body
    assert body is not None and body["create_dir"] is False


def test_update_body_holds_only_changed_update_accepted_fields() -> None:
    have = live("quota", {"path": "/q", "name": "q", "hard_limit": 1})
    want = desired("quota", {"name": "q", "path": "/q", "hard_limit": 2, "soft_limit": 1, "create_dir": True})
    request = get_kind("quota").update_request(have, want, ["hard_limit"], {})
    assert (request.method, request.path, request.body) == ("PATCH", "/quotas/1/", {"hard_limit": 2})


def test_folder_requests_use_the_trash_api() -> None:
    folder = get_kind("folder")
    have = folder.live({"path": "/f", "tenant_id": 2}, CTX)
    assert have is not None
    request = folder.delete_request(have)
    assert (request.method, request.path, request.body) == (
        "DELETE",
        "/folders/delete_folder/",
        {"path": "/f", "tenant_id": 2},
    )
    assert {"status": 400, "detail_contains": "no such directory"} in folder.tolerate("delete")
    assert folder.lookup(name=None, path="/f", tenant_id=2) is None
    assert folder.delete_feature == "trash_api" and not folder.prunable and not folder.listable


def test_lookups_select_by_identity() -> None:
    assert get_kind("view").lookup(name=None, path="/a", tenant_id=3) == {
        "path": "/views/",
        "params": {"path": "/a", "tenant_id": 3},
    }
    assert get_kind("snapshot").lookup(name="s", path="/a/", tenant_id=1) == {
        "path": "/snapshots/",
        "params": {"name": "s"},
    }
    assert get_kind("view").tolerate("delete") == [{"status": 404}]


def test_export_entry_writes_non_default_settable_fields() -> None:
    obj = live(
        "viewpolicy",
        {
            "name": "p",
            "atime_frequency": "3600",
            "nfs_read_only": ["b", "a"],
            "nfs_all_squash": [],
            "nfs_posix_acl": False,
            "flavor": "NFS",
            "count_views": 3,
        },
    )
    entry = get_kind("viewpolicy").export_entry(obj, type("Ctx", (), {"default_tenant": "default"})())
    assert entry == {"name": "p", "nfs_read_only": ["a", "b"], "flavor": "NFS"}


def test_common_prefixes() -> None:
    assert common_directory(["/a/b/c", "/a/b/d"]) == "/a/b"
    assert common_directory(["/a/bc", "/a/b"]) == "/a"
    assert common_directory(["/x", "/y"]) == "/"
    assert common_prefix(["alpha-1", "alpha-2"]) == "alpha-"


def test_vippool_addresses() -> None:
    assert expand_ranges([["192.0.2.1", "192.0.2.3"], ["bad", "x"], ["192.0.2.9", "192.0.2.8"]]) == (
        "192.0.2.1",
        "192.0.2.2",
        "192.0.2.3",
    )
    pool = pool_of({"id": 1, "name": "vippool-1", "ip_ranges": [["192.0.2.1", "192.0.2.1"]]})
    assert pool.addresses == ("192.0.2.1",) and pool.tenant_id is None
