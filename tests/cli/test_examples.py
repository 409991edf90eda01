"""Every example runs as documented: it validates, and where it makes sense it plans, applies and plans
again to no changes against the embedded simulator. The demo script runs as the README runs it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .harness import EXAMPLES, REPO, VASTPLAN, base_env, run, vms_list

pytestmark = pytest.mark.e2e

MULTI_TENANT = sorted((EXAMPLES / "multi-tenant").glob("*.yaml"))
SPEC_SETS = {
    "quickstart": [EXAMPLES / "quickstart.yaml"],
    "multi-tenant": MULTI_TENANT,
    "manila-share": [EXAMPLES / "manila-share.yaml"],
    "pruned-scope": [EXAMPLES / "pruned-scope.yaml"],
    "data-loss-before": [EXAMPLES / "data-loss" / "before.yaml"],
    "data-loss-after": [EXAMPLES / "data-loss" / "after.yaml"],
}


def test_every_example_file_is_covered() -> None:
    covered = {path for paths in SPEC_SETS.values() for path in paths}
    assert set(EXAMPLES.rglob("*.yaml")) == covered
    others = {p.name for p in EXAMPLES.iterdir() if p.is_file() and p.suffix != ".yaml"}
    assert others == {"README.md", "demo.sh", "manila.conf"}  # the last two have tests below


@pytest.mark.parametrize("name", sorted(SPEC_SETS))
def test_example_validates_and_points_editors_at_the_schema(name: str) -> None:
    result = run("validate", *SPEC_SETS[name])
    assert result.code == 0, result.output
    for path in SPEC_SETS[name]:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema == REPO / "schemas" / "spec.schema.json"


@pytest.mark.parametrize("name", ["quickstart", "multi-tenant", "manila-share"])
def test_example_applies_and_converges(name: str, sim_file: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    specs = SPEC_SETS[name]
    assert run("plan", *specs, "--detailed-exitcode", env=env).code == 2
    applied = run("apply", *specs, "--auto-approve", env=env)
    assert applied.code == 0, applied.output
    again = run("plan", *specs, "--detailed-exitcode", env=env)
    assert again.code == 0, again.output


def test_multi_tenant_objects_land_in_their_tenants(sim_file: str) -> None:
    run("apply", *MULTI_TENANT, "--auto-approve", env=base_env(VAST_ENDPOINT=sim_file))
    tenants = {t["name"]: t["id"] for t in vms_list(sim_file, "/tenants/")}
    views = {v["path"]: v["tenant_id"] for v in vms_list(sim_file, "/views/")}
    assert views == {"/team-a/projects": tenants["team-a"], "/team-b/projects": tenants["team-b"]}


def test_pruned_scope_deletes_only_what_it_owns(sim_file: str, tmp_path: Path) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    extra = tmp_path / "hand-made.yaml"
    extra.write_text(
        "version: 1\n"
        "viewpolicies:\n  - name: alpha-old\n  - name: beta-rw\n"
        "quotas:\n"
        "  - {name: alpha-tmp, path: /projects/alpha/tmp, hard_limit: 1GiB, create_dir: true}\n"
        "  - {name: beta, path: /projects/beta, hard_limit: 1GiB, create_dir: true}\n"
        "views:\n"
        "  - {path: /projects/alpha/tmp, policy: alpha-old, protocols: [NFS]}\n"
        "  - {path: /projects/beta, policy: beta-rw, protocols: [NFS]}\n"
    )
    assert run("apply", extra, "--auto-approve", env=env).code == 0

    planned = run("plan", SPEC_SETS["pruned-scope"][0], env=env)
    assert "in scope but not in the spec (prune)" in planned.out
    assert "view[/projects/beta]" not in planned.out
    assert run("apply", SPEC_SETS["pruned-scope"][0], "--auto-approve", env=env).code == 0

    assert {v["path"] for v in vms_list(sim_file, "/views/")} == {"/projects/alpha/data", "/projects/beta"}
    assert {p["name"] for p in vms_list(sim_file, "/viewpolicies/")} >= {"alpha-rw", "beta-rw"}
    assert "alpha-old" not in {p["name"] for p in vms_list(sim_file, "/viewpolicies/")}


def test_data_loss_is_gated_by_allow_data_loss(sim_file: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    before, after = SPEC_SETS["data-loss-before"], SPEC_SETS["data-loss-after"]
    assert run("apply", *before, "--auto-approve", env=env).code == 0

    planned = run("plan", *after, env=env)
    assert planned.out.count("! data-loss") >= 3

    refused = run("apply", *after, "--auto-approve", env=env)
    refused.assert_error("--allow-data-loss", "snapshot[scratch-before-cleanup]")
    [quota] = vms_list(sim_file, "/quotas/")
    assert quota["hard_limit"] == 100 * 2**30 and len(vms_list(sim_file, "/snapshots/")) == 1

    allowed = run("apply", *after, "--auto-approve", "--allow-data-loss", env=env)
    assert allowed.code == 0, allowed.output
    [quota] = vms_list(sim_file, "/quotas/")
    assert quota["hard_limit"] == 20 * 2**30 and vms_list(sim_file, "/snapshots/") == []
    assert run("plan", *after, "--detailed-exitcode", env=env).code == 0


def test_demo_script_runs_from_any_directory_and_cleans_up(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = base_env(PATH=f"{VASTPLAN.parent}{os.pathsep}{os.environ['PATH']}", TMPDIR=str(scratch))
    proc = subprocess.run(
        ["bash", str(EXAMPLES / "demo.sh")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 to create" in proc.stdout
    assert "Apply complete: 3 done" in proc.stdout
    assert "No changes" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert list(scratch.iterdir()) == []  # the temporary state is gone


def test_manila_conf_sets_only_known_options() -> None:
    import configparser

    options = pytest.importorskip("manila_vast.options")
    conf = configparser.ConfigParser()
    conf.read(EXAMPLES / "manila.conf")
    manila_own = {
        "share_driver",
        "share_backend_name",
        "driver_handles_share_servers",
        "max_over_subscription_ratio",
        "reserved_share_percentage",
    }
    driver = {opt.name for opt in options.VAST_OPTS}
    backend = set(conf["vast"]) - set(conf.defaults())
    assert backend <= driver | manila_own, backend - driver - manila_own
    assert conf["vast"]["share_driver"] == "manila_vast.driver.VASTShareDriver"
    assert conf["DEFAULT"]["enabled_share_backends"] == "vast"
