"""Defects found in release QA, each pinned by the test that would have caught it."""

from __future__ import annotations

from typing import Any

import pytest

from vastplan import api
from vastplan.client import ConnectionConfig, VmsClient
from vastplan.client.errors import VmsAuthError, VmsConnectionError, VmsError, VmsPermissionDenied
from vastplan.engine.errors import StalePlanError
from vastplan.engine.refresh import read_cluster_info
from vastplan.sim import Simulator

from .simtools import calls, clear_calls


class _Refusing:
    """A client whose every read fails with ``error``, counting the reads."""

    def __init__(self, error: VmsError) -> None:
        self.error = error
        self.reads = 0

    def cluster_version(self) -> tuple[int, ...]:
        self.reads += 1
        raise self.error

    def list(self, path: str, params: Any = None) -> list[dict[str, Any]]:
        self.reads += 1
        raise self.error


@pytest.mark.parametrize(
    "error",
    [
        VmsAuthError("POST", "/token/", 401, "Authentication failure, user: admin"),
        VmsConnectionError("GET /versions/ failed: cannot connect", outcome_unknown=False),
    ],
)
def test_cluster_info_does_not_swallow_errors_every_read_would_meet(error: VmsError) -> None:
    # A refused login used to be swallowed twice (version, cluster name) and tried a third time by the
    # tenant read: three logins with a wrong password, enough to lock an account on some sites.
    client = _Refusing(error)
    with pytest.raises(type(error)):
        read_cluster_info(client)
    assert client.reads == 1


def test_cluster_info_still_tolerates_a_read_it_may_not_make() -> None:
    client = _Refusing(VmsPermissionDenied("GET", "/clusters/", 403, "permission_denied"))
    info = read_cluster_info(client)
    assert info.name is None and info.version is None


def test_a_bad_password_is_sent_once(sim: Simulator) -> None:
    bad = VmsClient(
        ConnectionConfig(endpoint="sim://qa", username="admin", password="wrong-password"),
        adapter=sim.adapter(),
    )
    spec = api.load_documents([("qa", {"version": 1, "viewpolicies": [{"name": "p"}]})])
    with pytest.raises(VmsAuthError):
        api.plan(bad, spec)
    logins = [c for c in sim.calls if c["route"] == "/token/"]
    assert len(logins) == 1, logins


def test_check_fresh_refuses_a_stale_plan_without_changing_anything(client: VmsClient) -> None:
    original = {"version": 1, "viewpolicies": [{"name": "p", "nfs_read_only": ["10.0.0.0/24"]}]}
    spec = api.load_documents([("qa", original)])
    api.apply(client, api.plan(client, spec))
    changed = api.load_documents(
        [("qa", {"version": 1, "viewpolicies": [{"name": "p", "nfs_read_only": ["10.0.1.0/24"]}]})]
    )
    plan = api.plan(client, changed)
    api.check_fresh(client, plan)  # fresh: no error
    policy = client.list("/viewpolicies/", {"name": "p"})[0]
    client.patch(f"/viewpolicies/{policy['id']}/", {"nfs_read_only": ["10.9.0.0/24"]})
    clear_calls(client)
    with pytest.raises(StalePlanError):
        api.check_fresh(client, dict(plan.doc))
    assert all(c["method"] == "GET" for c in calls(client))


def test_a_field_the_vms_does_not_report_is_flagged_not_silently_matched(client: VmsClient) -> None:
    logical = {"name": "q", "path": "/q", "hard_limit": "1GiB", "create_dir": True}
    api.apply(client, api.plan(client, api.load_documents([("qa", {"version": 1, "quotas": [logical]})])))
    physical = {**logical, "is_physical_quota": True}
    plan = api.plan(client, api.load_documents([("qa", {"version": 1, "quotas": [physical]})]))
    assert not plan.has_changes  # the VMS never returns is_physical_quota: nothing to compare with
    warnings = [d for d in plan.doc["diagnostics"] if d["severity"] == "warning"]
    assert [d["address"] for d in warnings] == ["quota[/q]"]
    assert "is_physical_quota" in warnings[0]["message"]
    assert "cannot check" in api.render(plan, "text")


def test_no_warning_when_every_managed_field_is_reported(client: VmsClient) -> None:
    doc = {"version": 1, "viewpolicies": [{"name": "p", "nfs_read_only": ["10.0.0.0/24"]}]}
    spec = api.load_documents([("qa", doc)])
    api.apply(client, api.plan(client, spec))
    assert api.plan(client, spec).doc["diagnostics"] == []
