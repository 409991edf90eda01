"""Checks across objects and files."""

from __future__ import annotations

from collections.abc import Callable

from vastplan.spec import Problem, Spec

from .helpers import BASE, only

Problems = Callable[..., list[Problem]]
Load = Callable[..., Spec]


def test_same_address_twice_in_two_files_names_both(problems: Problems) -> None:
    found = problems(BASE, "version: 1\nfolders:\n  - path: /x\n  - path: /p\n")
    problem = only(found)
    assert (problem.file, problem.line, problem.pointer) == ("spec1.yaml", 4, "/folders/1")
    assert problem.message == "folder[/p] is declared twice: here and at spec.yaml:5 (/folders/0)"


def test_same_path_in_two_tenants_is_two_objects(load: Load) -> None:
    spec = load("version: 1\ntenants: [{name: t2}]\nfolders:\n  - path: /p\n  - {path: /p, tenant: t2}\n")
    assert [o.address for o in spec.of_kind("folder")] == ["folder[/p]", "folder[t2:/p]"]


def test_two_views_on_one_path(problems: Problems) -> None:
    found = problems(
        BASE + "views:\n  - {path: /p, policy: pol}\n  - {path: /p, policy: pol, protocols: [SMB]}\n"
    )
    assert only(found).message == "view[/p] is declared twice: here and at spec.yaml:7 (/views/0)"


def test_snapshot_and_policy_names_are_unique_across_tenants(problems: Problems) -> None:
    found = problems(
        "version: 1\ntenants: [{name: t2}]\nviewpolicies:\n  - name: p\n  - {name: p, tenant: t2}\n"
        "snapshots:\n  - {name: s, path: /a}\n  - {name: s, path: /b, tenant: t2}\n"
    )
    assert {p.pointer for p in found} == {"/viewpolicies/1", "/snapshots/1"}


def test_quota_names_are_unique(problems: Problems) -> None:
    found = problems(
        "version: 1\nquotas:\n  - {name: q, path: /a, create_dir: true}\n"
        "  - {name: q, path: /b, create_dir: true}\n"
    )
    problem = only(found)
    assert (problem.line, problem.pointer) == (4, "/quotas/1/name")
    assert problem.message == (
        "quota name 'q' is also used by quota[/a] at spec.yaml:3 (/quotas/0); quota names must be unique"
    )


def test_view_policy_must_be_declared(problems: Problems) -> None:
    problem = only(problems(BASE + "views:\n  - path: /p\n    policy: pool\n"))
    assert (problem.line, problem.pointer) == (8, "/views/0/policy")
    assert problem.message == (
        "view[/p] uses view policy 'pool', which is not declared under viewpolicies; did you mean 'pol'?"
    )


def test_view_policy_declared_absent(problems: Problems) -> None:
    problem = only(
        problems(
            "version: 1\nviewpolicies: [{name: pol, state: absent}]\n"
            "views: [{path: /p, policy: pol, create_dir: true}]\n"
        )
    )
    assert problem.message == (
        "view[/p] uses view policy 'pol', which is declared absent at spec.yaml:2 (/viewpolicies/0)"
    )


def test_absent_view_needs_no_policy(load: Load) -> None:
    spec = load("version: 1\nviews: [{path: /p, state: absent, policy: gone, protocols: [NFS]}]\n")
    (view,) = spec.objects
    assert view.state == "absent" and dict(view.fields) == {"path": "/p"}


def test_tenant_must_be_declared(problems: Problems) -> None:
    problem = only(problems(BASE + "  - path: /q\n    tenant: t9\n"))
    assert (problem.line, problem.pointer) == (7, "/folders/1/tenant")
    assert problem.message == (
        "folder[t9:/q] is in tenant 't9', which is not declared: add it under tenants, "
        "or use 'default' or defaults.tenant"
    )


def test_tenants_that_need_no_declaration(load: Load) -> None:
    spec = load(
        "version: 1\ndefaults: {tenant: t2}\nfolders:\n  - path: /a\n  - {path: /b, tenant: default}\n"
        "  - {path: /c, tenant: t2}\n"
    )
    assert [(o.address, o.tenant) for o in spec.objects] == [
        ("folder[/b]", "default"),
        ("folder[t2:/a]", "t2"),
        ("folder[t2:/c]", "t2"),
    ]


def test_tenant_declared_absent_while_used(problems: Problems) -> None:
    found = problems("version: 1\ntenants: [{name: t2, state: absent}]\nfolders: [{path: /a, tenant: t2}]\n")
    assert only(found).message == (
        "folder[t2:/a] is in tenant 't2', which is declared absent at spec.yaml:2 (/tenants/0)"
    )


def test_tenant_declared_absent_with_only_absent_objects(load: Load) -> None:
    load(
        "version: 1\ntenants: [{name: t2, state: absent}]\nfolders: [{path: /a, tenant: t2, state: absent}]\n"
    )


def test_default_tenant_cannot_be_deleted(problems: Problems) -> None:
    problem = only(problems("version: 1\ntenants: [{name: default, state: absent}]\n"))
    assert (problem.pointer, problem.message) == ("/tenants/0", "the default tenant cannot be deleted")


def test_quota_needs_a_directory(problems: Problems) -> None:
    problem = only(problems("version: 1\nquotas:\n  - name: q\n    path: /data\n"))
    assert (problem.line, problem.pointer) == (3, "/quotas/0")
    assert problem.message == (
        "nothing in the spec provides the directory /data of quota[/data]: declare it under "
        "folders (- path: /data; created when missing), or set create_dir: true on this "
        "quota"
    )


def test_view_needs_a_directory(problems: Problems) -> None:
    problem = only(problems("version: 1\nviewpolicies: [{name: pol}]\nviews: [{path: /data, policy: pol}]\n"))
    assert "create_dir: true on this view" in problem.message


def test_directory_providers(load: Load) -> None:
    load(
        "version: 1\nviewpolicies: [{name: pol}]\n"
        "folders: [{path: /f}]\nquotas: [{name: q1, path: /f}, {name: q2, path: /q, create_dir: true}]\n"
        "views: [{path: /v, policy: pol, create_dir: true}, {path: /f, policy: pol}]\n"
    )
    # DESIGN §4: a quota path with a view (and the view with the quota) on it: the directory is expected to exist
    load(
        "version: 1\nviewpolicies: [{name: pol}]\nquotas: [{name: q, path: /x}]\nviews: [{path: /x, policy: pol}]\n"
    )
    # a view's create_dir also provides the directory of the quota on the same path
    load(
        "version: 1\nviewpolicies: [{name: pol}]\nquotas: [{name: q, path: /y}]\n"
        "views: [{path: /y, policy: pol, create_dir: true}]\n"
    )


def test_directory_provider_must_be_in_the_same_tenant(problems: Problems) -> None:
    found = problems(
        "version: 1\ntenants: [{name: t2}]\nfolders: [{path: /a, tenant: t2}]\n"
        "quotas: [{name: q, path: /a}]\n"
    )
    assert only(found).pointer == "/quotas/0"


def test_absent_folder_with_present_objects_under_it(problems: Problems) -> None:
    found = problems(
        "version: 1\nfolders:\n  - {path: /a, state: absent}\n  - {path: /a/b/c}\n"
        "snapshots: [{name: s, path: /a/b/}, {name: s2, path: /ab/}]\n"
    )
    assert {p.pointer for p in found} == {"/folders/1", "/snapshots/0"}
    assert only(found, "/folders/1").message == (
        "folder[/a/b/c] lies under folder[/a], which is declared absent "
        "(it would go to the trash) at spec.yaml:3 (/folders/0)"
    )


def test_soft_limit_above_hard_limit(problems: Problems) -> None:
    found = problems(
        BASE + "quotas:\n  - {name: q, path: /p, hard_limit: 10GB, soft_limit: 20GiB,\n"
        "     hard_limit_inodes: 5, soft_limit_inodes: 6}\n"
    )
    assert only(found, "/quotas/0/soft_limit").message == "soft_limit (20GiB) is above hard_limit (10GB)"
    assert (
        only(found, "/quotas/0/soft_limit_inodes").message
        == "soft_limit_inodes (6) is above hard_limit_inodes (5)"
    )


def test_zero_hard_limit_means_no_limit(load: Load) -> None:
    load(BASE + "quotas:\n  - {name: q, path: /p, hard_limit: 0, soft_limit: 1GiB}\n")


def test_defaults_tenant_must_agree_across_files(problems: Problems) -> None:
    found = problems("version: 1\ndefaults: {tenant: t2}\n", "version: 1\ndefaults:\n  tenant: t3\n")
    problem = only(found)
    assert (problem.file, problem.line, problem.pointer) == ("spec1.yaml", 3, "/defaults/tenant")
    assert problem.message == (
        "defaults.tenant is 't3' here but 't2' in spec.yaml:2; files that set it must agree"
    )


def test_prune_must_agree_across_files(problems: Problems) -> None:
    found = problems("version: 1\nscope: {paths: [/a], prune: true}\n", "version: 1\nscope: {prune: false}\n")
    assert "scope.prune is False here but True in spec.yaml:2" in only(found).message


def test_prune_without_paths_or_names(problems: Problems) -> None:
    problem = only(problems("version: 1\nscope:\n  prune: true\n"))
    assert (problem.line, problem.pointer) == (3, "/scope/prune")
    assert "lists no paths and no names, so nothing would be pruned" in problem.message


def test_scope_paths_are_checked(problems: Problems) -> None:
    found = problems("version: 1\nscope:\n  paths: [/a/, b, /c/../d]\n  names: ['']\n")
    assert {p.pointer for p in found} == {
        "/scope/paths/0",
        "/scope/paths/1",
        "/scope/paths/2",
        "/scope/names/0",
    }
    assert only(found, "/scope/paths/0").message == "path '/a/' ends with '/'; write '/a'"
