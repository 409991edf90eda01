"""The engine end to end, through the real client, against the simulator (DESIGN §11)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vastplan import api
from vastplan.client import VmsClient
from vastplan.engine.errors import ApplyFailed, DataLossRefused, DigestMismatch, StalePlanError
from vastplan.engine.executor import RetryPolicy
from vastplan.engine.planner import PlanningError
from vastplan.sim import Simulator

from .conftest import connect
from .simtools import calls, clear_calls, clear_faults, duplicates, inject, load, mutations, outside, tables

FAST = RetryPolicy(attempts=2, base_delay=0.0, max_delay=0.0)

ALPHA: dict[str, Any] = {
    "scope": {"paths": ["/projects/alpha"], "names": ["alpha-"], "prune": False},
    "viewpolicies": [
        {"name": "alpha-ro", "nfs_read_write": [], "nfs_read_only": ["10.0.0.0/24", "2001:db8::/64"]},
        {"name": "alpha-rw", "nfs_read_write": ["10.0.1.0/24"]},
    ],
    "folders": [{"path": "/projects/alpha/scratch"}],
    "quotas": [{"name": "alpha-data", "path": "/projects/alpha/data", "hard_limit": "10GiB"}],
    "views": [
        {"path": "/projects/alpha/data", "policy": "alpha-ro", "protocols": ["NFS", "NFS4"]},
        {"path": "/projects/alpha/home", "policy": "alpha-rw", "protocols": ["NFS"], "create_dir": True},
    ],
    "snapshots": [{"name": "alpha-before-upgrade", "path": "/projects/alpha/data"}],
}


def converge(client: VmsClient, doc: dict[str, Any], **kwargs: Any) -> api.ApplyResult:
    return api.plan_and_apply(client, load(doc), retry=FAST, **kwargs)


def with_(doc: dict[str, Any], **changes: Any) -> dict[str, Any]:
    copied = copy.deepcopy(doc)
    copied.update(changes)
    return copied


def test_create_from_nothing_then_no_changes(client: VmsClient) -> None:
    spec = load(ALPHA)
    plan = api.plan(client, spec)
    assert plan.summary["create"] == 7 and plan.max_risk == "safe" and plan.has_changes
    result = api.apply(client, plan)
    assert result.report.ok and len(result.report.done) == 7
    assert result.verification is not None and not result.verification.has_changes
    again = api.plan(client, spec)
    assert not again.has_changes and again.summary["noop"] == 7 and again.max_risk == "none"


def test_drift_is_updated_back(client: VmsClient) -> None:
    converge(client, ALPHA)
    policy = client.list("/viewpolicies/", {"name": "alpha-ro"})[0]
    client.patch(f"/viewpolicies/{policy['id']}/", {"nfs_read_only": ["10.0.0.0/24", "10.6.6.6"]})
    quota = client.list("/quotas/", {"name": "alpha-data"})[0]
    client.patch(f"/quotas/{quota['id']}/", {"hard_limit": 20 * 2**30})
    plan = api.plan(client, load(ALPHA))
    changes = {c["address"]: c for c in plan.changes}
    assert set(changes) == {"viewpolicy[alpha-ro]", "quota[/projects/alpha/data]"}
    (hosts,) = changes["viewpolicy[alpha-ro]"]["fields"]
    assert hosts["added"] == ["2001:db8::/64"] and hosts["removed"] == ["10.6.6.6"]
    assert changes["quota[/projects/alpha/data]"]["risk"] == "data-loss"  # lowering the hard limit back
    assert plan.data_loss_changes == ("quota[/projects/alpha/data]",)
    with pytest.raises(DataLossRefused, match="quota"):
        api.apply(client, plan)
    api.apply(client, plan, allow_data_loss=True)
    assert not api.plan(client, load(ALPHA)).has_changes


def test_prune_deletes_only_inside_the_scope(client: VmsClient) -> None:
    converge(client, ALPHA)
    outsider = {
        "viewpolicies": [{"name": "beta-ro"}, {"name": "alpha-unlisted-outside-tenant"}],
        "views": [
            {"path": "/projects/beta", "policy": "beta-ro", "create_dir": True},
            {"path": "/projects/alphabet", "policy": "beta-ro", "create_dir": True},
        ],
    }
    converge(client, outsider)
    converge(
        client,
        {
            "viewpolicies": [{"name": "alpha-rw", "nfs_read_write": ["10.0.1.0/24"]}],
            "views": [{"path": "/projects/alpha/extra", "policy": "alpha-rw", "create_dir": True}],
        },
    )
    before = outside(client, ("/projects/alpha",), ("alpha-",))
    pruning = with_(ALPHA, scope={"paths": ["/projects/alpha"], "names": ["alpha-"], "prune": True})
    plan = api.plan(client, load(pruning))
    deleted = sorted(c["address"] for c in plan.changes if c["action"] == "delete")
    assert deleted == ["view[/projects/alpha/extra]", "viewpolicy[alpha-unlisted-outside-tenant]"]
    api.apply(client, plan)
    assert outside(client, ("/projects/alpha",), ("alpha-",)) == before
    assert not api.plan(client, load(pruning)).has_changes


def test_stale_plan_is_refused_before_any_change(client: VmsClient) -> None:
    converge(client, ALPHA)
    changed = copy.deepcopy(ALPHA)
    changed["viewpolicies"][0]["nfs_read_only"] = ["10.0.0.0/24"]
    plan = api.plan(client, load(changed))
    policy = client.list("/viewpolicies/", {"name": "alpha-ro"})[0]
    client.patch(f"/viewpolicies/{policy['id']}/", {"nfs_read_only": ["10.9.9.9"]})
    clear_calls(client)
    with pytest.raises(StalePlanError, match="re-plan|plan again") as caught:
        api.apply(client, plan)
    assert caught.value.addresses == ("viewpolicy[alpha-ro]",)
    assert mutations(client) == []


def test_unrelated_changes_do_not_make_a_plan_stale(client: VmsClient, sim: Simulator) -> None:
    converge(client, ALPHA)
    plan = api.plan(client, load(with_(ALPHA, snapshots=[])))  # nothing to do
    client.post("/_sim/usage", {"path": "/projects/alpha/data", "used_bytes": 12345})  # computed fields move
    converge(client, {"viewpolicies": [{"name": "gamma"}]})  # an object the plan did not read
    api.apply(client, plan)


def test_data_loss_is_refused_without_consent(client: VmsClient) -> None:
    converge(client, ALPHA)
    gone = with_(
        ALPHA,
        snapshots=[{"name": "alpha-before-upgrade", "path": "/projects/alpha/data/", "state": "absent"}],
        folders=[{"path": "/projects/alpha/scratch", "state": "absent"}],
    )
    plan = api.plan(client, load(gone))
    assert plan.max_risk == "data-loss"
    assert set(plan.data_loss_changes) == {
        "snapshot[alpha-before-upgrade]",
        "folder[/projects/alpha/scratch]",
    }
    clear_calls(client)
    with pytest.raises(DataLossRefused) as caught:
        api.apply(client, plan)
    assert "snapshot[alpha-before-upgrade]" in str(caught.value) and "--allow-data-loss" in str(caught.value)
    assert calls(client) == []
    api.apply(client, plan, allow_data_loss=True)
    assert client.list("/snapshots/") == []
    assert not api.plan(client, load(gone)).has_changes


def test_expected_digest(client: VmsClient) -> None:
    plan = api.plan(client, load(ALPHA))
    with pytest.raises(DigestMismatch):
        api.apply(client, plan, expect_digest="sha256:" + "0" * 64)
    assert mutations(client) == []
    api.apply(client, plan, expect_digest=plan.digest)


def test_a_plan_document_round_trips_through_json(client: VmsClient) -> None:
    import json

    doc = json.loads(json.dumps(api.plan(client, load(ALPHA)).doc))
    result = api.apply(client, doc)
    assert result.report.ok


@pytest.mark.parametrize(
    "fault",
    [
        {"method": "POST", "path": "/views/", "status": 503, "times": 10},
        {
            "method": "POST",
            "path": "/views/",
            "status": 400,
            "times": 1,
            "body": {"path": ["Simulated refusal."]},
        },
    ],
)
def test_partial_failure_is_reported_and_healed(client: VmsClient, fault: dict[str, Any]) -> None:
    inject(client, **fault)
    with pytest.raises(ApplyFailed) as caught:
        converge(client, ALPHA, parallelism=1)
    report = caught.value.report
    statuses = {r.address: r.status for r in report.results}
    assert "failed" in statuses.values()
    assert all(statuses[a] == "done" for a in ("viewpolicy[alpha-ro]", "quota[/projects/alpha/data]"))
    assert statuses["snapshot[alpha-before-upgrade]"] == "not_started"
    failed = report.failed[0]
    assert failed.address.startswith("view[") and failed.error
    clear_faults(client)
    remaining = api.plan(client, load(ALPHA))
    assert remaining.summary["noop"] >= 3  # continues from where it stopped
    api.apply(client, remaining)
    assert not api.plan(client, load(ALPHA)).has_changes and duplicates(client) == []


def test_connection_dropped_after_commit_makes_no_duplicate(client: VmsClient) -> None:
    inject(client, method="POST", path="/views/", drop_after_commit=True, times=2)
    inject(client, method="POST", path="/viewpolicies/", drop_after_commit=True, times=1)
    converge(client, ALPHA)
    assert duplicates(client) == [] and not api.plan(client, load(ALPHA)).has_changes


def test_expired_tokens_are_renewed(client: VmsClient) -> None:
    plan = api.plan(client, load(ALPHA))
    client.post("/_sim/faults", {"expire_tokens": True})
    api.apply(client, plan)
    assert not api.plan(client, load(ALPHA)).has_changes


def test_folder_delete_needs_the_trash_api(client: VmsClient, sim: Simulator) -> None:
    converge(client, {"folders": [{"path": "/old"}]})
    state = client.get("/_sim/state")
    for version in state["versions"]:
        version["sys_version"] = "4.6.0"
    client.put("/_sim/state", state)
    with connect(sim) as old:  # the version is read once per client
        with pytest.raises(PlanningError, match=r"folder\[/old\].*4\.7"):
            api.plan(old, load({"folders": [{"path": "/old", "state": "absent"}]}))
        # Creating folders needs no trash API.
        assert api.plan(old, load({"folders": [{"path": "/new"}]})).summary["create"] == 1


def test_replace_with_dependants_applies(client: VmsClient) -> None:
    # The policy moves to another tenant: its view must go first (the VMS refuses to delete a policy in
    # use, and a view's policy must be of the view's tenant), and the new view waits for the new policy.
    converge(client, {"tenants": [{"name": "t2"}]})
    converge(
        client,
        {"viewpolicies": [{"name": "p"}], "views": [{"path": "/v", "policy": "p", "create_dir": True}]},
    )
    moved = {
        "tenants": [{"name": "t2"}],
        "viewpolicies": [{"name": "p", "tenant": "t2"}],
        "views": [
            {"path": "/v", "state": "absent"},
            {"path": "/v", "policy": "p", "tenant": "t2", "create_dir": True},
        ],
    }
    plan = api.plan(client, load(moved))
    assert {c["address"]: c["action"] for c in plan.changes} == {
        "viewpolicy[p]": "replace",
        "view[/v]": "delete",
        "view[t2:/v]": "create",
    }
    assert [(s["address"], s["action"]) for s in plan.doc["steps"]] == [
        ("view[/v]", "delete"),
        ("viewpolicy[p]", "delete"),
        ("viewpolicy[p]", "create"),
        ("view[t2:/v]", "create"),
    ]
    api.apply(client, plan, parallelism=4)
    assert not api.plan(client, load(moved)).has_changes
    assert tables(client)["viewpolicies"][0]["tenant_id"] == 2


def test_tenant_created_in_the_same_plan(client: VmsClient) -> None:
    doc = {
        "tenants": [{"name": "t3"}],
        "viewpolicies": [{"name": "t3-p", "tenant": "t3"}],
        "quotas": [{"name": "t3-q", "path": "/t3", "tenant": "t3", "hard_limit": "1GiB"}],
        "views": [{"path": "/t3", "policy": "t3-p", "tenant": "t3"}],
    }
    converge(client, doc)
    assert not api.plan(client, load(doc)).has_changes


def test_render_and_plan_properties(client: VmsClient) -> None:
    plan = api.plan(client, load(ALPHA), endpoint_label="https://vms.example.com")
    assert plan.doc["endpoint"] == "https://vms.example.com"
    assert plan.digest.startswith("sha256:") and plan.doc["cluster"]["version"] == "5.3.0"
    assert plan.doc["target"]["objects"] and plan.doc["observed"]["reads"][0]["kind"] == "tenant"
    text = api.render(plan, "text")
    assert "view[/projects/alpha/data]" in text
