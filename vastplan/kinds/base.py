"""What every resource kind tells the engine, and the behaviour most kinds share (DESIGN §2, §3).

The core (compare, order, lower, plan) knows no endpoint and no field name: it asks the :class:`Kind` of an
object. A kind module (``vastplan/kinds/<kind>.py``) subclasses :class:`Kind`, sets the class attributes
below and overrides the few methods where its kind differs, and exposes the instance as ``KIND``; the
registry (:mod:`vastplan.kinds`) finds it there. Field classes (create-accepted, update-accepted,
write-only, set-compared, sizes) come from the kind's annotated JSON Schema, ``schemas/kinds/<kind>.json``,
through :mod:`vastplan.spec.schemas`, so that no field list is written twice.

Vocabulary: *properties* are the fields a spec entry may carry (VMS field names plus ``policy``-style
reference names); *comparable* properties are those minus write-only fields and spec-only keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, ClassVar, Literal, Protocol

from vastplan.address import make_address
from vastplan.engine import normalize as norm
from vastplan.engine.state import DesiredObject, FieldChange, LiveObject, Read, Risk
from vastplan.spec.model import Scope, SpecObject

#: Spec keys that are not VMS fields and never appear in a request as such.
SPEC_ONLY_KEYS = frozenset({"state", "tenant"})

#: Longest ``name__in`` list we put into one URL; past it a prefix filter (or none) is used.
MAX_NAMES_IN_FILTER = 40
MAX_FILTER_CHARS = 1500


class Client(Protocol):
    """The part of :class:`vastplan.client.VmsClient` the kinds use."""

    def list(self, path: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]: ...

    def post(self, path: str, json: Any = None, *, params: Mapping[str, Any] | None = None) -> Any: ...


@dataclass(frozen=True)
class Reference:
    """A field that names another object: the spec writes its name, the VMS wants its id.

    ``field`` is the spec field holding the name (``policy``), ``kind`` the referenced kind, ``api_field``
    the request/record field holding the id (``policy_id``), ``record_name_field`` a record field with the
    name already resolved by the VMS, used when the referenced object was not read (``policy``).
    """

    field: str
    kind: str
    api_field: str
    record_name_field: str | None = None


#: Every tenant-scoped kind refers to its tenant the same way (VMS_API.md §3.3: ``tenant_id`` on create).
TENANT_REFERENCE = Reference("tenant", "tenant", "tenant_id", "tenant_name")


@dataclass(frozen=True)
class Request:
    """One REST call: what a step sends."""

    method: Literal["POST", "PATCH", "DELETE"]
    path: str
    body: Mapping[str, Any] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldClasses:
    """The facts of one kind read from its annotated schema (docs/internals.md, "Kind schemas").

    Reference keys (``policy``) are not among the VMS field classes here: the engine sends their ids
    (``policy_id``) through :attr:`references`, and handles the tenant through :data:`TENANT_REFERENCE`.
    """

    endpoint: str = ""
    identity: tuple[str, ...] = ("name",)
    properties: frozenset[str] = frozenset()
    create: frozenset[str] = frozenset()
    update: frozenset[str] = frozenset()
    write_only: frozenset[str] = frozenset()
    sets: frozenset[str] = frozenset()
    sizes: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()
    types: Mapping[str, str] = field(default_factory=dict)
    references: tuple[Reference, ...] = ()

    @property
    def create_only(self) -> frozenset[str]:
        """Accepted on create, not on update, and compared: a change forces replacement."""
        return self.create - self.update - self.write_only


@dataclass(frozen=True)
class RefreshContext:
    """What a kind needs to turn records into live objects: tenant names and referenced objects' names."""

    tenant_names: Mapping[int, str]
    default_tenant: str
    names_by_id: Mapping[str, Mapping[int, str]] = field(default_factory=dict)

    @property
    def tenant_ids(self) -> dict[str, int]:
        return {name: tid for tid, name in self.tenant_names.items()}


@dataclass(frozen=True)
class ExportContext:
    """What :meth:`Kind.export_entry` may need besides the object."""

    default_tenant: str


def _schema_field_classes(kind: str) -> FieldClasses:
    # Imported here: the spec package loads the schemas, and the kinds stay importable without them for
    # their own unit tests (which may pass FieldClasses explicitly).
    from vastplan.spec import schemas

    info = schemas.kind_info(kind)
    props: Mapping[str, Any] = schemas.kind_schema(kind).get("properties", {})
    refs = tuple(
        Reference(name, ref.kind, ref.field, _RECORD_NAME_FIELDS.get(name, name))
        for name, ref in sorted(info.references.items())
        if name != TENANT_REFERENCE.field
    )
    ref_keys = frozenset(info.references)
    return FieldClasses(
        endpoint=info.endpoint,
        identity=info.identity,
        properties=frozenset(info.fields) - SPEC_ONLY_KEYS,
        create=frozenset(info.create_fields) - ref_keys,
        update=frozenset(info.update_fields) - ref_keys,
        write_only=frozenset(info.write_only_fields),
        sets=frozenset(info.set_fields),
        sizes=frozenset(info.size_fields),
        hosts=frozenset(info.host_list_fields),
        types={name: _json_type(spec) for name, spec in props.items()},
        references=refs,
    )


#: The record field in which the VMS writes a reference's name itself (a view's ``policy``, VMS_FIELDS.md),
#: by spec key; by default the record field of the same name as the spec key.
_RECORD_NAME_FIELDS = {"tenant": "tenant_name"}


def _json_type(spec: Any) -> str:
    kind = spec.get("type") if isinstance(spec, Mapping) else None
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else ""


class Kind:
    """Everything the engine must know about one resource kind. Subclasses set the class attributes."""

    #: Kind name, as in addresses (``view``).
    name: ClassVar[str]
    #: Position in the creation order tenant → viewpolicy → folder → quota → view → snapshot (DESIGN §3).
    rank: ClassVar[int] = 0
    #: Whether objects belong to a tenant (``tenant_id`` on create, create-only).
    tenant_scoped: ClassVar[bool] = True
    #: Fields that are unique among the kind's objects besides the identity (a quota's name, VMS_API.md §4.3).
    unique_fields: ClassVar[tuple[str, ...]] = ()
    #: Whether creating an object makes its path exist, so that objects on or under it can follow.
    makes_path: ClassVar[bool] = False
    #: Whether the VMS can list the kind (folders cannot: one probe per declared folder).
    listable: ClassVar[bool] = True
    #: Whether ``scope.prune`` may delete objects of this kind.
    prunable: ClassVar[bool] = True
    #: Risk of a create, of a delete, and of a field change not described by :meth:`field_risk`.
    create_risk: ClassVar[Risk] = "safe"
    delete_risk: ClassVar[Risk] = "disruptive"
    update_risk: ClassVar[Risk] = "safe"
    #: Risk of removing members from a set-compared field (adding members is safe).
    set_removal_risk: ClassVar[Risk] = "safe"
    #: Server defaults in normalised form: a record without the field (or with null) holds this value.
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    #: Values sent on create when the spec does not write the field (write-only fields only).
    create_defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    #: Statuses (and texts) of a DELETE that mean "already gone" (VMS_API.md §3.1: unknown id → 404).
    delete_tolerate: ClassVar[tuple[Mapping[str, Any], ...]] = (MappingProxyType({"status": 404}),)
    #: A client feature (vastplan.client.versions.FEATURES) the cluster needs for a delete, if any.
    delete_feature: ClassVar[str | None] = None

    def __init__(self, field_classes: FieldClasses | None = None) -> None:
        if field_classes is not None:
            self.__dict__["fields"] = field_classes

    # ------------------------------------------------------------------------------------------ fields

    @cached_property
    def fields(self) -> FieldClasses:
        """The kind's field classes, from its schema."""
        return _schema_field_classes(self.name)

    @property
    def endpoint(self) -> str:
        """Collection path (``/views/``); objects live at ``<endpoint><id>/`` (schema ``x-endpoint``)."""
        return self.fields.endpoint

    @property
    def identity(self) -> tuple[str, ...]:
        """Identity keys: ``("name",)`` or ``("tenant", "path")`` (schema ``x-identity``, DESIGN §3)."""
        return self.fields.identity

    @property
    def references(self) -> tuple[Reference, ...]:
        """References to other kinds besides the tenant (schema ``x-reference``)."""
        return self.fields.references

    @property
    def all_references(self) -> tuple[Reference, ...]:
        return ((TENANT_REFERENCE,) if self.tenant_scoped else ()) + self.references

    @cached_property
    def comparable(self) -> frozenset[str]:
        """Properties whose live value is compared with the spec's."""
        return self.fields.properties - self.fields.write_only

    def normalizer(self, name: str) -> norm.Normalizer:
        """How a field's values are normalised; kinds override for their special fields."""
        if name in self.fields.sets:
            return norm.as_set(self.set_member_normalizer(name))
        if name in self.fields.sizes:
            return norm.size
        if name == "path":
            return norm.dir_path
        return norm.identity

    def set_member_normalizer(self, name: str) -> norm.Normalizer | None:
        """How members of a set field are normalised: host rules for host lists (schema ``x-host-list``)."""
        return norm.host_entry if name in self.fields.hosts else None

    def normalize(self, name: str, value: Any) -> Any:
        return self.normalizer(name)(value)

    def absent_value(self, name: str) -> Any:
        """The value a record without ``name`` (or with null) stands for; ``MISSING`` when unknown."""
        if name in self.defaults:
            return self.defaults[name]
        if name in self.fields.sets or self.fields.types.get(name) == "array":
            return ()
        if self.fields.types.get(name) == "boolean":
            return False
        return None

    # ---------------------------------------------------------------------------------------- identity

    def address_of(
        self, *, name: str | None = None, path: str | None = None, tenant: str | None = None
    ) -> str:
        if "path" in self.identity:
            return make_address(self.name, path=path, tenant=tenant)
        return make_address(self.name, name=name)

    def identity_params(self, *, name: str | None, path: str | None, tenant_id: Any) -> dict[str, Any]:
        """List filters that select exactly one object (for the executor's ``lookup``)."""
        if "path" in self.identity:
            return {"path": path, "tenant_id": tenant_id}
        return {"name": name}

    # ------------------------------------------------------------------------------------------ desired

    def desired(self, obj: SpecObject, default_tenant: str) -> DesiredObject:
        """A declared object as the engine compares and sends it."""
        compare = {
            name: self.normalize(name, value)
            for name, value in obj.fields.items()
            if name in self.comparable or name in self._reference_fields
        }
        tenant = (obj.tenant or default_tenant) if self.tenant_scoped else None
        return DesiredObject(
            kind=self.name,
            address=obj.address,
            compare=norm.freeze(compare),
            send=norm.freeze(dict(obj.fields)),
            tenant=tenant,
            state=obj.state,
            source=str(obj.source),
        )

    @cached_property
    def _reference_fields(self) -> frozenset[str]:
        return frozenset(ref.field for ref in self.references)

    def desired_reference(self, desired: DesiredObject, ref: Reference) -> str | None:
        """The name ``desired`` gives for ``ref`` (the tenant's name for the tenant reference)."""
        if ref is TENANT_REFERENCE:
            return desired.tenant
        value = desired.send.get(ref.field)
        return value if isinstance(value, str) else None

    def live_reference(self, live: LiveObject, ref: Reference) -> str | None:
        if ref is TENANT_REFERENCE:
            return live.tenant
        value = live.fields.get(ref.field)
        return value if isinstance(value, str) else None

    # --------------------------------------------------------------------------------------------- live

    def live(self, record: Mapping[str, Any], ctx: RefreshContext) -> LiveObject | None:
        """A record as a live object, or None when it cannot be one (no identity)."""
        tenant_id, tenant = self._record_tenant(record, ctx)
        fields: dict[str, Any] = {}
        for name in self.comparable - self._reference_fields:
            if name in record and record[name] is not None:
                fields[name] = self.normalize(name, record[name])
            elif name in record or name in self.defaults:
                fields[name] = self.absent_value(name)
        for ref in self.references:
            fields[ref.field] = self._record_reference_name(record, ref, ctx)
        if "path" in self.identity and "path" in record:
            fields["path"] = self.normalize("path", record["path"])
        address = self._address_from(fields, tenant)
        if address is None:
            return None
        record_id = record.get("id")
        return LiveObject(
            kind=self.name,
            address=address,
            fields=norm.freeze(fields),
            id=record_id if isinstance(record_id, int) else None,
            tenant=tenant,
            tenant_id=tenant_id,
            raw=MappingProxyType(dict(record)),
        )

    def _address_from(self, fields: Mapping[str, Any], tenant: str | None) -> str | None:
        name, path = fields.get("name"), fields.get("path")
        if "path" in self.identity:
            return self.address_of(path=path, tenant=tenant) if isinstance(path, str) and path else None
        return self.address_of(name=name) if isinstance(name, str) and name else None

    def _record_tenant(self, record: Mapping[str, Any], ctx: RefreshContext) -> tuple[int | None, str | None]:
        if not self.tenant_scoped:
            return None, None
        tenant_id = record.get("tenant_id")
        if isinstance(tenant_id, int) and tenant_id in ctx.tenant_names:
            return tenant_id, ctx.tenant_names[tenant_id]
        name = record.get("tenant_name")
        if isinstance(name, str) and name:
            return (tenant_id if isinstance(tenant_id, int) else ctx.tenant_ids.get(name)), name
        # Records of clusters without tenants (or of the default tenant) carry no tenant_id.
        return ctx.tenant_ids.get(ctx.default_tenant), ctx.default_tenant

    @staticmethod
    def _record_reference_name(record: Mapping[str, Any], ref: Reference, ctx: RefreshContext) -> Any:
        ref_id = record.get(ref.api_field)
        known = ctx.names_by_id.get(ref.kind, {})
        if isinstance(ref_id, int) and ref_id in known:
            return known[ref_id]
        name = record.get(ref.record_name_field) if ref.record_name_field else None
        if isinstance(name, str) and name:
            return name
        return None if ref_id is None else f"#{ref_id}"

    # ------------------------------------------------------------------------------------------ refresh

    def reads(
        self,
        desired: Sequence[DesiredObject],
        scope: Scope,
        ctx: RefreshContext,
        referenced_names: Iterable[str] = (),
    ) -> list[Read]:
        """The list calls that find every object of this kind the plan may touch (DESIGN §2: one list per
        kind, filtered to the spec's scope where the API allows; never one GET per object).

        ``referenced_names`` are names other declared objects refer to (policies named by views).
        """
        pruning = scope.prune and self.prunable
        names = sorted({d.name for d in desired if d.name} | set(referenced_names))
        if not desired and not names and not pruning:
            return []
        params: dict[str, Any] = {}
        if "path" in self.identity:
            params.update(self._tenant_filter(desired, scope, ctx, pruning))
            if params.get("tenant_id") == -1:
                return []  # every declared object lives in a tenant that does not exist yet
            params.update(self._path_filter(desired, scope, pruning))
        else:
            params.update(self._name_filter(names, scope, pruning))
        return [Read(self.name, self.endpoint, norm.freeze(params))]

    def run_read(self, client: Client, read: Read) -> list[dict[str, Any]]:
        """Run one read; the records it returns."""
        return client.list(read.path, dict(read.params))

    def _tenant_filter(
        self, desired: Sequence[DesiredObject], scope: Scope, ctx: RefreshContext, pruning: bool
    ) -> dict[str, Any]:
        tenants = {d.tenant for d in desired} | (set(scope.tenants) if pruning else set())
        ids = ctx.tenant_ids
        known = {ids[t] for t in tenants if t in ids}
        if len(tenants) == 1 and not known:
            return {"tenant_id": -1}
        return {"tenant_id": known.pop()} if len(tenants) == 1 else {}

    @staticmethod
    def _path_filter(desired: Sequence[DesiredObject], scope: Scope, pruning: bool) -> dict[str, Any]:
        paths = [d.path for d in desired if d.path] + (list(scope.paths) if pruning else [])
        if pruning and not scope.paths:
            return {}
        prefix = common_directory(paths)
        return {"path__startswith": prefix} if prefix and prefix != "/" else {}

    @staticmethod
    def _name_filter(names: Sequence[str], scope: Scope, pruning: bool) -> dict[str, Any]:
        if pruning:
            if not scope.names:
                return {}
            prefix = common_prefix(list(names) + list(scope.names))
            return {"name__startswith": prefix} if prefix else {}
        if (
            len(names) <= MAX_NAMES_IN_FILTER
            and sum(len(n) + 1 for n in names) <= MAX_FILTER_CHARS
            and not any("," in n for n in names)
        ):
            return {"name__in": ",".join(names)}
        prefix = common_prefix(names)
        return {"name__startswith": prefix} if prefix else {}

    # --------------------------------------------------------------------------------------------- risk

    def field_risk(self, change: FieldChange) -> Risk:
        """The risk of changing one field in place (DESIGN §5)."""
        if change.removed:
            return self.set_removal_risk
        if change.added is not None:
            return "safe"
        return self.update_risk

    def forces_replacement(self, name: str) -> bool:
        """Whether a change of ``name`` cannot be made in place (create-only on the VMS)."""
        return name in self.fields.create_only

    def replace_risk(self) -> Risk:
        return self.delete_risk

    # ----------------------------------------------------------------------------------------- requests

    def create_request(self, desired: DesiredObject, ids: Mapping[str, Any]) -> Request:
        """POST body: the spec's create-accepted fields, write-only ones included, and referenced ids.

        ``ids`` maps each reference's ``api_field`` to an id or a ``{"$ref": ...}``.
        """
        accepted = self.fields.create
        body = {k: norm.thaw(v) for k, v in desired.send.items() if k in accepted}
        for key, value in self.create_defaults.items():
            if key in accepted and key not in body:
                body[key] = value
        body.update(ids)
        return Request("POST", self.endpoint, body)

    def update_request(
        self, live: LiveObject, desired: DesiredObject, changed: Sequence[str], ids: Mapping[str, Any]
    ) -> Request:
        """PATCH body: the changed update-accepted fields, and the ids of changed references."""
        accepted = self.fields.update
        body = {k: norm.thaw(desired.send[k]) for k in changed if k in accepted and k in desired.send}
        body.update(ids)
        return Request("PATCH", f"{self.endpoint}{live.id}/", body)

    def delete_request(self, live: LiveObject) -> Request:
        return Request("DELETE", f"{self.endpoint}{live.id}/")

    def lookup(self, *, name: str | None, path: str | None, tenant_id: Any) -> dict[str, Any] | None:
        """How the executor finds the object when a call's outcome is unknown (docs/internals.md)."""
        return {
            "path": self.endpoint,
            "params": self.identity_params(name=name, path=path, tenant_id=tenant_id),
        }

    def tolerate(self, action: str) -> list[dict[str, Any]]:
        """Errors that mean "already done" for a step of ``action``."""
        return [dict(t) for t in self.delete_tolerate] if action == "delete" else []

    def describe(self, action: str, address: str) -> str:
        key = address[len(self.name) + 1 : -1]
        return f"{action} {self.name} {key}"

    # ------------------------------------------------------------------------------------------- export

    def export_entry(self, live: LiveObject, ctx: ExportContext) -> dict[str, Any]:
        """A spec entry that plans to no change against ``live``: settable fields that differ from the
        server's defaults, as the VMS wrote them, references by name, the tenant when not the default."""
        entry: dict[str, Any] = {}
        for name in sorted(self.comparable - self._reference_fields):
            if name not in live.raw or live.raw[name] is None:
                continue
            value = live.fields.get(name)
            if name not in self.identity and self._is_default(name, value):
                continue
            entry[name] = norm.thaw(self.export_value(name, live.raw[name], value))
        for ref in self.references:
            if live.fields.get(ref.field):
                entry[ref.field] = live.fields[ref.field]
        if self.tenant_scoped and live.tenant and live.tenant != ctx.default_tenant:
            entry["tenant"] = live.tenant
        return entry

    def export_value(self, name: str, raw: Any, normalised: Any) -> Any:
        """The value export writes: sets sorted, everything else as the VMS wrote it."""
        return normalised if name in self.fields.sets else raw

    def _is_default(self, name: str, value: Any) -> bool:
        if name in self.defaults:
            return bool(value == self.defaults[name])
        return value in (None, (), False, "")


def common_directory(paths: Sequence[str]) -> str | None:
    """The deepest directory that holds every path (component-wise), or None for no paths."""
    if not paths:
        return None
    split = [[part for part in p.split("/") if part] for p in paths]
    shortest = min(len(parts) for parts in split)
    # A path is "within" itself, so the deepest common directory of one path is the path's parent: a
    # path__startswith filter on /a/b would also select /a/bc, which is fine (we filter exactly after).
    common: list[str] = []
    for index in range(shortest):
        names = {parts[index] for parts in split}
        if len(names) != 1:
            break
        common.append(names.pop())
    return "/" + "/".join(common)


def common_prefix(names: Sequence[str]) -> str:
    """The longest string every name starts with."""
    if not names:
        return ""
    low, high = min(names), max(names)
    length = 0
    while length < min(len(low), len(high)) and low[length] == high[length]:
        length += 1
    return low[:length]


#: A function that decides the risk of one field change from its before and after values.
RiskRule = Callable[[Any, Any], Risk]

__all__ = [
    "TENANT_REFERENCE",
    "Client",
    "ExportContext",
    "FieldClasses",
    "Kind",
    "Reference",
    "RefreshContext",
    "Request",
    "RiskRule",
    "common_directory",
    "common_prefix",
]
