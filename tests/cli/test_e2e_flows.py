"""End to end against ``sim://FILE``: the flows of DESIGN §10 through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from .harness import EXAMPLES, SECRET_PASSWORD, base_env, load_json, mint_api_token, run, vms_list

pytestmark = pytest.mark.e2e

QUICKSTART = EXAMPLES / "quickstart.yaml"


@pytest.fixture
def env(sim_file: str) -> dict[str, str]:
    # A real, random API token of the simulated cluster and a distinctive (unused) password: the
    # harness checks that neither appears in any output.
    return base_env(
        VAST_ENDPOINT=sim_file,
        VAST_API_TOKEN=mint_api_token(sim_file),
        VAST_USER="admin",
        VAST_PASSWORD=SECRET_PASSWORD,
    )


def _views(endpoint: str) -> dict[str, dict]:
    return {v["path"]: v for v in vms_list(endpoint, "/views/")}


def test_plan_apply_plan_again(env: dict[str, str]) -> None:
    first = run("plan", QUICKSTART, env=env)
    assert first.code == 0, first.output
    assert "+ view[/quickstart/data]" in first.out and "3 to create" in first.out

    applied = run("apply", QUICKSTART, "--auto-approve", env=env)
    assert applied.code == 0, applied.output
    assert "Apply complete: 3 done, 0 failed, 0 not started." in applied.out
    for address in ("viewpolicy[quickstart-ro]", "quota[/quickstart/data]", "view[/quickstart/data]"):
        assert f"create {address}" in applied.out

    again = run("plan", QUICKSTART, "--detailed-exitcode", env=env)
    assert again.code == 0, again.output
    assert "No changes" in again.out

    view = _views(env["VAST_ENDPOINT"])["/quickstart/data"]
    assert set(view["protocols"]) == {"NFS", "NFS4"}
    [quota] = vms_list(env["VAST_ENDPOINT"], "/quotas/")
    assert quota["hard_limit"] == 10 * 2**30


def test_detailed_exitcode_is_2_with_changes_and_plan_changes_nothing(env: dict[str, str]) -> None:
    result = run("plan", QUICKSTART, "--detailed-exitcode", env=env)
    assert result.code == 2, result.output
    assert _views(env["VAST_ENDPOINT"]) == {}


def test_json_format_is_the_plan_document(env: dict[str, str]) -> None:
    result = run("plan", QUICKSTART, "--format", "json", env=env)
    doc = json.loads(result.out)  # stdout holds the document and nothing else
    assert doc["summary"]["create"] == 3 and doc["plan_digest"].startswith("sha256:")


def test_saved_plan_is_shown_and_applied_exactly(env: dict[str, str], tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    made = run("plan", QUICKSTART, "--out", plan_file, env=env)
    digest = load_json(plan_file)["plan_digest"]
    assert f"--expect-digest {digest}" in made.err

    shown = run("show", plan_file, "--format", "markdown", env=base_env())
    assert shown.code == 0 and "view[/quickstart/data]" in shown.out
    assert json.loads(run("show", plan_file, "-f", "json", env=base_env()).out)["plan_digest"] == digest

    applied = run("apply", plan_file, "--auto-approve", "--expect-digest", digest, env=env)
    assert applied.code == 0, applied.output
    assert "/quickstart/data" in _views(env["VAST_ENDPOINT"])


def test_another_digest_is_refused_before_any_change(env: dict[str, str], tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    run("plan", QUICKSTART, "--out", plan_file, env=env)
    result = run("apply", plan_file, "--auto-approve", "--expect-digest", "sha256:" + "0" * 64, env=env)
    result.assert_error("sha256:" + "0" * 64)
    assert _views(env["VAST_ENDPOINT"]) == {}


def test_export_plans_to_no_changes(env: dict[str, str], tmp_path: Path) -> None:
    assert run("apply", EXAMPLES / "pruned-scope.yaml", "--auto-approve", env=env).code == 0
    exported = tmp_path / "exported.yaml"
    result = run("export", "--out", exported, env=env)
    assert result.code == 0, result.output
    text = exported.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert yaml.safe_load(text)["views"][0]["path"] == "/projects/alpha/data"
    assert run("validate", exported, env=base_env()).code == 0
    again = run("plan", exported, "--detailed-exitcode", env=env)
    assert again.code == 0, again.output


def test_export_to_stdout_with_filters(env: dict[str, str]) -> None:
    run("apply", EXAMPLES / "pruned-scope.yaml", "--auto-approve", env=env)
    result = run("export", "--kind", "viewpolicy", "--name-prefix", "alpha-", env=env)
    doc = yaml.safe_load(result.out)
    assert [p["name"] for p in doc["viewpolicies"]] == ["alpha-rw"]
    assert "views" not in doc


def test_verbose_logs_go_to_stderr(env: dict[str, str]) -> None:
    result = run("-v", "apply", QUICKSTART, "--auto-approve", env=env)
    assert result.code == 0
    assert "INFO" in result.err and "INFO" not in result.out


def test_export_of_one_tenant(env: dict[str, str], tmp_path: Path) -> None:
    tenants = sorted((EXAMPLES / "multi-tenant").glob("*.yaml"))
    assert run("apply", *tenants, "--auto-approve", env=env).code == 0
    exported = tmp_path / "team-a.yaml"
    assert run("export", "--tenant", "team-a", "--out", exported, env=env).code == 0
    doc = yaml.safe_load(exported.read_text())
    assert [v["path"] for v in doc["views"]] == ["/team-a/projects"]
    assert {p["name"] for p in doc["viewpolicies"]} == {"team-a-rw"}
    assert run("plan", exported, "--detailed-exitcode", env=env).code == 0


def test_saved_plan_is_refused_on_another_cluster(env: dict[str, str], tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    run("plan", QUICKSTART, "--out", plan_file, env=env)
    other = f"sim://{tmp_path / 'other.json'}"
    result = run("apply", plan_file, "--auto-approve", "--endpoint", other, env=env)
    result.assert_error(env["VAST_ENDPOINT"], other)
    assert _views(other) == {}
