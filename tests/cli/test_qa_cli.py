"""Defects found in release QA, each pinned by the test that would have caught it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import EXAMPLES, SECRET_PASSWORD, SIM_USER, SimServer, base_env, run, run_in_terminal, vms_list

pytestmark = pytest.mark.e2e

QUICKSTART = EXAMPLES / "quickstart.yaml"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "edited.yaml"
    path.write_text(QUICKSTART.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_a_stale_saved_plan_is_refused_before_the_question(sim_file: str, tmp_path: Path) -> None:
    # The stale check used to run only after the person had read the plan and typed "yes".
    env = base_env(VAST_ENDPOINT=sim_file)
    run("apply", QUICKSTART, "--auto-approve", env=env)
    plan_file = tmp_path / "plan.json"
    run("plan", _edited(tmp_path, "10GiB", "20GiB"), "--out", plan_file, env=env)
    run("apply", _edited(tmp_path, "10GiB", "30GiB"), "--auto-approve", env=env)  # the cluster moves on
    session = run_in_terminal("apply", plan_file, env=env, answers={"Type yes to apply:": "yes"})
    assert session.code == 1, session.transcript
    assert "changed since the plan was made" in session.transcript
    assert "Type yes" not in session.transcript
    quota = vms_list(sim_file, "/quotas/")[0]
    assert quota["hard_limit"] == 30 * 2**30


def test_a_saved_plan_given_with_specs_is_named_as_such(sim_file: str, tmp_path: Path) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    plan_file = tmp_path / "plan.json"
    run("plan", QUICKSTART, "--out", plan_file, env=env)
    result = run("apply", plan_file, QUICKSTART, "--auto-approve", env=env)
    result.assert_error("is a saved plan", "not a spec")
    assert "unknown top-level key" not in result.err
    assert vms_list(sim_file, "/views/") == []


def test_a_wrong_password_is_tried_once(sim: SimServer) -> None:
    # A refused login used to be repeated by every informative read of a plan: three attempts per run.
    env = base_env(VAST_ENDPOINT=sim.url, VAST_USER=SIM_USER, VAST_PASSWORD=SECRET_PASSWORD)
    run("plan", QUICKSTART, env=env).assert_error("login as user 'admin'")
    logins = [c for c in sim.calls() if c["path"].endswith("/token/")]
    assert len(logins) == 1, logins


def test_an_api_token_beside_a_lone_user_name_works(sim: SimServer) -> None:
    token = sim.control("POST", "apitokens", {"owner": SIM_USER})["token"]
    env = base_env(VAST_ENDPOINT=sim.url, VAST_USER="ops", VAST_API_TOKEN=token)
    result = run("plan", QUICKSTART, env=env)
    assert result.code == 0, result.output
