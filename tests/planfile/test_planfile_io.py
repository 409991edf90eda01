"""write_plan / read_plan / check_expected_digest, and every PlanFileError they raise."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from vastplan.errors import VastplanError
from vastplan.planfile import PlanFileError, check_expected_digest, read_plan, write_plan
from vastplan.render import render

Doc = dict[str, Any]
TAMPERED = "was modified after it was made: its plan_digest does not match its changes and steps"


def _dump(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_plan_file_error_is_a_vastplan_error() -> None:
    assert issubclass(PlanFileError, VastplanError)


def test_round_trip(plan_doc: Doc, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_plan(plan_doc, path)
    assert read_plan(path) == plan_doc
    assert read_plan(str(path)) == plan_doc


def test_file_holds_the_json_rendering(plan_doc: Doc, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_plan(plan_doc, path)
    text = path.read_text(encoding="utf-8")
    assert text == render(plan_doc, "json") + "\n"
    assert text.startswith('{\n  "format_version": "1",\n')


def test_write_leaves_no_temporary_file(plan_doc: Doc, tmp_path: Path) -> None:
    write_plan(plan_doc, tmp_path / "plan.json")
    write_plan(plan_doc, tmp_path / "plan.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_an_invalid_plan_is_not_written_and_the_old_file_stays(plan_doc: Doc, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("old", encoding="utf-8")
    bad = dict(plan_doc, max_risk="safe")
    with pytest.raises(PlanFileError, match=r"\$\.max_risk"):
        write_plan(bad, path)
    assert path.read_text(encoding="utf-8") == "old"


def test_a_failed_rename_keeps_the_old_file_and_removes_the_temporary(
    plan_doc: Doc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.json"
    path.write_text("old", encoding="utf-8")

    def broken_replace(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_plan(plan_doc, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_write_into_a_missing_directory(plan_doc: Doc, tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot write plan file .*: No such file or directory"):
        write_plan(plan_doc, tmp_path / "nowhere" / "plan.json")


def test_write_refuses_an_endpoint_with_credentials(plan_doc: Doc, tmp_path: Path, refinalize: Any) -> None:
    doc = refinalize(dict(plan_doc, endpoint="https://admin:123456@vms.example.com"))
    path = tmp_path / "plan.json"
    with pytest.raises(PlanFileError, match="names a user or password") as caught:
        write_plan(doc, path)
    assert "123456" not in str(caught.value)
    assert not path.exists()


# --- every error read_plan raises -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    with pytest.raises(PlanFileError, match=r"^plan file .*plan\.json does not exist$") as caught:
        read_plan(path)
    assert caught.value.path == str(path)


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot read plan file"):
        read_plan(tmp_path)


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("{\n  nope\n", encoding="utf-8")
    with pytest.raises(
        PlanFileError,
        match=r"plan\.json is not a plan file: it is not JSON \(Expecting property "
        r"name enclosed in double quotes at line 2, column 3\)",
    ):
        read_plan(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(PlanFileError, match="is not a plan file: it is not UTF-8 text"):
        read_plan(path)


def test_nan_is_not_json(plan_doc: Doc, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_doc).replace('"count": 0', '"count": NaN'), encoding="utf-8")
    with pytest.raises(PlanFileError, match="is not a plan file: it holds NaN, which is not JSON"):
        read_plan(path)


def test_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(
        PlanFileError, match=r"plan\.json is not a plan: it holds a JSON array, not an object"
    ):
        read_plan(_dump(tmp_path / "plan.json", [1, 2]))


def test_unknown_format_version(plan_doc: Doc, tmp_path: Path) -> None:
    path = _dump(tmp_path / "plan.json", dict(plan_doc, format_version="2"))
    with pytest.raises(
        PlanFileError,
        match=r"plan\.json is not a plan this vastplan can read: \$\.format_version: "
        r"'2' is not a plan format this vastplan \(0\.1\.0\) reads \('1'\)",
    ):
        read_plan(path)


def test_schema_violation_names_the_json_path(plan_doc: Doc, tmp_path: Path) -> None:
    plan_doc["steps"][0]["method"] = "PUT"
    path = _dump(tmp_path / "plan.json", plan_doc)
    with pytest.raises(PlanFileError) as caught:
        read_plan(path)
    assert str(caught.value).startswith(
        f"{path} is not a valid plan:\n  $.steps[0].method: 'PUT' is not one of"
    )
    assert caught.value.problems[0].startswith("$.steps[0].method")


def test_tampered_step_body_is_refused(
    plan_doc: Doc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_doc["steps"][2]["body"]["path"] = "/projects"  # delete more than was reviewed
    _dump(tmp_path / "plan.json", plan_doc)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlanFileError) as caught:
        read_plan("plan.json")
    assert str(caught.value) == f"plan.json {TAMPERED}"


@pytest.mark.parametrize(
    "key, value", [("endpoint", "https://other.example.com"), ("observed_digest", "sha256:" + "a" * 64)]
)
def test_tampered_digested_keys_are_refused(plan_doc: Doc, tmp_path: Path, key: str, value: str) -> None:
    path = _dump(tmp_path / "plan.json", dict(plan_doc, **{key: value}))
    with pytest.raises(PlanFileError, match=TAMPERED):
        read_plan(path)


def test_consistency_problem_when_read(plan_doc: Doc, tmp_path: Path, refinalize: Any) -> None:
    doc = refinalize(dict(plan_doc, summary=dict(plan_doc["summary"], noop=3)))
    with pytest.raises(PlanFileError, match=r"is not a valid plan:\n  \$\.summary\.noop: is 3 but 1 change"):
        read_plan(_dump(tmp_path / "plan.json", doc))


# --- approving a digest ---------------------------------------------------------------------------


def test_expected_digest_matches(plan_doc: Doc) -> None:
    check_expected_digest(plan_doc, plan_doc["plan_digest"])
    check_expected_digest(plan_doc, "  " + plan_doc["plan_digest"].upper().replace("SHA256", "sha256") + "\n")
    check_expected_digest(plan_doc, plan_doc["plan_digest"].removeprefix("sha256:"))


def test_expected_digest_differs(plan_doc: Doc) -> None:
    other = "sha256:" + "f" * 64
    with pytest.raises(
        PlanFileError,
        match=f"this plan's digest is {plan_doc['plan_digest']}, not the approved "
        f"{other}: it is not the plan that was reviewed",
    ):
        check_expected_digest(plan_doc, other)


@pytest.mark.parametrize("expected", ["", "sha256:abc", "sha1:" + "0" * 40, "sha256:" + "g" * 64])
def test_expected_digest_malformed(plan_doc: Doc, expected: str) -> None:
    with pytest.raises(PlanFileError, match="is not a plan digest"):
        check_expected_digest(plan_doc, expected)


def test_expected_digest_recomputes_the_content(plan_doc: Doc) -> None:
    approved = plan_doc["plan_digest"]
    plan_doc["steps"][0]["body"]["name"] = "evil"  # the old digest is kept, the content is not
    with pytest.raises(PlanFileError, match=f"the plan {TAMPERED}"):
        check_expected_digest(plan_doc, approved)
