"""The shipped schemas: valid JSON Schema, wired together, annotated consistently, read from the package."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from vastplan.address import KIND_ORDER, SPEC_KEYS
from vastplan.spec.schemas import (
    KINDS,
    SPEC_ONLY_KEYS,
    Reference,
    UnknownKindError,
    field_schema,
    fields_with,
    kind_info,
    kind_schema,
    size_locations,
    spec_schema,
    spec_validator,
)

ANNOTATIONS = {
    "x-vms-create",
    "x-vms-update",
    "x-write-only",
    "x-size",
    "x-compare",
    "x-host-list",
    "x-reference",
}


def _package_json(*parts: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        files("vastplan.schemas").joinpath(*parts).read_text(encoding="utf-8")
    )
    return loaded


def test_schemas_are_read_from_the_installed_package() -> None:
    assert spec_schema()["title"].startswith("vastplan spec")
    for kind in KINDS:
        assert dict(kind_schema(kind)).keys() == _package_json("kinds", f"{kind}.json").keys()


@pytest.mark.parametrize(
    "parts", [("spec.schema.json",), *(("kinds", f"{kind}.json") for kind in KIND_ORDER)]
)
def test_every_schema_is_valid_json_schema_2020_12(parts: tuple[str, ...]) -> None:
    schema = _package_json(*parts)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_spec_schema_references_every_kind_by_relative_ref() -> None:
    properties = _package_json("spec.schema.json")["properties"]
    refs = {key: properties[key]["items"]["$ref"] for key in SPEC_KEYS}
    assert refs == {key: f"kinds/{kind}.json" for key, kind in SPEC_KEYS.items()}
    assert set(KINDS) == set(SPEC_KEYS.values())


def test_every_property_has_a_description() -> None:
    def walk(schema: Any, where: str) -> None:
        for name, sub in schema.get("properties", {}).items():
            assert sub.get("description"), f"{where}.{name} has no description"
            walk(sub, f"{where}.{name}")
            if isinstance(sub.get("items"), dict):
                walk(sub["items"], f"{where}.{name}[]")

    walk(_package_json("spec.schema.json"), "spec")
    for kind in KINDS:
        walk(_package_json("kinds", f"{kind}.json"), kind)


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_kind_schema_shape(kind: str) -> None:
    schema = kind_schema(kind)
    assert schema["title"] == kind
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert schema["x-endpoint"].startswith("/") and schema["x-endpoint"].endswith("/")
    assert set(schema["x-identity"]) <= set(schema["properties"])
    assert schema["properties"]["state"]["enum"] == ("present", "absent")
    assert ("tenant" in schema["properties"]) == (kind != "tenant")
    # what a spec may not set is never a property as well
    assert not set(schema["x-excluded"]) & set(schema["properties"])


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_annotations_are_consistent(kind: str) -> None:
    info = kind_info(kind)
    for name in info.fields:
        prop = field_schema(kind, name)
        used = {key for key in prop if key.startswith("x-")}
        assert used <= ANNOTATIONS, f"{kind}.{name}: unknown annotation {used - ANNOTATIONS}"
        if name not in ("state",):
            assert prop.get("x-vms-create") or prop.get("x-vms-update"), f"{kind}.{name} is never sent"
    assert info.write_only_fields <= info.create_fields
    assert info.set_fields <= {n for n in info.fields if field_schema(kind, n).get("type") == "array"}
    assert info.host_list_fields <= info.set_fields
    assert info.create_only_fields == info.create_fields - info.update_fields - info.write_only_fields
    assert info.vms_fields == info.fields - SPEC_ONLY_KEYS


def test_identities() -> None:
    assert {kind: kind_info(kind).identity for kind in KINDS} == {
        "tenant": ("name",),
        "viewpolicy": ("name",),
        "snapshot": ("name",),
        "folder": ("tenant", "path"),
        "quota": ("tenant", "path"),
        "view": ("tenant", "path"),
    }


def test_design_field_facts() -> None:
    # DESIGN §3: create-only fields force replacement
    assert kind_info("tenant").create_only_fields >= {"name"}
    assert kind_info("viewpolicy").create_only_fields == {"tenant"}
    assert kind_info("quota").create_only_fields == {"path", "tenant", "is_physical_quota"}
    assert kind_info("view").create_only_fields >= {"path", "tenant"}
    assert kind_info("snapshot").create_only_fields == {"path", "tenant"}
    assert fields_with("quota", "x-size") == {"hard_limit", "soft_limit"}
    assert ("default_user_quota", "hard_limit") in size_locations("quota")
    assert ("user_quotas", "*", "soft_limit") in size_locations("quota")
    assert {"create_dir", "create_dir_mode", "create_dir_acl", "inherit_acl", "owner"} <= kind_info(
        "view"
    ).write_only_fields
    assert {"create_dir", "create_dir_mode", "inherit_acl"} <= kind_info("quota").write_only_fields
    assert kind_info("folder").write_only_fields == {
        "user",
        "group",
        "owner_is_group",
        "create_dir_mode",
        "inherit_acl",
    }
    assert "protocols" in kind_info("view").set_fields


def test_every_host_list_of_a_view_policy_is_a_set() -> None:
    hosts = {
        "nfs_read_write",
        "nfs_read_only",
        "nfs_root_squash",
        "nfs_no_squash",
        "nfs_all_squash",
        "read_write",
        "read_only",
        "smb_read_write",
        "smb_read_only",
        "s3_read_write",
        "s3_read_only",
        "trash_access",
    }
    assert kind_info("viewpolicy").host_list_fields == hosts
    assert hosts <= fields_with("viewpolicy", "x-compare", "set")


def test_references() -> None:
    assert kind_info("view").references == {
        "policy": Reference("viewpolicy", "policy_id"),
        "tenant": Reference("tenant", "tenant_id"),
    }
    assert "tenant" not in kind_info("tenant").references


def test_engine_resolved_fields_are_excluded_with_a_reason() -> None:
    assert "policy_id" not in kind_info("view").fields
    assert "policy" in kind_info("view").excluded["policy_id"]
    for kind in ("viewpolicy", "folder", "quota", "view", "snapshot"):
        assert "tenant_id" in kind_info(kind).excluded


def test_public_schemas_are_read_only() -> None:
    with pytest.raises(TypeError):
        kind_schema("view")["properties"]["path"]["type"] = "integer"  # type: ignore[index]
    assert isinstance(kind_schema("view")["required"], tuple)


def test_unknown_kind() -> None:
    with pytest.raises(UnknownKindError, match="unknown kind 'vippool'"):
        kind_info("vippool")


def test_size_pattern_matches_what_the_loader_parses() -> None:
    pattern = re.compile(field_schema("quota", "hard_limit")["pattern"])
    for good in ("10GiB", "1.5TiB", "500GB", "10 gib", "1024"):
        assert pattern.match(good)
    for bad in ("10G", "-1GiB", "1.GiB", "ten"):
        assert not pattern.match(bad)


def test_validator_resolves_kind_refs_without_a_network() -> None:
    errors = list(
        spec_validator().iter_errors(
            {"version": 1, "views": [{"path": "/a", "policy": "p", "protocols": ["NFS5"]}]}
        )
    )
    assert [list(e.absolute_path) for e in errors] == [["views", 0, "protocols", 0]]


def test_absent_entries_need_only_identity() -> None:
    validator = spec_validator()
    assert not list(
        validator.iter_errors(
            {
                "version": 1,
                "views": [{"path": "/a", "state": "absent"}],
                "quotas": [{"path": "/a", "state": "absent"}],
                "snapshots": [{"name": "s", "state": "absent"}],
            }
        )
    )
    missing = list(validator.iter_errors({"version": 1, "quotas": [{"path": "/a"}]}))
    assert [e.message for e in missing] == ["'name' is a required property"]
