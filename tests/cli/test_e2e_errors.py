"""Every user error, end to end against ``vastplan sim serve``: exit 1, one message naming what and where,
no traceback, no secret in any output, and no mutating call reaching the cluster."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .harness import EXAMPLES, SECRET_PASSWORD, SECRET_TOKEN, SIM_USER, Result, SimServer, base_env, run

pytestmark = pytest.mark.e2e

QUICKSTART = EXAMPLES / "quickstart.yaml"

GOOD_HEAD = "version: 1\nviewpolicies:\n  - name: p1\n    nfs_read_write: [10.0.0.0/24]\n"


@pytest.fixture
def env(sim: SimServer) -> dict[str, str]:
    """Valid credentials (a minted API token) plus a distinctive password that must never be printed."""
    token = sim.control("POST", "apitokens", {"owner": SIM_USER})["token"]
    sim.control("DELETE", "calls")
    return base_env(
        VAST_ENDPOINT=sim.url, VAST_API_TOKEN=token, VAST_USER=SIM_USER, VAST_PASSWORD=SECRET_PASSWORD
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _refused(sim: SimServer, result: Result, *needles: str) -> None:
    result.assert_error(*needles)
    assert sim.mutations() == [], sim.mutations()


# --- spec errors: found before the cluster is changed; plan and apply alike -----------------------------

SPEC_ERRORS = {
    "malformed-yaml": ("views:\n  - path: /a\n    protocols: [NFS\n", ["malformed-yaml.yaml:4", "YAML"]),
    "unknown-kind": ("version: 1\nbuckets:\n  - name: b\n", ["unknown-kind.yaml", "buckets"]),
    "unknown-field": (
        GOOD_HEAD + "views:\n  - path: /a\n    polcy: p1\n",
        ["unknown-field.yaml", "polcy", "policy"],
    ),
    "undeclared-policy": (
        "version: 1\nviews:\n  - path: /a\n    policy: nowhere\n",
        ["undeclared-policy.yaml", "nowhere"],
    ),
    "invalid-cidr": (
        "version: 1\nviewpolicies:\n  - name: p1\n    nfs_read_write: [10.0.0.300/24]\n",
        ["invalid-cidr.yaml", "10.0.0.300/24"],
    ),
}


@pytest.mark.parametrize("case", sorted(SPEC_ERRORS))
def test_spec_errors(sim: SimServer, env: dict[str, str], tmp_path: Path, case: str) -> None:
    text, needles = SPEC_ERRORS[case]
    spec = _write(tmp_path, f"{case}.yaml", text)
    # apply --auto-approve: the command that would change the cluster if a bad spec slipped through
    _refused(sim, run("apply", spec, "--auto-approve", env=env, cwd=tmp_path), *needles)
    # validate finds the same problem without any cluster
    run("validate", spec, env=base_env(VAST_PASSWORD=SECRET_PASSWORD)).assert_error(*needles)


def test_duplicate_address_names_both_files(sim: SimServer, env: dict[str, str], tmp_path: Path) -> None:
    one = _write(tmp_path, "one.yaml", GOOD_HEAD)
    two = _write(tmp_path, "two.yaml", GOOD_HEAD)
    _refused(sim, run("apply", one, two, "--auto-approve", env=env), "one.yaml", "two.yaml", "p1")


def test_missing_spec_file(sim: SimServer, env: dict[str, str], tmp_path: Path) -> None:
    _refused(sim, run("apply", tmp_path / "nope.yaml", "--auto-approve", env=env), "nope.yaml")


def test_missing_plan_file(sim: SimServer, env: dict[str, str], tmp_path: Path) -> None:
    _refused(sim, run("apply", tmp_path / "nope.json", "--auto-approve", env=env), "nope.json")


# --- connection errors --------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_endpoint(env: dict[str, str]) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    result = run("plan", QUICKSTART, "--endpoint", endpoint, env=env)
    result.assert_error(f"127.0.0.1:{endpoint.rsplit(':', 1)[1]}")


def test_bad_password(sim: SimServer, tmp_path: Path) -> None:
    env = base_env(VAST_ENDPOINT=sim.url, VAST_USER=SIM_USER, VAST_PASSWORD=SECRET_PASSWORD)
    result = run("apply", QUICKSTART, "--auto-approve", env=env)
    _refused(sim, result, "401")
    assert SIM_USER in result.err


def test_bad_token(sim: SimServer) -> None:
    env = base_env(VAST_ENDPOINT=sim.url, VAST_API_TOKEN=SECRET_TOKEN)
    _refused(sim, run("apply", QUICKSTART, "--auto-approve", env=env), "401")


def test_no_credentials_and_no_terminal_names_the_variables(sim: SimServer) -> None:
    result = run("plan", QUICKSTART, env=base_env(VAST_ENDPOINT=sim.url))
    _refused(sim, result, "VAST_API_TOKEN", "VAST_PASSWORD")


def test_malformed_endpoint(env: dict[str, str]) -> None:
    run("plan", QUICKSTART, "--endpoint", "vms.example.com", env=env).assert_error("https://vms.example.com")


def test_unknown_tenant(sim: SimServer, env: dict[str, str]) -> None:
    _refused(sim, run("apply", QUICKSTART, "--auto-approve", "--tenant", "nosuch", env=env))


# --- plan files and apply refusals ----------------------------------------------------------------------


def test_stale_plan(sim: SimServer, env: dict[str, str], tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    run("plan", QUICKSTART, "--out", plan_file, env=env)
    edited = _write(tmp_path, "edited.yaml", QUICKSTART.read_text().replace("10GiB", "20GiB"))
    run("apply", edited, "--auto-approve", env=env)  # the planned objects now exist, and differ
    sim.control("DELETE", "calls")
    _refused(sim, run("apply", plan_file, "--auto-approve", env=env), "changed since the plan was made")


def test_tampered_plan(sim: SimServer, env: dict[str, str], tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    run("plan", QUICKSTART, "--out", plan_file, env=env)
    plan_file.write_text(plan_file.read_text().replace('"NFS4"', '"SMB"'))
    run("show", plan_file, env=env).assert_error(str(plan_file), "modified")
    _refused(sim, run("apply", plan_file, "--auto-approve", env=env), str(plan_file))


def test_data_loss_without_consent(sim: SimServer, env: dict[str, str]) -> None:
    assert run("apply", EXAMPLES / "data-loss" / "before.yaml", "--auto-approve", env=env).code == 0
    sim.control("DELETE", "calls")
    result = run("apply", EXAMPLES / "data-loss" / "after.yaml", "--auto-approve", env=env)
    _refused(
        sim,
        result,
        "--allow-data-loss",
        "snapshot[scratch-before-cleanup]",
        "folder[/scratch/old-results]",
        "quota[/scratch/data]",
    )


def test_bad_format(sim: SimServer, env: dict[str, str]) -> None:
    _refused(sim, run("plan", QUICKSTART, "--format", "yaml", env=env), "--format", "yaml")


def test_no_terminal_needs_auto_approve(sim: SimServer, env: dict[str, str]) -> None:
    result = run("apply", QUICKSTART, env=env)
    _refused(sim, result, "--auto-approve")
    assert sim.calls() == []  # refused before contacting the cluster at all


# --- a failed apply: the account of every step ----------------------------------------------------------


def test_failed_step_is_reported_with_the_vms_text(sim: SimServer, env: dict[str, str]) -> None:
    sim.control(
        "POST",
        "faults",
        {
            "method": "POST",
            "path": "/viewpolicies/",
            "status": 400,
            "body": {"name": ["Simulated refusal of this policy."]},
        },
    )
    result = run("apply", QUICKSTART, "--auto-approve", env=env)
    result.assert_error("apply failed")
    assert "Apply stopped:" in result.out
    assert "failed       step 1: create viewpolicy[quickstart-ro]" in result.out
    assert "Simulated refusal of this policy." in result.out
    assert "not started  step 3: create view[/quickstart/data]" in result.out
    sim.control("DELETE", "faults")
    again = run("plan", QUICKSTART, env=env)
    assert "+ view[/quickstart/data]" in again.out  # planning again continues from where it stopped


def test_validate_never_contacts_the_cluster(sim: SimServer, env: dict[str, str]) -> None:
    result = run("validate", QUICKSTART, env=env)
    assert result.code == 0, result.output
    assert sim.calls() == []


@pytest.mark.parametrize("password", ["token", "wrong-password"])
def test_debug_logs_hold_no_secret(sim: SimServer, env: dict[str, str], password: str) -> None:
    if password == "wrong-password":  # a login that fails, so the password is sent and refused
        env = {k: v for k, v in env.items() if k != "VAST_API_TOKEN"}
    result = run("-vv", "apply", QUICKSTART, "--auto-approve", env=env)  # run() greps for secrets
    assert "DEBUG" in result.err
    assert result.code == (0 if password == "token" else 1), result.output
