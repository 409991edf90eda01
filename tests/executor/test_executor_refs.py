"""``{"$ref": "ADDRESS.FIELD"}``: parsing, resolution anywhere in a step, and the failures."""

from __future__ import annotations

from typing import Any

import pytest
from executor_fakes import FakeClient, dropped, run_steps, step

from vastplan.engine.execution.refs import Reference, RefError, find_refs, parse_ref, resolve_refs


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("viewpolicy[alpha-ro].id", Reference("viewpolicy[alpha-ro]", "id")),
        ("viewpolicy[alpha.ro].id", Reference("viewpolicy[alpha.ro]", "id")),
        ("view[t2:/projects/a.b/data].policy.id", Reference("view[t2:/projects/a.b/data]", "policy.id")),
    ],
)
def test_parse_ref_splits_at_the_end_of_the_address(text: str, ref: Reference) -> None:
    assert parse_ref(text) == ref
    assert str(ref) == text


@pytest.mark.parametrize("text", ["id", "view[x]", "view[x].", "[x].id", "view[x]..id", 7, None])
def test_parse_ref_refuses_what_is_not_address_dot_field(text: Any) -> None:
    with pytest.raises(RefError):
        parse_ref(text)


def test_find_and_resolve_reach_nested_lists_and_objects() -> None:
    value: dict[str, Any] = {
        "a": [1, {"b": {"$ref": "tenant[t].id"}}],
        "c": {"d": {"$ref": "viewpolicy[p].name"}},
    }
    assert [str(r) for r in find_refs(value)] == ["tenant[t].id", "viewpolicy[p].name"]
    objects: dict[str, dict[str, Any]] = {"tenant[t]": {"id": 5}, "viewpolicy[p]": {"name": "p", "id": 9}}
    assert resolve_refs(value, objects.__getitem__) == {"a": [1, {"b": 5}], "c": {"d": "p"}}
    assert value["a"][1] == {"b": {"$ref": "tenant[t].id"}}  # the step itself is left alone


def test_refs_in_body_and_params_are_resolved_before_sending(fake: FakeClient) -> None:
    steps = [
        step(1, "tenant[t]", path="/tenants/", body={"name": "t"}),
        step(2, "viewpolicy[p]", path="/viewpolicies/", body={"name": "p"}, depends_on=(1,)),
        step(
            3,
            "view[t:/v]",
            body={
                "path": "/v",
                "policy_id": {"$ref": "viewpolicy[p].id"},
                "share_acl": {"acl": [{"tenant": {"$ref": "tenant[t].name"}}]},
            },
            params={"tenant_id": {"$ref": "tenant[t].id"}},
            depends_on=(2,),
        ),
    ]
    report = run_steps(fake, steps)
    assert report.ok
    tenant, policy = report.created["tenant[t]"], report.created["viewpolicy[p]"]
    sent = fake.sent("POST", "/views/")[0]
    assert sent.body == {"path": "/v", "policy_id": policy["id"], "share_acl": {"acl": [{"tenant": "t"}]}}
    assert sent.params == {"tenant_id": tenant["id"]}


def test_refs_in_lookup_params_are_resolved(fake: FakeClient) -> None:
    fake.fail("POST", "/views/", dropped, commit=True)
    steps = [
        step(1, "tenant[t]", path="/tenants/", body={"name": "t"}),
        step(
            2,
            "view[t:/v]",
            body={"path": "/v", "tenant_id": {"$ref": "tenant[t].id"}},
            lookup={"path": "/views/", "params": {"path": "/v", "tenant_id": {"$ref": "tenant[t].id"}}},
        ),
    ]
    report = run_steps(fake, steps)
    assert report.ok and report.results[1].recovered
    tenant_id = report.created["tenant[t]"]["id"]
    assert fake.sent("GET", "/views/")[0].params == {"path": "/v", "tenant_id": tenant_id}


def test_a_ref_to_an_address_no_step_creates_fails_that_step_unsent(fake: FakeClient) -> None:
    report = run_steps(fake, [step(1, "view[/v]", body={"policy_id": {"$ref": "viewpolicy[gone].id"}})])
    result = report.results[0]
    assert result.status == "failed" and result.attempts == 0
    assert result.error == (
        "POST /views/ not sent: cannot resolve $ref viewpolicy[gone].id: "
        "no step of this plan creates viewpolicy[gone]"
    )
    assert fake.calls == []


def test_a_ref_to_a_missing_field_names_the_fields_there_are(fake: FakeClient) -> None:
    steps = [
        step(1, "viewpolicy[p]", path="/viewpolicies/", body={"name": "p"}),
        step(2, "view[/v]", body={"policy_id": {"$ref": "viewpolicy[p].uuid"}}),
    ]
    report = run_steps(fake, steps)
    assert report.results[1].status == "failed"
    assert "viewpolicy[p].uuid: the object has no field 'uuid' (fields: id, name)" in str(
        report.results[1].error
    )


def test_a_ref_to_a_create_that_returned_nothing_fails_clearly(fake: FakeClient) -> None:
    steps = [
        step(1, "folder[/f]", path="/folders/create_folder/", body={"path": "/f"}),
        step(2, "view[/f]", body={"folder": {"$ref": "folder[/f].id"}}),
    ]
    report = run_steps(fake, steps)
    assert [r.status for r in report.results] == ["done", "failed"]
    assert "step 1, which creates folder[/f], gave back no object" in str(report.results[1].error)


def test_a_step_referring_to_itself_fails_unsent(fake: FakeClient) -> None:
    report = run_steps(fake, [step(1, "view[/v]", body={"x": {"$ref": "view[/v].id"}})])
    assert report.results[0].status == "failed" and fake.calls == []
