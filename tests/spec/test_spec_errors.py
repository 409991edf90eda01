"""Every problem a spec can have, with file, line, pointer and the helpful part of the message."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vastplan.spec import Problem, SpecError, load_documents

from .helpers import BASE, only

Problems = Callable[..., list[Problem]]


def test_str_of_spec_error_is_a_report(problems: Problems) -> None:
    with pytest.raises(SpecError) as caught:
        load_documents(
            [
                (
                    "a.yaml",
                    {
                        "version": 1,
                        "views": [{"path": "/p", "policy": "pol", "protocols": ["NFS5"]}],
                        "viewpolicies": [{"name": "pol"}],
                        "folders": [{"path": "/p"}],
                    },
                )
            ]
        )
    assert str(caught.value) == (
        "invalid spec: 1 problem\n"
        "  a.yaml (/views/0/protocols/0): 'NFS5' is not one of NFS, NFS4, SMB, S3, ENDPOINT, DATABASE, KAFKA, "
        "BLOCK; did you mean 'NFS'?"
    )


def test_problem_str() -> None:
    assert (
        str(Problem("spec.yaml", 12, "/views/0/protocols", "bad")) == "spec.yaml:12 (/views/0/protocols): bad"
    )
    assert str(Problem("spec.yaml", None, "", "no such file")) == "spec.yaml: no such file"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "the document is empty; a spec starts with 'version: 1'"),
        ("- a\n- b\n", None, "a spec document is a mapping (version, views, quotas, ...), not a list"),
        ("just text\n", None, "not a single value ('just text')"),
    ],
)
def test_document_shape(problems: Problems, text: str, line: int | None, message: str) -> None:
    problem = only(problems(text))
    assert problem.pointer == "" and message in problem.message


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("2", "unsupported version 2: this vastplan reads spec version 1 (write 'version: 1')"),
        ("'1'", "unsupported version '1'"),
        ("true", "unsupported version True"),
    ],
)
def test_wrong_version(problems: Problems, version: str, message: str) -> None:
    problem = only(problems(f"version: {version}\n"))
    assert (problem.line, problem.pointer) == (1, "/version")
    assert message in problem.message


def test_missing_version(problems: Problems) -> None:
    problem = only(problems("folders: []\n"))
    assert (problem.line, problem.pointer, problem.message) == (1, "", "missing required field 'version'")


def test_unknown_top_level_key(problems: Problems) -> None:
    problem = only(problems("version: 1\nview: []\n"))
    assert (problem.line, problem.pointer) == (2, "/view")
    assert problem.message == "unknown top-level key 'view'; did you mean 'views'?"


def test_unknown_keys_in_scope_and_defaults(problems: Problems) -> None:
    found = problems("version: 1\ndefaults:\n  tennant: t\nscope:\n  prunes: true\n")
    assert (
        only(found, "/defaults/tennant").message
        == "unknown key 'tennant' in defaults; did you mean 'tenant'?"
    )
    assert only(found, "/scope/prunes").line == 5


def test_unknown_field_with_suggestion(problems: Problems) -> None:
    problem = only(problems("version: 1\nviewpolicies:\n  - name: p\n    nfs_readwrite: []\n"))
    assert (problem.file, problem.line, problem.pointer) == ("spec.yaml", 4, "/viewpolicies/0/nfs_readwrite")
    assert problem.message == "unknown field 'nfs_readwrite' for viewpolicy; did you mean 'nfs_read_write'?"


def test_unknown_field_without_suggestion(problems: Problems) -> None:
    problem = only(problems("version: 1\nviewpolicies:\n  - name: p\n    zzzzzz: 1\n"))
    assert problem.message == "unknown field 'zzzzzz' for viewpolicy"


def test_unknown_field_in_nested_object(problems: Problems) -> None:
    problem = only(
        problems(
            "version: 1\nquotas:\n  - {name: q, path: /q, create_dir: true,\n"
            "     default_user_quota: {hardlimit: 1}}\n"
        )
    )
    assert problem.pointer == "/quotas/0/default_user_quota/hardlimit"
    assert problem.message == "unknown field 'hardlimit' in default_user_quota; did you mean 'hard_limit'?"


@pytest.mark.parametrize(
    ("kind_key", "entry", "field", "hint"),
    [
        ("views", "{path: /p, policy: pol, policy_id: 3}", "policy_id", "name the view policy with 'policy'"),
        ("viewpolicies", "{name: p2, tenant_id: 1}", "tenant_id", "from 'tenant' (a tenant name)"),
        ("quotas", "{name: q, path: /p, used_capacity: 1}", "used_capacity", "computed by the VMS"),
        (
            "snapshots",
            "{name: s, path: /p, cluster_id: 1}",
            "cluster_id",
            "the engine never sends cluster_id",
        ),
        ("tenants", "{name: t, tenant: x}", "tenant", "a tenant does not belong to a tenant"),
    ],
)
def test_fields_a_spec_may_not_set(
    problems: Problems, kind_key: str, entry: str, field: str, hint: str
) -> None:
    problem = only(problems(f"version: 1\n{kind_key}:\n  - {entry}\n"), f"/{kind_key}/0/{field}")
    assert problem.line == 3
    assert problem.message.startswith(f"{field!r} cannot be set in a spec for ") and hint in problem.message


@pytest.mark.parametrize(
    ("entry", "pointer", "message"),
    [
        (
            "{path: /p, policy: pol, protocols: [NFS5]}",
            "/views/0/protocols/0",
            "'NFS5' is not one of NFS, NFS4, SMB, S3, ENDPOINT, DATABASE, KAFKA, BLOCK; did you mean 'NFS'?",
        ),
        (
            "{path: /p, policy: pol, protocols: NFS}",
            "/views/0/protocols",
            "expected a list, got a string ('NFS')",
        ),
        (
            "{path: /p, policy: pol, protocols: [NFS, NFS]}",
            "/views/0/protocols",
            "lists 'NFS' more than once; each entry may appear once",
        ),
        (
            "{path: /p, policy: pol, locking: maybe}",
            "/views/0/locking",
            "expected a boolean, got a string ('maybe')",
        ),
        (
            "{path: /p, policy: pol, share: 12}",
            "/views/0/share",
            "expected a string, got an integer (12); quote it if it is meant as text: '12'",
        ),
        ("{path: /p, policy: pol, state: gone}", "/views/0/state", "'gone' is not one of present, absent"),
        (
            "{path: /p, policy: pol, abe_max_depth: -1}",
            "/views/0/abe_max_depth",
            "-1 is less than the minimum, 0",
        ),
        (
            "{path: /p, policy: pol, name: ' x'}",
            "/views/0/name",
            "' x' must not be empty or start or end with whitespace",
        ),
        ("{path: /p, policy: pol, alias: x}", "/views/0/alias", "'x' must start with '/'"),
        ("{path: /p}", "/views/0", "missing required field 'policy'"),
        (
            "{path: /p, policy: pol, create_dir_acl: [{perm: READ}]}",
            "/views/0/create_dir_acl/0",
            "missing required field 'grantee'",
        ),
        ("[]", "/views/0", "expected a mapping, got a list ([])"),
    ],
)
def test_types_and_enums(problems: Problems, entry: str, pointer: str, message: str) -> None:
    problem = only(problems(BASE + f"views:\n  - {entry}\n"))
    assert (problem.file, problem.line, problem.pointer, problem.message) == (
        "spec.yaml",
        7,
        pointer,
        message,
    )


def test_list_expected_for_kind(problems: Problems) -> None:
    problem = only(problems("version: 1\nviews: {path: /a}\n"))
    assert (problem.pointer, problem.message) == ("/views", "expected a list, got a mapping ({'path': '/a'})")


def test_empty_kind_lists_are_fine(load: Callable[..., object]) -> None:
    load("version: 1\nviews:\nquotas: []\ndefaults:\nscope:\n")


@pytest.mark.parametrize(
    ("kind_key", "entry", "pointer", "message"),
    [
        ("views", "{path: /p/, policy: pol}", "/views/0/path", "path '/p/' ends with '/'; write '/p'"),
        (
            "views",
            "{path: p, policy: pol}",
            "/views/0/path",
            "'p' is not an absolute path; it must start with '/'",
        ),
        ("quotas", "{name: q, path: /p/../q}", "/quotas/0/path", "has a '..' component"),
        ("folders", '{path: "/p\\0x"}', "/folders/1/path", "contains a NUL byte"),
        ("snapshots", "{name: s, path: rel/}", "/snapshots/0/path", "'rel/' is not an absolute path"),
    ],
)
def test_invalid_paths(problems: Problems, kind_key: str, entry: str, pointer: str, message: str) -> None:
    text = BASE + f"{kind_key}:\n  - {entry}\n" if kind_key != "folders" else BASE + f"  - {entry}\n"
    problem = only(problems(text))
    assert problem.pointer == pointer and message in problem.message
    assert problem.line == (6 if kind_key == "folders" else 7)


def test_path_problem_is_not_repeated_by_the_schema_or_cross_checks(problems: Problems) -> None:
    found = problems(BASE + "views:\n  - {path: /a/, policy: undeclared}\n")
    assert [p.pointer for p in found] == ["/views/0/path"]


def test_invalid_host_entries(problems: Problems) -> None:
    found = problems(
        "version: 1\nviewpolicies:\n  - name: p\n    nfs_read_only:\n      - 10.0.0.0/24\n"
        "      - 10.0.0.1/24\n      - bogus\n    trash_access: ['~*']\n"
    )
    assert (
        only(found, "/viewpolicies/0/nfs_read_only/1").message
        == "'10.0.0.1/24' has host bits set; the network is 10.0.0.0/24"
    )
    assert only(found, "/viewpolicies/0/nfs_read_only/1").line == 6
    assert "is not a valid host entry" in only(found, "/viewpolicies/0/nfs_read_only/2").message
    assert only(found, "/viewpolicies/0/trash_access/0").line == 8
    assert len(found) == 3


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "-5 is negative; a size is 0 or more bytes"),
        (
            "ten",
            "'ten' is not a size; write bytes (1073741824) or a number with a unit (10GiB, 500GB, 1.5TiB)",
        ),
        ("10G", "unknown unit 'G' in '10G'"),
        ("1.1GiB", "not a whole number"),
        ("true", "true is not a size"),
    ],
)
def test_invalid_sizes(problems: Problems, value: str, message: str) -> None:
    problem = only(problems(BASE + f"quotas:\n  - name: q\n    path: /p\n    hard_limit: {value}\n"))
    assert (problem.line, problem.pointer) == (9, "/quotas/0/hard_limit")
    assert message in problem.message


def test_invalid_nested_size(problems: Problems) -> None:
    problem = only(
        problems(
            BASE + "quotas:\n  - name: q\n    path: /p\n    user_quotas:\n"
            "      - {identifier: bob, hard_limit: 5 parsecs}\n"
        )
    )
    assert (
        problem.pointer == "/quotas/0/user_quotas/0/hard_limit"
        and "unknown unit 'parsecs'" in problem.message
    )


def test_every_problem_is_reported_at_once(problems: Problems) -> None:
    found = problems(
        BASE + "views:\n  - {path: /p, policy: pol, protocols: [X]}\n"
        "quotas:\n  - {name: q, path: /p, hard_limit: -1}\n",
        "version: 3\n",
    )
    assert {(p.file, p.pointer) for p in found} == {
        ("spec.yaml", "/views/0/protocols/0"),
        ("spec.yaml", "/quotas/0/hard_limit"),
        ("spec1.yaml", "/version"),
    }


def test_schema_problems_are_capped(problems: Problems, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vastplan.spec.schemacheck.MAX_SCHEMA_PROBLEMS", 3)
    found = problems("version: 1\nfolders: [1, 2, 3, 4, 5]\n")
    assert len(found) == 4 and found[0].message == "more schema errors not shown (stopped after 3)"


def test_too_many_objects(problems: Problems, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vastplan.spec.loader.MAX_OBJECTS", 2)
    problem = only(problems("version: 1\nfolders: [{path: /a}, {path: /b}, {path: /c}]\n"))
    assert "3 objects is more than vastplan takes in one spec (2)" in problem.message


def test_no_files_given() -> None:
    from vastplan.spec import load_spec

    with pytest.raises(SpecError, match="no spec files were given"):
        load_spec([])
