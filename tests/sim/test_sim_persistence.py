"""``Simulator.open_file``: the state behind ``sim://FILE`` endpoints, shared between instances and processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vastplan.sim import SimStateFileError, Simulator

from .support import make_api


def test_state_persists_across_two_simulator_instances(tmp_path: Path) -> None:
    state = tmp_path / "cluster.json"
    first = make_api(Simulator.open_file(state))
    policy = first.create("viewpolicies", name="persisted")
    first.create("views", path="/p", policy_id=policy["id"], create_dir=True)
    first.control("POST", "faults", {"path": "/quotas/", "status": 503, "times": 1})

    second = make_api(Simulator.open_file(state))
    assert [p["name"] for p in second.get("/viewpolicies/").json()] == ["persisted"]
    assert second.post("/folders/stat_path/", json={"path": "/p", "tenant_id": 1}).status_code == 200
    assert second.get("/quotas/").status_code == 503  # the fault travelled with the file
    assert [c["route"] for c in second.control("GET", "calls").json()][:2] == ["/viewpolicies/", "/views/"]
    # and the first instance sees what the second did
    second.create("viewpolicies", name="from-second")
    assert len(first.get("/viewpolicies/").json()) == 2


def test_tokens_issued_by_one_instance_work_in_another(tmp_path: Path) -> None:
    state = tmp_path / "cluster.json"
    one = make_api(Simulator.open_file(state), auth=None)
    token = one.post("https://vms.sim.invalid/api/token/", json={"username": "admin", "password": "123456"})
    two = make_api(Simulator.open_file(state), auth=None)
    headers = {"Authorization": f"Bearer {token.json()['access']}"}
    assert two.get("/views/", headers=headers).status_code == 200


def test_a_missing_file_starts_a_fresh_cluster_and_is_created(tmp_path: Path) -> None:
    state = tmp_path / "new.json"
    sim = Simulator.open_file(state)
    assert state.exists()
    assert sim.state_dict()["tables"]["tenants"]["1"]["name"] == "default"
    assert "new.json" in repr(sim)
    with pytest.raises(TypeError):
        _ = sim.backend


@pytest.mark.parametrize(
    "content", ["{not json", "[]", '{"format": 1}', '{"format": 1, "state": {"format": 7}}']
)
def test_a_corrupt_file_is_a_clear_error_naming_the_file(tmp_path: Path, content: str) -> None:
    state = tmp_path / "broken.json"
    state.write_text(content)
    with pytest.raises(SimStateFileError, match="broken.json"):
        Simulator.open_file(state)


def test_a_file_corrupted_later_fails_the_request_naming_the_file(tmp_path: Path) -> None:
    state = tmp_path / "later.json"
    sim = Simulator.open_file(state)
    state.write_text("garbage")
    with pytest.raises(SimStateFileError, match="later.json"):
        sim.handle("GET", "/api/tenants/", {})


def test_two_processes_never_lose_an_update(tmp_path: Path) -> None:
    state = tmp_path / "shared.json"
    Simulator.open_file(state)
    script = textwrap.dedent(
        """
        import base64, json, sys
        from vastplan.sim import Simulator
        sim = Simulator.open_file(sys.argv[1])
        auth = {"Authorization": "Basic " + base64.b64encode(b"admin:123456").decode()}
        for i in range(15):
            body = json.dumps({"name": f"{sys.argv[2]}-{i}"}).encode()
            assert sim.handle("POST", "/api/viewpolicies/", auth, body).status == 201
        """
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(state), name]) for name in ("a", "b")]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    names = {row["name"] for row in json.loads(state.read_text())["state"]["tables"]["viewpolicies"].values()}
    assert len(names) == 30
