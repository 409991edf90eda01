"""Export: the live objects in a scope as a spec document that plans to no changes (``vastplan export``).

The way to adopt an existing cluster: export, review, commit, and from then on plan against the file. Each
kind writes its entries (:meth:`Kind.export_entry`: settable fields that differ from the server's defaults,
references by name, the tenant when not the default one); this module selects the objects, adds the view
policies the exported views name (a spec must declare them), and marks views and quotas ``create_dir: true``
so that the spec validates without folders (a write-only field: never compared, so no change either).

Reads are one list per kind, as in refresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vastplan.address import DEFAULT_TENANT, SPEC_KEYS
from vastplan.engine.state import LiveObject
from vastplan.kinds import all_kinds, get_kind
from vastplan.kinds.base import TENANT_REFERENCE, Client, ExportContext, Kind, RefreshContext
from vastplan.spec.model import NAME_SCOPED_KINDS, PATH_SCOPED_KINDS, path_within
from vastplan.spec.sizes import describe_size

#: Kinds exported when none are named: tenants are adopted explicitly, folders cannot be listed.
DEFAULT_EXPORT_KINDS = ("viewpolicy", "quota", "view", "snapshot")
#: The write-only field that lets a path stand without a declared folder (schema x-write-only).
CREATE_DIR = "create_dir"


def export_document(
    client: Client,
    *,
    kinds: Sequence[str] | None = None,
    path_prefixes: Sequence[str] = (),
    name_prefixes: Sequence[str] = (),
    tenant: str | None = None,
) -> dict[str, Any]:
    """The spec document of the live objects selected (see :func:`vastplan.api.export_spec`)."""
    chosen = tuple(kinds) if kinds else DEFAULT_EXPORT_KINDS
    for name in chosen:
        get_kind(name)  # KeyError naming the known kinds
    tenant_kind = get_kind(TENANT_REFERENCE.kind)
    tenants = client.list(tenant_kind.endpoint)
    ctx = RefreshContext(
        tenant_names={t["id"]: t["name"] for t in tenants if "id" in t and "name" in t},
        default_tenant=DEFAULT_TENANT,
    )
    records = {
        kind.name: _read(client, kind, ctx, chosen, path_prefixes, name_prefixes, tenant)
        for kind in all_kinds()
        if kind.listable and kind.name != tenant_kind.name
    }
    records[tenant_kind.name] = tenants
    ctx = RefreshContext(
        tenant_names=ctx.tenant_names,
        default_tenant=DEFAULT_TENANT,
        names_by_id={
            k: {r["id"]: r["name"] for r in v if "id" in r and "name" in r} for k, v in records.items()
        },
    )
    live = {
        kind.name: [o for o in (kind.live(r, ctx) for r in records.get(kind.name, [])) if o is not None]
        for kind in all_kinds()
        if kind.listable
    }
    selected = {
        name: [
            o
            for o in live.get(name, [])
            if _selected(get_kind(name), o, path_prefixes, name_prefixes, tenant)
        ]
        for name in chosen
    }
    _add_referenced(selected, live)
    return _document(selected, path_prefixes, name_prefixes, _used_tenants(selected, chosen))


def _read(
    client: Client,
    kind: Kind,
    ctx: RefreshContext,
    chosen: Sequence[str],
    paths: Sequence[str],
    names: Sequence[str],
    tenant: str | None,
) -> list[dict[str, Any]]:
    wanted = kind.name in chosen or any(
        ref.kind == kind.name for k in chosen for ref in get_kind(k).references
    )
    if not wanted:
        return []
    params: dict[str, Any] = {}
    if tenant is not None and kind.tenant_scoped and tenant in ctx.tenant_ids:
        params["tenant_id"] = ctx.tenant_ids[tenant]
    referenced_only = kind.name not in chosen
    if not referenced_only and "path" in kind.identity and len(paths) == 1:
        params["path__startswith"] = paths[0]
    elif not referenced_only and "name" in kind.identity and len(names) == 1:
        params["name__startswith"] = names[0]
    return client.list(kind.endpoint, params)


def _selected(
    kind: Kind, obj: LiveObject, paths: Sequence[str], names: Sequence[str], tenant: str | None
) -> bool:
    """In the export's scope: every given criterion that applies to the kind matches; with no criteria at
    all, everything is (the same rule as ``Scope.contains``, plus "no scope means the whole cluster")."""
    if tenant is not None and kind.tenant_scoped and obj.tenant != tenant:
        return False
    checks: list[bool] = []
    if paths and kind.name in PATH_SCOPED_KINDS:
        checks.append(obj.path is not None and any(path_within(obj.path, p) for p in paths))
    if names and kind.name in NAME_SCOPED_KINDS:
        checks.append(obj.name is not None and any(obj.name.startswith(n) for n in names))
    if not paths and not names:
        return True
    return bool(checks) and all(checks)


def _add_referenced(selected: dict[str, list[LiveObject]], live: Mapping[str, list[LiveObject]]) -> None:
    """Add the objects exported objects refer to by name (a view's policy), which a spec must declare."""
    for name in list(selected):
        kind = get_kind(name)
        for ref in kind.references:
            wanted = {kind.live_reference(o, ref) for o in selected[name]} - {None}
            have = {o.name for o in selected.get(ref.kind, [])}
            extra = [o for o in live.get(ref.kind, []) if o.name in wanted - have]
            selected[ref.kind] = sorted(selected.get(ref.kind, []) + extra, key=lambda o: o.address)


def _used_tenants(selected: Mapping[str, list[LiveObject]], chosen: Sequence[str]) -> list[dict[str, Any]]:
    """The tenants the exported objects live in, other than the default one: a spec declares every
    tenant it names. Only the name, unless tenants were asked for (then every settable field)."""
    used = {o.tenant for objects in selected.values() for o in objects if o.tenant} - {DEFAULT_TENANT}
    tenant_kind = get_kind(TENANT_REFERENCE.kind)
    if tenant_kind.name in chosen:
        return []  # exported in full with the other kinds
    return [{"name": name} for name in sorted(used)]


def _document(
    selected: Mapping[str, list[LiveObject]],
    paths: Sequence[str],
    names: Sequence[str],
    tenants: list[dict[str, Any]],
) -> dict[str, Any]:
    doc: dict[str, Any] = {"version": 1}
    if paths or names:
        doc["scope"] = {"paths": list(paths), "names": list(names), "prune": False}
    if tenants:
        doc[next(k for k, v in SPEC_KEYS.items() if v == TENANT_REFERENCE.kind)] = tenants
    ctx = ExportContext(default_tenant=DEFAULT_TENANT)
    keys = {kind: key for key, kind in SPEC_KEYS.items()}
    for kind in all_kinds():
        objects = sorted(selected.get(kind.name, []), key=lambda o: o.address)
        if not objects:
            continue
        doc[keys[kind.name]] = [_entry(kind, obj, ctx) for obj in objects]
    return doc


def _entry(kind: Kind, obj: LiveObject, ctx: ExportContext) -> dict[str, Any]:
    entry = kind.export_entry(obj, ctx)
    for name in kind.fields.sizes & entry.keys():
        entry[name] = _readable_size(entry[name])
    if CREATE_DIR in kind.fields.write_only and CREATE_DIR in kind.fields.create:
        entry[CREATE_DIR] = True
    first = [k for k in ("name", "path") if k in entry]
    return {k: entry[k] for k in first + [k for k in entry if k not in first]}


def _readable_size(value: Any) -> Any:
    """A byte count as the exact size with units a person would write (``2199023255552`` -> ``2TiB``);
    the loader parses it back to the same bytes, so the export still plans to no changes."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return describe_size(value)
    return value


__all__ = ["DEFAULT_EXPORT_KINDS", "export_document"]
