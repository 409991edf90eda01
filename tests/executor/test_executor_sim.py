"""The executor through the real client against the simulator, counting REST calls in ``/_sim/calls``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from executor_fakes import Sleeper, run_steps, step

from vastplan.client import ConnectionConfig, VmsClient
from vastplan.engine.executor import ApplyEvent, StepClient, execute_steps
from vastplan.sim import Simulator

ORIGIN = "https://vms.sim.invalid"
PASSWORD = "123456"


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def vms(sim: Simulator) -> Iterator[VmsClient]:
    config = ConnectionConfig(endpoint=ORIGIN, username="admin", password=PASSWORD)
    with VmsClient(config, adapter=sim.adapter()) as client:
        client.list("/tenants/")  # log in now, so that the token call is not among the counted ones
        control(sim, "DELETE", "/_sim/calls")
        yield client


def control(sim: Simulator, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    response = sim.handle(method, ORIGIN + path, {"Content-Type": "application/json"}, data)
    assert response.status < 300, response.body
    return json.loads(response.body) if response.body else None


def fault(sim: Simulator, **spec: Any) -> None:
    control(sim, "POST", "/_sim/faults", spec)


def calls(sim: Simulator) -> list[tuple[str, str, int]]:
    return [(c["method"], c["route"], c["status"]) for c in control(sim, "GET", "/_sim/calls")]


def policy_step(step_id: int, name: str, **options: Any) -> dict[str, Any]:
    return step(
        step_id,
        f"viewpolicy[{name}]",
        path="/viewpolicies/",
        body={"name": name},
        lookup={"path": "/viewpolicies/", "params": {"name": name}},
        **options,
    )


def test_the_real_client_is_a_step_client(vms: VmsClient) -> None:
    client: StepClient = vms  # checked by mypy: the executor's Protocol matches VmsClient
    assert execute_steps(client, []).ok


def test_a_plan_with_refs_builds_the_objects_in_order(sim: Simulator, vms: VmsClient) -> None:
    tenant = {"$ref": "tenant[t2].id"}
    steps = [
        step(1, "tenant[t2]", path="/tenants/", body={"name": "t2"}),
        step(
            2,
            "viewpolicy[p]",
            path="/viewpolicies/",
            body={"name": "p", "tenant_id": tenant},
            depends_on=(1,),
        ),
        step(
            3,
            "quota[t2:/a/b]",
            path="/quotas/",
            body={
                "name": "q",
                "path": "/a/b",
                "hard_limit": 10 << 30,
                "create_dir": True,
                "tenant_id": tenant,
            },
            depends_on=(1,),
        ),
        step(
            4,
            "view[t2:/a/b]",
            path="/views/",
            body={"path": "/a/b", "policy_id": {"$ref": "viewpolicy[p].id"}, "tenant_id": tenant},
            lookup={"path": "/views/", "params": {"path": "/a/b", "tenant_id": tenant}},
            depends_on=(2, 3),
        ),
    ]
    report = run_steps(vms, steps, parallelism=8)
    assert report.ok, report.summary_line()
    (view,) = vms.list("/views/", {"path": "/a/b"})
    assert view["policy_id"] == report.created["viewpolicy[p]"]["id"]
    assert view["tenant_id"] == report.created["tenant[t2]"]["id"] != 1
    posts = [route for method, route, _ in calls(sim) if method == "POST"]
    assert posts[0] == "/tenants/" and posts[-1] == "/views/" and len(posts) == 4


def test_a_post_dropped_after_commit_is_recovered_without_a_duplicate(sim: Simulator, vms: VmsClient) -> None:
    fault(sim, method="POST", path="/viewpolicies/", drop_after_commit=True, times=1)
    events: list[ApplyEvent] = []
    report = run_steps(vms, [policy_step(1, "alpha-ro")], Sleeper(), on_event=events.append)
    result = report.results[0]
    assert report.ok and result.recovered and result.attempts == 1
    assert calls(sim) == [("POST", "/viewpolicies/", 201), ("GET", "/viewpolicies/", 200)]
    (policy,) = vms.list("/viewpolicies/", {"name": "alpha-ro"})  # exactly once
    assert report.created["viewpolicy[alpha-ro]"]["id"] == policy["id"]
    assert "recovered" in [e.type for e in events]


def test_a_post_the_gateway_lost_is_looked_up_then_sent_again(sim: Simulator, vms: VmsClient) -> None:
    # A status fault answers without running the request: the lookup finds nothing, so it is sent again.
    fault(sim, method="POST", path="/viewpolicies/", status=502, times=1)
    report = run_steps(vms, [policy_step(1, "alpha-ro")], Sleeper())
    assert report.ok and report.results[0].attempts == 2 and not report.results[0].recovered
    assert calls(sim) == [
        ("POST", "/viewpolicies/", 502),
        ("GET", "/viewpolicies/", 200),
        ("POST", "/viewpolicies/", 201),
    ]
    assert len(vms.list("/viewpolicies/", {"name": "alpha-ro"})) == 1


def test_a_patch_dropped_after_commit_is_sent_again(sim: Simulator, vms: VmsClient) -> None:
    policy = vms.post("/viewpolicies/", {"name": "p"})
    path = f"/viewpolicies/{policy['id']}/"
    control(sim, "DELETE", "/_sim/calls")
    fault(sim, method="PATCH", path=path, drop_after_commit=True, times=1)
    patch = step(1, "viewpolicy[p]", action="update", path=path, body={"nfs_read_only": ["10.0.0.0/24"]})
    report = run_steps(vms, [patch], Sleeper())
    assert report.ok and report.results[0].recovered
    assert calls(sim) == [("PATCH", path, 200), ("PATCH", path, 200)]
    assert vms.get(path)["nfs_read_only"] == ["10.0.0.0/24"]


def test_deletes_of_what_is_already_gone_are_done(sim: Simulator, vms: VmsClient) -> None:
    no_such = [{"status": 400, "detail_contains": "No such directory"}]
    steps = [
        step(1, "viewpolicy[gone]", action="delete", path="/viewpolicies/999/"),
        step(
            2,
            "folder[/nope]",
            action="delete",
            path="/folders/delete_folder/",
            body={"path": "/nope"},
            tolerate=no_such,
        ),
    ]
    report = run_steps(vms, steps)
    assert report.ok
    assert calls(sim) == [("DELETE", "/viewpolicies/999/", 404), ("DELETE", "/folders/delete_folder/", 400)]


def test_an_untolerated_error_carries_the_vms_text(sim: Simulator, vms: VmsClient) -> None:
    steps = [
        step(1, "folder[/nope]", action="delete", path="/folders/delete_folder/", body={"path": "/nope"})
    ]
    report = run_steps(vms, steps)
    assert (
        report.results[0].error
        == "DELETE /folders/delete_folder/ failed: 400 Bad Request: no such directory: /nope"
    )


def test_parallel_steps_under_injected_503s_all_land_once(sim: Simulator, vms: VmsClient) -> None:
    fault(sim, latency_ms=5)
    fault(sim, method="POST", path="/viewpolicies/", status=503, times=6)
    events: list[ApplyEvent] = []
    steps = [policy_step(n, f"p{n}") for n in range(1, 9)]
    report = run_steps(vms, steps, Sleeper(), parallelism=8, on_event=events.append)
    assert report.ok, [r.error for r in report.failed]
    posts = [status for method, route, status in calls(sim) if method == "POST"]
    assert sorted(posts) == [201] * 8 + [503] * 6
    assert not [c for c in calls(sim) if c[0] == "GET"]  # a 503 was never carried out: no lookups
    assert sum(e.type == "retried" for e in events) == 6
    assert sorted(p["name"] for p in vms.list("/viewpolicies/")) == sorted(f"p{n}" for n in range(1, 9))


def test_a_failure_midway_stops_the_apply_and_leaks_no_credential(sim: Simulator, vms: VmsClient) -> None:
    events: list[ApplyEvent] = []
    steps = [
        policy_step(1, "ok"),
        step(2, "view[/v]", body={"path": "/v", "policy_id": 4242, "create_dir": True}, depends_on=(1,)),
        step(3, "quota[/v]", path="/quotas/", body={"name": "q", "path": "/v"}, depends_on=(2,)),
    ]
    report = run_steps(vms, steps, on_event=events.append)
    assert [r.status for r in report.results] == ["done", "failed", "not_started"]
    assert report.results[1].error == (
        'POST /views/ failed: 400 Bad Request: policy_id: Invalid pk "4242" - object does not exist.'
    )
    texts = [str(r) for r in report.results] + [e.message for e in events]
    assert not [t for t in texts if PASSWORD in t or "Bearer" in t or "Authorization" in t]
