"""The control API (calls, reset, state, usage) and every kind of injected fault, through the adapter."""

from __future__ import annotations

import time

import pytest
import requests

from vastplan.sim import Simulator

from .support import HOST, Api, make_api


def test_call_log_records_api_calls_not_control_calls(api: Api) -> None:
    api.get("/views/", params={"path": "/x"})
    api.post("/viewpolicies/", json={"name": "p"})
    api.control("GET", "state")
    calls = api.control("GET", "calls").json()
    assert [(c["method"], c["path"], c["query"], c["route"], c["status"]) for c in calls] == [
        ("GET", "/api/v5/views/", "path=%2Fx", "/views/", 200),
        ("POST", "/api/v5/viewpolicies/", "", "/viewpolicies/", 201),
    ]
    assert calls[1]["body"] == {"name": "p"}
    assert all(isinstance(c["time"], float) and c["dropped"] is False for c in calls)
    assert api.control("DELETE", "calls").status_code == 204
    assert api.control("GET", "calls").json() == []


def test_calls_property_and_secrets_masked_in_the_log(sim: Simulator, anon: Api) -> None:
    anon.post(f"{HOST}/api/token/", json={"username": "admin", "password": "123456"})
    assert sim.calls[0]["body"] == {"username": "admin", "password": "***"}


def test_reset_gives_a_fresh_cluster_and_clears_log_and_faults(api: Api) -> None:
    api.create("viewpolicies", name="p")
    api.control("POST", "faults", {"path": "/nothing/", "status": 500})
    assert api.control("POST", "reset").status_code == 204
    assert api.get("/viewpolicies/").json() == []
    assert api.control("GET", "faults").json() == []
    assert [c["route"] for c in api.control("GET", "calls").json()] == ["/viewpolicies/"]


def test_state_dump_and_load_round_trip(api: Api, sim: Simulator) -> None:
    api.create("viewpolicies", name="before")
    dump = api.control("GET", "state").json()
    api.create("viewpolicies", name="after")
    assert api.control("PUT", "state", dump).status_code == 204
    assert [p["name"] for p in api.get("/viewpolicies/").json()] == ["before"]
    assert api.create("viewpolicies", name="next")["id"] == 2  # id counters come back too
    assert api.control("PUT", "state", {"format": 99}).status_code == 400
    sim.load_state_dict(dump)
    assert sim.state_dict()["tables"]["viewpolicies"]["1"]["name"] == "before"


def test_usage_control_call_validates(api: Api) -> None:
    assert api.control("POST", "usage", {"path": "/missing", "used_bytes": 1}).status_code == 400
    assert api.control("POST", "usage", {"path": "/", "used_bytes": -1}).status_code == 400
    assert api.control("POST", "usage", {"path": "/"}).json() == {"used_bytes": ["This field is required."]}


def test_control_api_errors(api: Api) -> None:
    assert api.control("GET", "nothing").status_code == 404
    assert api.control("PATCH", "calls").status_code == 405
    assert api.control("POST", "faults", {"status": 503, "colour": "red"}).status_code == 400
    assert api.control("POST", "faults", {"method": "GET"}).status_code == 400
    assert api.control("POST", "faults", {"status": 42}).status_code == 400


def test_control_calls_are_reachable_under_an_api_prefix(api: Api) -> None:
    assert api.get(f"{HOST}/api/v5/_sim/calls").status_code == 200


# -- faults ----------------------------------------------------------------------------------------------------


def test_status_fault_applies_times_then_clears(api: Api) -> None:
    added = api.control("POST", "faults", {"method": "POST", "path": "/views/", "status": 503, "times": 2})
    assert added.status_code == 201
    policy = api.create("viewpolicies", name="p")  # other routes untouched
    body = {"path": "/v", "policy_id": policy["id"], "create_dir": True}
    first, second = api.post("/views/", json=body), api.post("/views/", json=body)
    assert (first.status_code, second.status_code) == (503, 503)
    assert first.json() == {"detail": "Simulated fault: HTTP 503."}
    assert api.get("/views/").json() == []  # the faulted requests did not run
    assert api.post("/views/", json=body).status_code == 201
    statuses = [c["status"] for c in api.control("GET", "calls").json() if c["route"] == "/views/"]
    assert statuses == [503, 503, 200, 201]


def test_status_fault_matches_every_prefix_and_wildcards(sim: Simulator) -> None:
    api = make_api(sim, prefix="/api/latest")
    api.control("POST", "faults", {"path": "/viewpolicies/*/", "status": 502})
    assert api.get("/viewpolicies/").status_code == 200  # the list is not "/viewpolicies/*/"
    assert api.get("/viewpolicies/1/").status_code == 502
    api.control("DELETE", "faults")
    api.control("POST", "faults", [{"path": "/viewpolicies", "status": 500, "body": "boom"}])
    response = api.get("/viewpolicies")
    assert (response.status_code, response.text) == (500, "boom")
    assert api.control("DELETE", "faults").status_code == 204
    assert api.get("/viewpolicies/").status_code == 200


def test_latency_fault_delays_the_answer(api: Api) -> None:
    api.control("POST", "faults", {"latency_ms": 120, "times": 1})
    started = time.monotonic()
    assert api.get("/views/").status_code == 200
    assert time.monotonic() - started >= 0.12
    started = time.monotonic()
    api.get("/views/")
    assert time.monotonic() - started < 0.1


def test_latency_beyond_the_read_timeout_is_a_read_timeout_but_commits(api: Api) -> None:
    api.control("POST", "faults", {"latency_ms": 300, "method": "POST", "times": 1})
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.post("/viewpolicies/", json={"name": "slow"}, timeout=(1, 0.05))
    assert [p["name"] for p in api.get("/viewpolicies/").json()] == ["slow"]


def test_drop_after_commit_commits_then_breaks_the_connection(api: Api) -> None:
    api.control("POST", "faults", {"drop_after_commit": True, "times": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/viewpolicies/", json={"name": "committed"})
    assert [p["name"] for p in api.get("/viewpolicies/").json()] == ["committed"]
    logged = api.control("GET", "calls").json()
    assert logged[0]["dropped"] is True and logged[0]["status"] == 201
    assert logged[1]["dropped"] is False


def test_latency_with_the_lock_released_lets_other_calls_through(sim: Simulator) -> None:
    """A slow request (injected latency) does not hold up another one through the adapter."""
    import threading

    api = make_api(sim)
    api.control("POST", "faults", {"path": "/views/", "latency_ms": 500, "times": 1})
    slow = threading.Thread(target=api.get, args=("/views/",))
    slow.start()
    time.sleep(0.05)
    started = time.monotonic()
    assert make_api(sim).get("/viewpolicies/").status_code == 200
    assert time.monotonic() - started < 0.3
    slow.join()
