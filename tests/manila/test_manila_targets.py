"""Targets: the spec documents of each operation load in the engine as they are (pure, plus the loader)."""

from __future__ import annotations

from manila_vast.access import HostAccess
from manila_vast.targets import (
    GIB,
    Layout,
    access_document,
    create_share_document,
    delete_share_document,
    resize_document,
    share_addresses,
    snapshot_document,
)

LAYOUT = Layout(root="/manila")


def test_create_share_document() -> None:
    doc = create_share_document(LAYOUT, "abc", 2)
    assert doc["defaults"] == {"tenant": "default"}
    (policy,) = doc["viewpolicies"]
    assert policy["name"] == "abc"
    assert all(policy[k] == [] for k in policy if k != "name")  # no hosts, never "*"
    assert doc["quotas"] == [
        {"name": "abc", "path": "/manila/manila-abc", "hard_limit": 2 * GIB, "create_dir": True}
    ]
    assert doc["views"] == [
        {"path": "/manila/manila-abc", "name": "abc", "policy": "abc", "protocols": ["NFS"]}
    ]


def test_delete_share_document_lists_everything_absent() -> None:
    doc = delete_share_document(Layout(root="/r", tenant="t2"), "abc")
    assert doc["defaults"] == {"tenant": "t2"}
    for key in ("views", "quotas", "viewpolicies", "folders"):
        assert [entry["state"] for entry in doc[key]] == ["absent"]
    assert doc["folders"][0]["path"] == "/r/manila-abc"


def test_resize_access_snapshot_documents() -> None:
    assert resize_document(LAYOUT, "abc", 5)["quotas"][0]["hard_limit"] == 5 * GIB
    assert "create_dir" not in resize_document(LAYOUT, "abc", 5)["quotas"][0]
    access = HostAccess(frozenset({"10.0.0.0/24"}), frozenset())
    assert access_document(LAYOUT, "abc", access)["viewpolicies"][0]["nfs_read_write"] == ["10.0.0.0/24"]
    assert snapshot_document(LAYOUT, "share-snapshot-1", "abc")["snapshots"] == [
        {"name": "share-snapshot-1", "path": "/manila/manila-abc/"}
    ]


def test_share_addresses() -> None:
    assert share_addresses(LAYOUT, "abc") == {
        "viewpolicy": "viewpolicy[abc]",
        "folder": "folder[/manila/manila-abc]",
        "quota": "quota[/manila/manila-abc]",
        "view": "view[/manila/manila-abc]",
    }
    assert share_addresses(Layout(root="/m", tenant="t2"), "x")["view"] == "view[t2:/m/manila-x]"


def test_every_document_loads_in_the_engine() -> None:
    # The engine validates what a schema cannot (a quota needs its directory declared or created).
    from manila_vast.targets import delete_snapshot_document
    from vastplan.api import load_documents

    layout = Layout(root="/manila", tenant="t2", root_squash=True)
    access = HostAccess(frozenset({"10.0.0.0/24", "2001:db8::/64"}), frozenset({"192.0.2.7"}))
    docs = {
        "create": create_share_document(layout, "abc", 1),
        "delete": delete_share_document(layout, "abc"),
        "resize": resize_document(layout, "abc", 3),
        "access": access_document(layout, "abc", access),
        "snapshot": snapshot_document(layout, "snap", "abc"),
        "snapshot-delete": delete_snapshot_document(layout, "snap"),
    }
    for name, doc in docs.items():
        spec = load_documents([(name, doc)])
        assert spec.objects, name
        assert {obj.address for obj in spec.objects} <= {
            *share_addresses(layout, "abc").values(),
            "snapshot[snap]",
            "tenant[t2]",
        }
