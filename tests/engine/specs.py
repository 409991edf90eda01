"""Specs built in memory for the engine's tests, the way the loader builds them (DESIGN §4): sizes in bytes,
snapshot paths ending with "/", ``tenant``/``state`` lifted out, addresses made from identities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from vastplan.address import DEFAULT_TENANT, SPEC_KEYS
from vastplan.engine.normalize import size, snapshot_path
from vastplan.kinds import get_kind
from vastplan.spec.model import Scope, Spec, SpecObject


def spec_object(
    kind_name: str, fields: Mapping[str, Any], default_tenant: str = DEFAULT_TENANT
) -> SpecObject:
    kind = get_kind(kind_name)
    data = dict(fields)
    state = data.pop("state", "present")
    tenant = data.pop("tenant", None)
    for name in kind.fields.sizes:
        if name in data:
            data[name] = size(data[name])
    if kind_name == "snapshot" and "path" in data:
        data["path"] = snapshot_path(data["path"])
    if kind.tenant_scoped:
        tenant = tenant or default_tenant
    address = kind.address_of(name=data.get("name"), path=data.get("path"), tenant=tenant)
    return SpecObject(
        kind=kind_name,
        address=address,
        fields=MappingProxyType(data),
        tenant=tenant if kind.tenant_scoped else None,
        state=state,
    )


def make_spec(doc: Mapping[str, Any]) -> Spec:
    """A :class:`Spec` from a spec-shaped dict (``views: [...]``, ``scope: {...}``)."""
    default_tenant = (doc.get("defaults") or {}).get("tenant", DEFAULT_TENANT)
    objects: list[SpecObject] = []
    for key, kind_name in SPEC_KEYS.items():
        for entry in doc.get(key, []):
            objects.append(spec_object(kind_name, entry, default_tenant))
    scope = doc.get("scope") or {}
    tenants = {o.tenant for o in objects if o.tenant} | {default_tenant}
    return Spec(
        objects=tuple(sorted(objects, key=lambda o: o.address)),
        scope=Scope(
            paths=tuple(scope.get("paths", ())),
            names=tuple(scope.get("names", ())),
            prune=bool(scope.get("prune", False)),
            tenants=frozenset(tenants),
        ),
        default_tenant=default_tenant,
    )


def objects(spec: Spec) -> Iterable[SpecObject]:
    return spec.objects
