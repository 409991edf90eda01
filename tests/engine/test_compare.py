"""compare: field by field over normalised values; replace, delete, prune, cascades."""

from __future__ import annotations

from typing import Any

from vastplan.engine.compare import PRUNE_REASON, compare, desired_state
from vastplan.engine.state import Change

from .specs import make_spec
from .states import live_state


def changes(spec: dict[str, Any], records: dict[str, list[dict[str, Any]]]) -> dict[str, Change]:
    parsed = make_spec(spec)
    return {c.address: c for c in compare(desired_state(parsed), live_state(records), parsed.scope)}


POLICY = {"name": "alpha-ro", "nfs_read_write": [], "nfs_read_only": ["10.0.0.0/24", "2001:db8::/64"]}
LIVE_POLICY = {
    "name": "alpha-ro",
    "nfs_read_write": [],
    "nfs_read_only": ["2001:DB8::/64", "10.0.0.0/24"],
    "nfs_root_squash": ["*"],
    "count_views": 2,
    "atime_frequency": "3600",
}


def test_create_when_absent() -> None:
    change = changes({"viewpolicies": [POLICY]}, {})["viewpolicy[alpha-ro]"]
    assert (change.action, change.risk, change.before) == ("create", "safe", None)
    assert change.after is not None and change.after["tenant"] == "default"


def test_same_meaning_in_other_spelling_is_no_change() -> None:
    # Host order, IPv6 case, unmanaged fields, computed fields: none is a change.
    assert (
        changes({"viewpolicies": [POLICY]}, {"viewpolicy": [LIVE_POLICY]})["viewpolicy[alpha-ro]"].action
        == "noop"
    )


def test_sizes_with_units_equal_bytes() -> None:
    spec = {"quotas": [{"name": "q", "path": "/q", "hard_limit": "10GiB"}]}
    live = {"quota": [{"name": "q", "path": "/q", "hard_limit": 10737418240, "used_capacity": 5}]}
    assert changes(spec, live)["quota[/q]"].action == "noop"


def test_server_defaults_equal_absent_values() -> None:
    spec = {
        "viewpolicies": [
            {
                "name": "p",
                "atime_frequency": "1h",
                "nfs_minimal_protection_level": "NONE",
                "nfs_all_squash": [],
                "nfs_posix_acl": False,
            }
        ]
    }
    # The record lacks every one of them, or holds null: the server defaults stand in.
    live = {"viewpolicy": [{"name": "p", "nfs_all_squash": None, "nfs_posix_acl": None}]}
    assert changes(spec, live)["viewpolicy[p]"].action == "noop"


def test_unset_quota_limit_zero_or_null() -> None:
    spec = {"quotas": [{"name": "q", "path": "/q", "soft_limit": 0}]}
    assert (
        changes(spec, {"quota": [{"name": "q", "path": "/q", "soft_limit": None}]})["quota[/q]"].action
        == "noop"
    )


def test_set_update_reports_added_and_removed() -> None:
    spec = {"viewpolicies": [{**POLICY, "nfs_read_only": ["10.0.0.0/24", "10.0.1.0/24"]}]}
    change = changes(spec, {"viewpolicy": [LIVE_POLICY]})["viewpolicy[alpha-ro]"]
    assert change.action == "update" and change.risk == "disruptive"
    (field,) = change.fields
    assert (
        field.name == "nfs_read_only"
        and field.added == ("10.0.1.0/24",)
        and field.removed == ("2001:db8::/64",)
    )
    assert change.reason == "nfs_read_only differs"


def test_adding_hosts_is_safe() -> None:
    spec = {"viewpolicies": [{**POLICY, "nfs_read_only": [*POLICY["nfs_read_only"], "10.9.0.0/16"]}]}
    change = changes(spec, {"viewpolicy": [LIVE_POLICY]})["viewpolicy[alpha-ro]"]
    assert (change.action, change.risk) == ("update", "safe")


def test_lowering_a_hard_limit_is_data_loss() -> None:
    spec = {"quotas": [{"name": "q", "path": "/q", "hard_limit": "1GiB"}]}
    change = changes(spec, {"quota": [{"name": "q", "path": "/q", "hard_limit": 2 * 2**30}]})["quota[/q]"]
    assert (change.action, change.risk) == ("update", "data-loss")
    assert change.before == {"hard_limit": 2 * 2**30} and change.after == {"hard_limit": 2**30}


def test_create_only_field_forces_replacement_with_reason() -> None:
    spec = {"snapshots": [{"name": "s", "path": "/new"}]}
    change = changes(spec, {"snapshot": [{"name": "s", "path": "/old/"}]})["snapshot[s]"]
    assert change.action == "replace" and change.reason == "path forces replacement"
    assert change.risk == "data-loss" and change.fields[0].forces_replacement


def test_tenant_of_a_name_identified_object_forces_replacement() -> None:
    spec = {"viewpolicies": [{"name": "p", "tenant": "t2"}]}
    change = changes(spec, {"viewpolicy": [{"name": "p", "tenant_id": 1}]})["viewpolicy[p]"]
    assert change.action == "replace" and change.reason == "tenant forces replacement"
    assert (change.fields[0].before, change.fields[0].after) == ("default", "t2")


def test_nested_objects_compare_on_the_keys_the_spec_writes() -> None:
    spec = {"quotas": [{"name": "q", "path": "/q", "default_user_quota": {"hard_limit": 5}}]}
    live = {
        "quota": [
            {
                "name": "q",
                "path": "/q",
                "default_user_quota": {"hard_limit": 5, "soft_limit": None, "quota_system_id": 3},
            }
        ]
    }
    assert changes(spec, live)["quota[/q]"].action == "noop"


def test_state_absent_deletes_what_exists() -> None:
    spec = {"folders": [{"path": "/f", "state": "absent"}], "views": [{"path": "/v", "state": "absent"}]}
    found = changes(spec, {"folder": [{"path": "/f"}]})
    assert (found["folder[/f]"].action, found["folder[/f]"].risk) == ("delete", "data-loss")
    assert found["view[/v]"].action == "noop" and found["view[/v]"].reason == "absent, as declared"


def test_prune_deletes_only_undeclared_objects_in_scope() -> None:
    spec = {
        "scope": {"paths": ["/projects/alpha"], "names": ["alpha-"], "prune": True},
        "viewpolicies": [{"name": "alpha-keep"}],
    }
    live: dict[str, list[dict[str, Any]]] = {
        "viewpolicy": [{"name": "alpha-keep"}, {"name": "alpha-old"}, {"name": "beta-x"}],
        "view": [
            {"path": "/projects/alpha/old", "policy_id": 1},
            {"path": "/projects/beta", "policy_id": 1},
            {"path": "/projects/alphabet", "policy_id": 1},
        ],
        "quota": [
            {"name": "alpha-q", "path": "/projects/alpha/q"},
            {"name": "beta-q", "path": "/projects/alpha/z"},
        ],
    }
    found = changes(spec, live)
    deleted = sorted(a for a, c in found.items() if c.action == "delete")
    assert deleted == ["quota[/projects/alpha/q]", "view[/projects/alpha/old]", "viewpolicy[alpha-old]"]
    assert all(found[a].reason == PRUNE_REASON for a in deleted)


def test_without_prune_undeclared_objects_are_untouched() -> None:
    spec = {"scope": {"paths": ["/projects"], "prune": False}, "views": []}
    assert changes(spec, {"view": [{"path": "/projects/x", "policy_id": 1}]}) == {}


def test_prune_never_reaches_other_tenants() -> None:
    spec = {"scope": {"paths": ["/p"], "prune": True}}
    assert changes(spec, {"view": [{"path": "/p/x", "tenant_id": 2, "policy_id": 1}]}) == {}


def test_replacing_a_policy_replaces_the_views_that_use_it() -> None:
    spec = {
        "viewpolicies": [{"name": "p", "tenant": "t2"}],
        "views": [{"path": "/v", "policy": "p", "tenant": "t2"}],
    }
    live = {
        "viewpolicy": [{"name": "p", "tenant_id": 1}],
        "view": [{"path": "/v", "policy_id": 101, "tenant_id": 2}],
    }
    found = changes(spec, live)
    assert found["viewpolicy[p]"].action == "replace"
    assert (
        found["view[t2:/v]"].action == "replace"
        and found["view[t2:/v]"].reason == "viewpolicy[p] is replaced"
    )
    assert found["view[t2:/v]"].risk == "disruptive"


def test_a_field_the_vms_does_not_return_is_not_compared() -> None:
    spec = {"quotas": [{"name": "q", "path": "/q", "is_physical_quota": True}]}
    assert changes(spec, {"quota": [{"name": "q", "path": "/q"}]})["quota[/q]"].action == "noop"


def test_changes_are_sorted_by_address() -> None:
    spec = {
        "views": [{"path": "/b", "policy": "p"}, {"path": "/a", "policy": "p"}],
        "viewpolicies": [{"name": "p"}],
    }
    parsed = make_spec(spec)
    addresses = [c.address for c in compare(desired_state(parsed), live_state({}), parsed.scope)]
    assert addresses == sorted(addresses)
