"""validate_plan: the schema, then what the schema cannot say."""

from __future__ import annotations

import copy
import importlib.resources
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from planfile_docs import FOLDER, POLICY, VIEW

from vastplan.planfile import PlanFileError, plan_problems, plan_schema, validate_plan

Doc = dict[str, Any]
Fix = Callable[[Doc], Doc]


def _set(doc: Doc, path: str, value: Any) -> Doc:
    """A copy of ``doc`` with the value at ``a.0.b`` replaced (``...`` as value deletes the key)."""
    doc = copy.deepcopy(doc)
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
    holder: Any = doc
    for part in parents:
        holder = holder[part]
    if value is ...:
        del holder[last]
    else:
        holder[last] = value
    return doc


def test_schema_ships_in_the_package_and_is_2020_12() -> None:
    text = importlib.resources.files("vastplan.schemas").joinpath("plan.schema.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema == plan_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_a_valid_plan_passes(plan_doc: Doc) -> None:
    validate_plan(plan_doc)
    assert plan_problems(plan_doc) == []


SCHEMA_CASES = [
    ("changes.0.action", "frobnicate", "$.changes[0].action: 'frobnicate' is not one of"),
    ("changes.0.risk", "risky", "$.changes[0].risk: 'risky' is not one of"),
    ("steps.0.method", "PUT", "$.steps[0].method: 'PUT' is not one of"),
    ("max_risk", "extreme", "$.max_risk: 'extreme' is not one of"),
    ("spec_digest", "sha256:ABC", "$.spec_digest: 'sha256:ABC' does not match"),
    ("observed_digest", "md5:" + "0" * 32, "$.observed_digest: 'md5:"),
    ("changes.0.fields", ..., "$.changes[0]: 'fields' is a required property"),
    ("steps.1.lookup", ..., "$.steps[1]: 'lookup' is a required property"),
    ("surprise", 1, "$: Additional properties are not allowed ('surprise' was unexpected)"),
    ("changes.2.address", "view/x", "$.changes[2].address: 'view/x' does not match"),
    (
        "steps.1.body.policy_id",
        {"$ref": "viewpolicy[alpha-ro]"},
        "$.steps[1].body.policy_id['$ref']: 'viewpolicy[alpha-ro]' does not match",
    ),
    ("steps.1.body.policy_id", {"$ref": "x.id", "extra": 1}, "$.steps[1].body.policy_id"),
    ("steps.0.depends_on", [1, 1], "$.steps[0].depends_on: [1, 1] has non-unique elements"),
    ("steps.0.path", "views/", "$.steps[0].path: 'views/' does not match"),
    ("steps.2.tolerate.0.status", 42, "$.steps[2].tolerate[0].status: 42 is less than the minimum"),
    ("changes.1.before", {"x": 1}, "$.changes[1].before: {'x': 1} is not of type 'null'"),
    ("changes.0.after", {"x": 1}, "$.changes[0].after: {'x': 1} is not of type 'null'"),
    ("changes.2.before", {}, "$.changes[2].before: {} is not of type 'null'"),
    ("created_at", "yesterday", "$.created_at: 'yesterday' does not match"),
    ("summary.noop", -1, "$.summary.noop: -1 is less than the minimum of 0"),
    ("diagnostics.0.severity", "fatal", "$.diagnostics[0].severity: 'fatal' is not one of"),
    ("target.scope.prune", "yes", "$.target.scope.prune: 'yes' is not of type 'boolean'"),
    ("observed.count", "3", "$.observed.count: '3' is not of type 'integer'"),
    ("cluster.version", None, "$.cluster.version: None is not of type 'string'"),
]


@pytest.mark.parametrize("path, value, message", SCHEMA_CASES, ids=[case[0] for case in SCHEMA_CASES])
def test_schema_violations_name_the_json_path(
    plan_doc: Doc, refinalize: Fix, path: str, value: Any, message: str
) -> None:
    doc = refinalize(_set(plan_doc, path, value))
    with pytest.raises(PlanFileError) as caught:
        validate_plan(doc)
    assert any(problem.startswith(message) for problem in caught.value.problems), caught.value.problems
    assert message in str(caught.value)


def test_refs_are_allowed_anywhere_in_body_params_lookup_and_tolerate(plan_doc: Doc, refinalize: Fix) -> None:
    ref = {"$ref": f"{POLICY}.id"}
    doc = _set(plan_doc, "steps.1.body.nested", [{"deep": ref}])
    doc = _set(doc, "steps.1.params", {"policy": ref})
    doc = _set(doc, "steps.1.lookup.params.policy_id", ref)
    doc = _set(doc, "steps.1.tolerate", [{"status": 409, "detail_contains": ref}])
    validate_plan(refinalize(doc))


def test_kind_specific_values_are_open(plan_doc: Doc, refinalize: Fix) -> None:
    doc = _set(plan_doc, "changes.2.after.anything", {"goes": [1, None, True]})
    doc = _set(doc, "steps.1.body.whatever", {"a": {"b": 1.5}})
    validate_plan(refinalize(doc))


CONSISTENCY_CASES: list[tuple[str, Callable[[Doc], Doc], str]] = [
    (
        "summary",
        lambda d: _set(d, "summary.delete", 0),
        "$.summary.delete: is 0 but 1 change(s) have action 'delete'",
    ),
    (
        "max_risk",
        lambda d: _set(d, "max_risk", "safe"),
        "$.max_risk: is 'safe' but the highest risk of a change is 'data-loss'",
    ),
    (
        "duplicate step id",
        lambda d: _set(d, "steps.2.id", 2),
        "$.steps[2].id: 2 is the id of an earlier step too",
    ),
    (
        "depends on a later step",
        lambda d: _set(d, "steps.0.depends_on", [3]),
        "$.steps[0].depends_on: step 1 depends on 3, which is a later step",
    ),
    (
        "depends on no step",
        lambda d: _set(d, "steps.2.depends_on", [9]),
        "$.steps[2].depends_on: step 3 depends on 9, which is no step",
    ),
    (
        "ref to an address nobody creates",
        lambda d: _set(d, "steps.1.body.policy_id", {"$ref": "viewpolicy[x].id"}),
        "$.steps[1].body.policy_id: 'viewpolicy[x].id' names 'viewpolicy[x]', which no earlier step creates",
    ),
    (
        "ref to a later create",
        lambda d: _set(d, "steps.0.body.x", {"$ref": f"{VIEW}.id"}),
        f"$.steps[0].body.x: '{VIEW}.id' names '{VIEW}', which no earlier step creates",
    ),
    (
        "ref without a dependency",
        lambda d: _set(d, "steps.1.depends_on", []),
        f"$.steps[1].body.policy_id: step 2 uses '{POLICY}.id' but does not depend on step 1",
    ),
    (
        "ref in lookup",
        lambda d: _set(d, "steps.2.lookup", {"path": "/x/", "params": {"id": {"$ref": "view[/n].id"}}}),
        "$.steps[2].lookup.params.id: 'view[/n].id' names 'view[/n]', which no earlier step creates",
    ),
    (
        "step without a change",
        lambda d: _set(d, "steps.2.address", "folder[/elsewhere]"),
        "$.steps[2].address: 'folder[/elsewhere]' has no change in this plan for this step to make",
    ),
    (
        "step for a noop",
        lambda d: _set(d, "steps.2.address", "tenant[default]"),
        "$.steps[2].address: 'tenant[default]' has no change in this plan",
    ),
    (
        "step riskier than its change",
        lambda d: _set(d, "steps.1.risk", "data-loss"),
        f"$.steps[1].risk: 'data-loss' is riskier than the change to '{VIEW}' ('safe')",
    ),
    (
        "duplicate change",
        lambda d: _set(d, "changes.3.address", VIEW),
        f"$.changes[3].address: '{VIEW}' has more than one change",
    ),
    (
        "kind mismatch",
        lambda d: _set(d, "changes.0.kind", "view"),
        f"$.changes[0].kind: 'view' is not the kind of '{FOLDER}'",
    ),
    (
        "a password in a body",
        lambda d: _set(d, "steps.0.body.password", "hunter2"),
        "$.steps[0].body.password: looks like a credential; plans never hold credentials",
    ),
    (
        "a token in params",
        lambda d: _set(d, "steps.0.params", {"Authorization": "Api-Token x"}),
        "$.steps[0].params.Authorization: looks like a credential",
    ),
    (
        "credentials in the endpoint",
        lambda d: _set(d, "endpoint", "https://u:p@vms"),
        "$.endpoint: names a user or password; plans never hold credentials",
    ),
    (
        "query in the endpoint",
        lambda d: _set(d, "endpoint", "https://vms/?t=1"),
        "$.endpoint: has a query string or fragment",
    ),
]


@pytest.mark.parametrize(
    "name, breaker, message", CONSISTENCY_CASES, ids=[case[0] for case in CONSISTENCY_CASES]
)
def test_consistency_problems(
    plan_doc: Doc, refinalize: Fix, name: str, breaker: Callable[[Doc], Doc], message: str
) -> None:
    doc = refinalize(breaker(plan_doc))
    with pytest.raises(PlanFileError) as caught:
        validate_plan(doc)
    assert any(problem.startswith(message) for problem in caught.value.problems), caught.value.problems
    assert "hunter2" not in str(caught.value)


def test_every_problem_is_reported_at_once(plan_doc: Doc, refinalize: Fix) -> None:
    doc = _set(_set(plan_doc, "summary.create", 7), "steps.0.depends_on", [3])
    problems = plan_problems(refinalize(doc))
    assert len(problems) == 2


def test_many_problems_are_capped_in_the_message(plan_doc: Doc, refinalize: Fix) -> None:
    doc = copy.deepcopy(plan_doc)
    doc["steps"] = [dict(doc["steps"][0], id=1) for _ in range(40)]
    with pytest.raises(PlanFileError) as caught:
        validate_plan(refinalize(doc))
    assert len(caught.value.problems) >= 39
    assert "... and " in str(caught.value)


def test_a_stale_digest_is_refused(plan_doc: Doc) -> None:
    plan_doc["steps"][0]["body"]["name"] = "other"
    with pytest.raises(
        PlanFileError,
        match="the plan document was modified after it was made: its plan_digest "
        "does not match its changes and steps",
    ):
        validate_plan(plan_doc)
    assert plan_problems(plan_doc) == ["$.plan_digest: does not match its changes and steps"]


@pytest.mark.parametrize(
    "doc, message",
    [
        ([], "the plan document is not a plan: it holds a JSON array, not an object"),
        ({}, "$.format_version: missing (not a vastplan plan?)"),
        ({"format_version": "2"}, "$.format_version: '2' is not a plan format this vastplan"),
        ({"format_version": 1}, "$.format_version: 1 is not a plan format"),
    ],
)
def test_not_a_plan(doc: Any, message: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        validate_plan(doc)
    assert message in str(caught.value)
    assert plan_problems(doc)
