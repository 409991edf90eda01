"""Defects found in release QA, each pinned by the test that would have caught it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vastplan.spec import Problem, SpecError, load_spec

from .helpers import only


def _problems(tmp_path: Path, *files: tuple[str, str]) -> list[Problem]:
    paths = []
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    with pytest.raises(SpecError) as caught:
        load_spec(paths)
    return list(caught.value.problems)


PLAN = json.dumps({"format_version": "1", "changes": [], "steps": [], "plan_digest": "sha256:" + "0" * 64})


def test_a_saved_plan_among_specs_is_one_clear_problem(tmp_path: Path) -> None:
    # A plan file given with a spec (vastplan apply plan.json site.yaml) used to be checked as a spec:
    # "missing required field 'version'" and one "unknown top-level key" per plan key.
    found = _problems(tmp_path, ("plan.json", PLAN), ("site.yaml", "version: 1\nfolders:\n  - path: /a\n"))
    problem = only(found)
    assert problem.file.endswith("plan.json")
    assert "saved plan" in problem.message and "vastplan apply" in problem.message


@pytest.mark.parametrize(
    ("kind_yaml", "pointer"),
    [
        ("viewpolicies:\n  - name: p\n    atime_frequency: 1h\n", "/viewpolicies/0/atime_frequency"),
        ("viewpolicies:\n  - name: p\n    atime_frequency: '00:00:00'\n", "/viewpolicies/0/atime_frequency"),
        (
            "quotas:\n  - name: q\n    path: /q\n    create_dir: true\n    grace_period: 7d\n",
            "/quotas/0/grace_period",
        ),
        (
            (
                "quotas:\n  - name: q\n    path: /q\n    create_dir: true\n"
                "    default_user_quota: {grace_period: 2 days}\n"
            ),
            "/quotas/0/default_user_quota/grace_period",
        ),
    ],
)
def test_durations_the_vms_refuses_are_refused_by_validate(
    tmp_path: Path, kind_yaml: str, pointer: str
) -> None:
    # atime_frequency: 1h passed validate and plan, and the VMS refused it in the middle of an apply
    # ("Expected seconds (300) or a duration (00:00:30)"), leaving a partial apply behind.
    problem = only(_problems(tmp_path, ("s.yaml", "version: 1\n" + kind_yaml)), pointer)
    assert "is not a duration the VMS takes" in problem.message


@pytest.mark.parametrize("value", ["'3600'", "'01:00:00'", "'00:30'", "'1 00:00:00'"])
def test_durations_the_vms_takes_are_valid(tmp_path: Path, value: str) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(
        f"version: 1\nviewpolicies:\n  - name: p\n    atime_frequency: {value}\n", encoding="utf-8"
    )
    assert load_spec([str(spec)]).objects


def test_a_report_of_many_problems_is_capped_and_counts_the_rest() -> None:
    # A file wrong everywhere printed every problem (megabytes for a 20,000-entry host list).
    from vastplan.spec.errors import REPORTED_PROBLEMS, Problem, SpecError

    error = SpecError(Problem("big.yaml", n + 1, f"/quotas/{n}", "bad") for n in range(250))
    lines = str(error).splitlines()
    assert lines[0] == "invalid spec: 250 problems"
    assert len(lines) == 1 + REPORTED_PROBLEMS + 1
    assert lines[-1] == "  ... and 150 more problems (fix these and validate again)"
    assert len(error.problems) == 250
