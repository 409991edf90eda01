"""The JSON Schemas shipped in the package, and the field facts their annotations carry.

The schemas live in ``schemas/`` of the repository and ship inside the wheel as the package data of
``vastplan.schemas``; they are always read through :func:`importlib.resources.files`, never from a path, so an
installed vastplan needs no checkout. ``schemas/kinds/<kind>.json`` describes one spec entry of a kind and is
the single place where the VMS facts about its fields are written down (docs/internals.md, "Kind schemas").

For the kind modules (``vastplan/kinds/*.py``), everything is cached and immutable::

    from vastplan.spec.schemas import fields_with, kind_info

    info = kind_info("view")
    info.endpoint             # "/views/"                      (x-endpoint)
    info.identity             # ("tenant", "path")             (x-identity)
    info.fields               # every key an entry may have, spec-only keys included
    info.vms_fields           # the VMS field names among them (no state/tenant/policy)
    info.create_fields        # accepted in the POST body       (x-vms-create)
    info.update_fields        # accepted in the PATCH body      (x-vms-update)
    info.create_only_fields   # a change forces replacement: create, not update, not write-only
    info.write_only_fields    # sent on create only, never compared (x-write-only)
    info.set_fields           # compared as unordered sets       (x-compare: "set")
    info.size_fields          # bytes; the loader already made them ints (x-size)
    info.host_list_fields     # view policy host lists           (x-host-list)
    info.references           # {"policy": Reference(kind="viewpolicy", field="policy_id"), "tenant": ...}
    info.excluded             # VMS fields a spec may not set, and why (x-excluded)

    fields_with("viewpolicy", "x-compare", "set")   # the same sets, by annotation

``create_fields``, ``create_only_fields`` and ``references`` include the spec key ``tenant`` (sent as
``tenant_id``) and, for views, ``policy`` (sent as ``policy_id``): the reference says which VMS field a name
becomes. ``fields_with`` looks at top-level properties only; :func:`size_locations` also finds sizes nested in
objects and lists (a quota's ``default_user_quota.hard_limit``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from vastplan.address import KIND_ORDER

#: The kinds a spec declares, in creation order.
KINDS: tuple[str, ...] = KIND_ORDER

#: Keys of a spec entry that are not VMS fields.
SPEC_ONLY_KEYS: frozenset[str] = frozenset({"state", "tenant", "policy"})

# The spec schema refers to kinds by relative $ref ("kinds/view.json") so that editors resolve them next to
# the file. The loader registers every schema under this base, which is never fetched (.invalid is reserved).
_BASE = "https://vastplan.invalid/schemas/"
_SPEC_SCHEMA = "spec.schema.json"


class UnknownKindError(ValueError):
    """A kind name that has no schema."""


@dataclass(frozen=True)
class Reference:
    """A spec key naming another object: ``kind`` of that object, ``field`` the VMS field its id goes to."""

    kind: str
    field: str


@dataclass(frozen=True)
class KindInfo:
    """The field facts of one kind, read from its schema's annotations."""

    kind: str
    endpoint: str
    identity: tuple[str, ...]
    fields: frozenset[str]
    vms_fields: frozenset[str]
    create_fields: frozenset[str]
    update_fields: frozenset[str]
    create_only_fields: frozenset[str]
    write_only_fields: frozenset[str]
    set_fields: frozenset[str]
    size_fields: frozenset[str]
    host_list_fields: frozenset[str]
    references: Mapping[str, Reference]
    excluded: Mapping[str, str]


def _read_json(relative: str) -> dict[str, Any]:
    resource = files("vastplan.schemas").joinpath(*relative.split("/"))
    loaded = json.loads(resource.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise TypeError(f"schema {relative} is not a JSON object")
    return loaded


@cache
def _raw_spec_schema() -> dict[str, Any]:
    return _read_json(_SPEC_SCHEMA)


@cache
def _raw_kind_schema(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise UnknownKindError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    return _read_json(f"kinds/{kind}.json")


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


@cache
def spec_schema() -> Mapping[str, Any]:
    """The spec document schema (``schemas/spec.schema.json``), read-only."""
    frozen: Mapping[str, Any] = _freeze(_raw_spec_schema())
    return frozen


@cache
def kind_schema(kind: str) -> Mapping[str, Any]:
    """The schema of one spec entry of ``kind`` (``schemas/kinds/<kind>.json``), read-only."""
    frozen: Mapping[str, Any] = _freeze(_raw_kind_schema(kind))
    return frozen


def field_schema(kind: str, field: str) -> Mapping[str, Any]:
    """The schema of one property of ``kind``; KeyError for a field the kind does not have."""
    properties: Mapping[str, Mapping[str, Any]] = kind_schema(kind)["properties"]
    return properties[field]


@cache
def fields_with(kind: str, annotation: str, value: object = True) -> frozenset[str]:
    """Top-level fields of ``kind`` whose schema has ``annotation`` equal to ``value``:
    ``fields_with("quota", "x-size")``, ``fields_with("view", "x-compare", "set")``."""
    properties: Mapping[str, Mapping[str, Any]] = kind_schema(kind)["properties"]
    return frozenset(name for name, schema in properties.items() if schema.get(annotation) == value)


@cache
def kind_info(kind: str) -> KindInfo:
    """Every field fact of ``kind`` in one value; see the module docstring."""
    schema = kind_schema(kind)
    properties: Mapping[str, Mapping[str, Any]] = schema["properties"]
    create = fields_with(kind, "x-vms-create")
    update = fields_with(kind, "x-vms-update")
    write_only = fields_with(kind, "x-write-only")
    return KindInfo(
        kind=kind,
        endpoint=schema["x-endpoint"],
        identity=tuple(schema["x-identity"]),
        fields=frozenset(properties),
        vms_fields=frozenset(properties) - SPEC_ONLY_KEYS,
        create_fields=create,
        update_fields=update,
        create_only_fields=create - update - write_only,
        write_only_fields=write_only,
        set_fields=fields_with(kind, "x-compare", "set"),
        size_fields=fields_with(kind, "x-size"),
        host_list_fields=fields_with(kind, "x-host-list"),
        references=MappingProxyType(
            {
                name: Reference(prop["x-reference"]["kind"], prop["x-reference"]["field"])
                for name, prop in properties.items()
                if "x-reference" in prop
            }
        ),
        excluded=schema.get("x-excluded", MappingProxyType({})),
    )


@cache
def size_locations(kind: str) -> tuple[tuple[str, ...], ...]:
    """Where sizes sit in an entry of ``kind``, as key paths; ``"*"`` stands for every item of a list:
    ``("hard_limit",)``, ``("default_user_quota", "hard_limit")``, ``("user_quotas", "*", "soft_limit")``."""
    found: list[tuple[str, ...]] = []

    def walk(schema: Mapping[str, Any], at: tuple[str, ...]) -> None:
        if schema.get("x-size"):
            found.append(at)
        for name, sub in schema.get("properties", {}).items():
            walk(sub, (*at, name))
        items = schema.get("items")
        if isinstance(items, Mapping):
            walk(items, (*at, "*"))

    walk(kind_schema(kind), ())
    return tuple(found)


@cache
def spec_validator() -> Draft202012Validator:
    """A validator of whole spec documents, with every kind schema registered for the relative $refs."""
    resources: list[tuple[str, Resource[Any]]] = [
        (_BASE + _SPEC_SCHEMA, DRAFT202012.create_resource(_raw_spec_schema()))
    ]
    resources += [
        (f"{_BASE}kinds/{kind}.json", DRAFT202012.create_resource(_raw_kind_schema(kind))) for kind in KINDS
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator({"$ref": _BASE + _SPEC_SCHEMA}, registry=registry)


__all__ = [
    "KINDS",
    "SPEC_ONLY_KEYS",
    "KindInfo",
    "Reference",
    "UnknownKindError",
    "field_schema",
    "fields_with",
    "kind_info",
    "kind_schema",
    "size_locations",
    "spec_schema",
    "spec_validator",
]
