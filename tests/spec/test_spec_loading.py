"""Loading valid specs: the objects, scope, addresses, merging, in-memory documents and the digest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import vastplan.spec as spec_package
from vastplan.spec import Scope, SourceRef, Spec, SpecError, SpecObject, load_documents, load_spec
from vastplan.spec.digest import canonical_json, digest_of, target_document

from .helpers import BASE

Load = Callable[..., Spec]
FIXTURES = Path(__file__).parent / "fixtures"
DESIGN_EXAMPLE = FIXTURES / "design_example.yaml"


def test_design_example_loads_to_the_expected_objects() -> None:
    spec = load_spec([DESIGN_EXAMPLE])
    name = str(DESIGN_EXAMPLE)
    assert spec.files == (name,)
    assert spec.default_tenant == "default"
    assert spec.scope == Scope(
        paths=("/projects/alpha",), names=("alpha-",), prune=False, tenants=frozenset({"default"})
    )
    assert [(o.kind, o.address, o.tenant, o.state, dict(o.fields)) for o in spec.objects] == [
        (
            "folder",
            "folder[/projects/alpha/scratch]",
            "default",
            "absent",
            {"path": "/projects/alpha/scratch"},
        ),
        (
            "quota",
            "quota[/projects/alpha/data]",
            "default",
            "present",
            {"name": "alpha-data", "path": "/projects/alpha/data", "hard_limit": 10 * 1024**3},
        ),
        (
            "snapshot",
            "snapshot[alpha-before-upgrade]",
            "default",
            "present",
            {"name": "alpha-before-upgrade", "path": "/projects/alpha/data/"},
        ),
        (
            "view",
            "view[/projects/alpha/data]",
            "default",
            "present",
            {"path": "/projects/alpha/data", "policy": "alpha-ro", "protocols": ["NFS", "NFS4"]},
        ),
        (
            "viewpolicy",
            "viewpolicy[alpha-ro]",
            "default",
            "present",
            {"name": "alpha-ro", "nfs_read_write": [], "nfs_read_only": ["10.0.0.0/24", "2001:db8::/64"]},
        ),
    ]
    assert spec.by_address()["view[/projects/alpha/data]"].source == SourceRef(name, 14, "/views/0")
    assert spec.digest.startswith("sha256:") and len(spec.digest) == 7 + 64


def test_design_example_names_the_schema_for_editors() -> None:
    first = DESIGN_EXAMPLE.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/spec.schema.json"
    assert (DESIGN_EXAMPLE.parent / "../../../schemas/spec.schema.json").resolve().is_file()


def test_public_exports() -> None:
    for name in (
        "load_spec",
        "load_documents",
        "SpecError",
        "Problem",
        "Spec",
        "SpecObject",
        "Scope",
        "SourceRef",
    ):
        assert hasattr(spec_package, name)


def test_a_single_path_is_read_as_one_file(write: Callable[..., str]) -> None:
    name = write(BASE)
    assert load_spec(name).files == (name,)  # type: ignore[arg-type]
    assert load_spec([Path(name)]).files == (name,)


def test_files_merge(load: Load) -> None:
    spec = load(BASE, "version: 1\nviews: [{path: /p, policy: pol}]\n")
    assert [o.address for o in spec.objects] == ["folder[/p]", "view[/p]", "viewpolicy[pol]"]
    assert spec.files == ("spec.yaml", "spec1.yaml")
    assert spec.by_address()["view[/p]"].source.file == "spec1.yaml"


def test_objects_are_sorted_by_address(load: Load) -> None:
    spec = load(
        "version: 1\nfolders: [{path: /c}, {path: /a}, {path: /b}]\ntenants: [{name: z}, {name: a}]\n"
    )
    assert [o.address for o in spec.objects] == sorted(o.address for o in spec.objects)


def test_addresses_carry_tenants_except_the_default(load: Load) -> None:
    spec = load(
        "version: 1\ntenants: [{name: t2}]\nviewpolicies: [{name: p, tenant: t2}]\n"
        "folders: [{path: /a, tenant: t2}, {path: /b}]\nsnapshots: [{name: s, path: /a, tenant: t2}]\n"
    )
    assert {o.address: o.tenant for o in spec.objects} == {
        "tenant[t2]": None,
        "viewpolicy[p]": "t2",
        "folder[t2:/a]": "t2",
        "folder[/b]": "default",
        "snapshot[s]": "t2",
    }


def test_defaults_tenant_applies_to_every_file(load: Load) -> None:
    spec = load("version: 1\ndefaults: {tenant: t2}\n", "version: 1\nfolders: [{path: /a}]\n")
    (folder,) = spec.objects
    assert (folder.address, folder.tenant, spec.default_tenant) == ("folder[t2:/a]", "t2", "t2")
    assert spec.scope.tenants == frozenset({"t2"})


def test_scope_merges_and_lists_every_tenant_used(load: Load) -> None:
    spec = load(
        "version: 1\nscope: {paths: [/b, /a], names: [x-]}\ntenants: [{name: t3}]\n",
        "version: 1\nscope: {paths: [/a, /c], prune: true}\nfolders: [{path: /a, tenant: t4}]\n"
        "tenants: [{name: t4}]\n",
    )
    assert spec.scope == Scope(
        paths=("/a", "/b", "/c"), names=("x-",), prune=True, tenants=frozenset({"default", "t3", "t4"})
    )


def test_scope_semantics_on_a_loaded_spec(load: Load) -> None:
    scope = load("version: 1\nscope: {paths: [/projects/alpha], names: [alpha-], prune: true}\n").scope
    assert scope.contains("view", path="/projects/alpha/data", tenant="default")
    assert not scope.contains("view", path="/projects/alphabet", tenant="default")
    assert not scope.contains("view", path="/projects/alpha/data", tenant="other")
    assert scope.contains("viewpolicy", name="alpha-ro", tenant="default")
    assert scope.contains("quota", name="alpha-q", path="/projects/alpha/q", tenant="default")
    assert not scope.contains("quota", name="beta-q", path="/projects/alpha/q", tenant="default")
    assert not scope.contains("tenant", name="default")


def test_no_scope_owns_nothing(load: Load) -> None:
    spec = load(BASE)
    assert spec.scope == Scope(tenants=frozenset({"default"}))
    assert not spec.scope.contains("folder", path="/p", tenant="default")


def test_snapshot_path_gets_a_trailing_slash(load: Load) -> None:
    spec = load("version: 1\nsnapshots: [{name: a, path: /x}, {name: b, path: /y/}, {name: c, path: /}]\n")
    assert [o.path for o in spec.objects] == ["/x/", "/y/", "/"]


def test_sizes_become_bytes_everywhere(load: Load) -> None:
    spec = load(
        BASE + "quotas:\n  - name: q\n    path: /p\n    hard_limit: 1.5TiB\n    soft_limit: 500GB\n"
        "    default_user_quota: {hard_limit: 1GiB}\n    user_quotas: [{identifier: bob, soft_limit: 1KB}]\n"
        "tenants: [{name: t, capacity_rules: {hard_limit: 2PB}}]\n"
    )
    quota = spec.by_address()["quota[/p]"].fields
    assert (quota["hard_limit"], quota["soft_limit"]) == (3 * 1024**4 // 2, 500 * 1000**3)
    assert quota["default_user_quota"] == {"hard_limit": 1024**3}
    assert quota["user_quotas"] == [{"identifier": "bob", "soft_limit": 1000}]
    assert spec.by_address()["tenant[t]"].fields["capacity_rules"] == {"hard_limit": 2 * 1000**5}


def test_state_and_tenant_are_lifted_out_of_fields(load: Load) -> None:
    spec = load(
        "version: 1\ntenants: [{name: t2}]\nfolders: [{path: /a, tenant: t2, state: present, user: bob}]\n"
    )
    folder = spec.by_address()["folder[t2:/a]"]
    assert dict(folder.fields) == {"path": "/a", "user": "bob"}
    assert (folder.tenant, folder.state) == ("t2", "present")


def test_absent_entries_keep_only_identity(load: Load) -> None:
    spec = load(
        "version: 1\nquotas: [{name: q, path: /a, hard_limit: 1GiB, state: absent}]\n"
        "snapshots: [{name: s, state: absent}]\n"
    )
    assert {o.address: dict(o.fields) for o in spec.objects} == {
        "quota[/a]": {"name": "q", "path": "/a"},
        "snapshot[s]": {"name": "s"},
    }


def test_fields_are_read_only(load: Load) -> None:
    obj = load(BASE).objects[0]
    with pytest.raises(TypeError):
        obj.fields["path"] = "/x"  # type: ignore[index]


def test_yaml_anchors_share_host_lists(load: Load) -> None:
    spec = load(
        "version: 1\nviewpolicies:\n  - {name: a, nfs_read_write: &h [10.0.0.1, 10.0.0.0/8]}\n"
        "  - {name: b, nfs_read_only: *h}\n"
    )
    assert spec.by_address()["viewpolicy[b]"].fields["nfs_read_only"] == ["10.0.0.1", "10.0.0.0/8"]


# ---- documents built in memory


def _manila_doc(share: str = "abc") -> dict[str, Any]:
    path = f"/manila/manila-{share}"
    return {
        "version": 1,
        "viewpolicies": [{"name": share, "nfs_read_write": ("10.0.0.0/24",), "nfs_no_squash": ["*"]}],
        "quotas": [{"name": share, "path": path, "hard_limit": 10 * 1024**3, "create_dir": True}],
        "views": [{"path": path, "policy": share, "protocols": ["NFS"]}],
    }


def test_documents_built_in_memory() -> None:
    spec = load_documents([("manila:share-abc", _manila_doc())])
    assert [o.address for o in spec.objects] == [
        "quota[/manila/manila-abc]",
        "view[/manila/manila-abc]",
        "viewpolicy[abc]",
    ]
    assert spec.files == ("manila:share-abc",)
    assert spec.by_address()["viewpolicy[abc]"].fields["nfs_read_write"] == ["10.0.0.0/24"]  # tuple to list
    assert spec.by_address()["view[/manila/manila-abc]"].source == SourceRef(
        "manila:share-abc", None, "/views/0"
    )


def test_documents_in_memory_are_copied() -> None:
    doc = _manila_doc()
    spec = load_documents([("m", doc)])
    doc["views"][0]["protocols"].append("SMB")
    assert spec.by_address()["view[/manila/manila-abc]"].fields["protocols"] == ["NFS"]


def test_documents_in_memory_report_problems_by_name_and_pointer() -> None:
    doc = _manila_doc()
    doc["quotas"][0]["hard_limit"] = "10 gigs"
    doc["views"][0]["bad"] = {1, 2}
    doc[7] = "x"  # type: ignore[index]
    with pytest.raises(SpecError) as caught:
        load_documents([("manila:abc", doc)])
    assert {(p.file, p.line, p.pointer) for p in caught.value.problems} == {
        ("manila:abc", None, "/quotas/0/hard_limit"),
        ("manila:abc", None, "/views/0/bad"),
        ("manila:abc", None, ""),
    }
    messages = "\n".join(p.message for p in caught.value.problems)
    assert "a value of type set cannot appear in a spec" in messages and "key 7 is not a string" in messages


def test_documents_in_memory_refuse_nan_and_deep_nesting() -> None:
    deep: Any = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(SpecError) as caught:
        load_documents([("a", {"version": 1, "x": float("nan")}), ("b", {"version": 1, "x": deep})])
    messages = [str(p) for p in caught.value.problems]
    assert "a (/x): nan is not a finite number" in messages
    assert any(m.startswith("b: nested more than 64 levels deep") for m in messages)


def test_no_documents() -> None:
    with pytest.raises(SpecError, match="no spec documents were given"):
        load_documents([])


def test_documents_and_files_merge_alike(write: Callable[..., str]) -> None:
    from_file = load_spec([write(json.dumps(_manila_doc()))])
    in_memory = load_documents([("x", _manila_doc())])
    assert from_file.digest == in_memory.digest


# ---- digest


def test_canonical_json() -> None:
    assert (
        canonical_json({"b": [1, (2, 3)], "a": "é", "c": frozenset({"y", "x"})})
        == '{"a":"é","b":[1,[2,3]],"c":["x","y"]}'.encode()
    )
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_digest_is_the_digest_of_the_target_document(load: Load) -> None:
    spec = load(BASE)
    assert spec.digest == digest_of(target_document(spec))
    assert target_document(spec) == {
        "default_tenant": "default",
        "scope": {"paths": [], "names": [], "prune": False, "tenants": ["default"]},
        "objects": [
            {
                "kind": "folder",
                "address": "folder[/p]",
                "tenant": "default",
                "state": "present",
                "fields": {"path": "/p"},
            },
            {
                "kind": "viewpolicy",
                "address": "viewpolicy[pol]",
                "tenant": "default",
                "state": "present",
                "fields": {"name": "pol"},
            },
        ],
    }


def test_digest_ignores_layout_order_and_units(load: Load) -> None:
    one = load(
        "version: 1\nfolders: [{path: /a}, {path: /b}]\nquotas: [{name: q, path: /a, hard_limit: 1GiB}]\n"
    )
    two = load(
        "# reformatted\nquotas:\n  - hard_limit: 1073741824\n    path: /a\n    name: q\n"
        "folders:\n  - path: /b\n  - path: /a\nversion: 1\n"
    )
    assert one.digest == two.digest


def test_digest_changes_with_content_and_scope(load: Load) -> None:
    base = load(BASE).digest
    assert load(BASE.replace("/p", "/q")).digest != base
    assert load(BASE + "scope: {paths: [/p]}\n").digest != base


def test_dataclass_values_are_frozen(load: Load) -> None:
    spec = load(BASE)
    with pytest.raises(AttributeError):
        spec.digest = "x"  # type: ignore[misc]
    assert isinstance(spec.objects[0], SpecObject)
