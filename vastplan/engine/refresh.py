"""Refresh: read the live state the plan needs, one paginated list per kind (DESIGN §2).

The tenants are read first and whole (one list): every other record names its tenant by id, and addresses
name it by name. Then each kind, in creation order, says which reads find the objects the plan may touch —
filtered by tenant, path prefix or names where the API allows (:meth:`Kind.reads`) — so the number of calls
grows with pages, never with objects. Folders are the exception: the VMS cannot list them, so each declared
folder costs one ``stat_path``.

The reads are recorded in the plan (``observed.reads``); :func:`reread` repeats exactly those reads for
apply's stale check, and :func:`fingerprint` reduces what they found to what the plan depends on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from vastplan.client.errors import VmsAuthError, VmsConnectionError, VmsError, VmsTransientError
from vastplan.engine.normalize import freeze, thaw
from vastplan.engine.state import ClusterInfo, DesiredObject, LiveObject, LiveState, Read
from vastplan.kinds import all_kinds, get_kind
from vastplan.kinds.base import TENANT_REFERENCE, Client, Kind, RefreshContext
from vastplan.spec.model import Scope


class _Reader:
    """Runs reads, keeps the records per kind, and turns them into live objects at the end."""

    def __init__(self, client: Client, default_tenant: str) -> None:
        self.client = client
        self.default_tenant = default_tenant
        self.reads: list[Read] = []
        self.records: dict[str, list[Mapping[str, Any]]] = defaultdict(list)

    def run(self, read: Read) -> None:
        kind = get_kind(read.kind)
        self.records[read.kind].extend(kind.run_read(self.client, read))
        self.reads.append(read)

    def context(self) -> RefreshContext:
        tenant_names: dict[int, str] = {}
        for record in self.records.get(TENANT_REFERENCE.kind, []):
            if isinstance(record.get("id"), int) and isinstance(record.get("name"), str):
                tenant_names[record["id"]] = record["name"]
        names_by_id = {kind: _names_by_id(records) for kind, records in self.records.items()}
        return RefreshContext(
            tenant_names=tenant_names, default_tenant=self.default_tenant, names_by_id=names_by_id
        )

    def live_objects(self) -> dict[str, LiveObject]:
        ctx = self.context()
        found: dict[str, LiveObject] = {}
        for kind in all_kinds():
            for record in self.records.get(kind.name, []):
                obj = kind.live(record, ctx)
                if obj is not None:
                    found.setdefault(obj.address, obj)
        return found


def _names_by_id(records: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    return {
        r["id"]: r["name"] for r in records if isinstance(r.get("id"), int) and isinstance(r.get("name"), str)
    }


def tenant_read() -> Read:
    """The one read every refresh starts with: all tenants (names ↔ ids)."""
    kind = get_kind(TENANT_REFERENCE.kind)
    return Read(kind.name, kind.endpoint)


def refresh(
    client: Client,
    desired: Sequence[DesiredObject],
    scope: Scope,
    default_tenant: str,
    *,
    cluster: ClusterInfo | None = None,
) -> LiveState:
    """The live state relevant to ``desired`` and ``scope``, read with one list per kind."""
    reader = _Reader(client, default_tenant)
    reader.run(tenant_read())
    by_kind = _group(desired)
    referenced = _referenced_names(desired)
    for kind in all_kinds():
        if kind.name == TENANT_REFERENCE.kind:
            continue
        for read in kind.reads(
            by_kind.get(kind.name, []), scope, reader.context(), referenced.get(kind.name, ())
        ):
            reader.run(read)
    return _state(reader, desired, scope, cluster)


def reread(
    client: Client, reads: Sequence[Read], desired: Sequence[DesiredObject], scope: Scope, default_tenant: str
) -> LiveState:
    """The live state as the recorded ``reads`` find it now (apply's stale check)."""
    reader = _Reader(client, default_tenant)
    for read in reads:
        reader.run(read)
    return _state(reader, desired, scope, None)


def _state(
    reader: _Reader, desired: Sequence[DesiredObject], scope: Scope, cluster: ClusterInfo | None
) -> LiveState:
    objects = reader.live_objects()
    # Declared objects, the objects they refer to (whose ids requests carry), and prune candidates.
    wanted = {d.address for d in desired} | _referenced_addresses(desired)
    relevant = {a: o for a, o in objects.items() if a in wanted or prunable(get_kind(o.kind), o, scope)}
    ctx = reader.context()
    return LiveState(
        objects=freeze_objects(relevant),
        tenant_ids=freeze(ctx.tenant_ids),
        reads=tuple(reader.reads),
        cluster=cluster or ClusterInfo(),
    )


def freeze_objects(objects: Mapping[str, LiveObject]) -> Mapping[str, LiveObject]:
    return MappingProxyType(dict(sorted(objects.items())))


def prunable(kind: Kind, obj: LiveObject, scope: Scope) -> bool:
    """Whether ``scope.prune`` may delete ``obj``: in scope, of a prunable kind — never anything else."""
    return (
        scope.prune
        and kind.prunable
        and scope.contains(kind.name, name=obj.name, path=obj.path, tenant=obj.tenant)
    )


def _group(desired: Sequence[DesiredObject]) -> dict[str, list[DesiredObject]]:
    grouped: dict[str, list[DesiredObject]] = defaultdict(list)
    for obj in desired:
        grouped[obj.kind].append(obj)
    return grouped


def _referenced_names(desired: Sequence[DesiredObject]) -> dict[str, set[str]]:
    """Names each kind is referred to by, other than through the tenant (read anyway)."""
    names: dict[str, set[str]] = defaultdict(set)
    for obj in desired:
        kind = get_kind(obj.kind)
        for ref in kind.references:
            name = kind.desired_reference(obj, ref)
            if name:
                names[ref.kind].add(name)
    return names


def _referenced_addresses(desired: Sequence[DesiredObject]) -> set[str]:
    return {
        get_kind(kind).address_of(name=name)
        for kind, names in _referenced_names(desired).items()
        for name in names
    }


def fingerprint(live: LiveState, desired: Sequence[DesiredObject]) -> dict[str, Any]:
    """What the plan depends on, as JSON data: for each declared object found, its id, tenant and the
    live values of the fields the spec manages; for every other relevant object (a prune candidate), its
    id; and the ids of the tenants the spec names. ``observed_digest`` is the digest of this.

    Server-computed fields (usage, sync times) and fields the spec does not manage are left out, so that
    they never make a plan stale.
    """
    by_address = {d.address: d for d in desired}
    objects: dict[str, Any] = {}
    for address, obj in live.objects.items():
        want = by_address.get(address)
        entry: dict[str, Any] = {"id": obj.id, "tenant": obj.tenant}
        if want is not None:
            entry["fields"] = {k: thaw(obj.fields.get(k)) for k in sorted(want.compare) if k in obj.fields}
        objects[address] = entry
    tenants = sorted(
        {d.tenant for d in desired if d.tenant}
        | {d.name for d in desired if d.kind == TENANT_REFERENCE.kind and d.name}
    )
    return {"objects": objects, "tenants": {t: live.tenant_ids.get(t) for t in tenants}}


def read_cluster_info(client: Any) -> ClusterInfo:
    """The cluster's name (``GET /clusters/``, VMS_API.md §4.9) and version; None where unavailable.

    Both are informative, so a refusal of these reads alone (a tenant admin may not read /clusters/, an old
    VMS may lack /versions/) leaves them None. A failure that every later read would meet as well (bad
    credentials, an unreachable VMS) is raised at once: carrying on would only repeat it, and repeating a
    refused login can lock the account.
    """
    version: str | None = None
    name: str | None = None
    try:
        version = ".".join(str(p) for p in client.cluster_version())
    except VmsError as error:  # a plan is still useful without the version; a folder delete then fails
        _raise_if_fatal(error)
    try:
        records = client.list("/clusters/")
        if records and isinstance(records[0].get("name"), str):
            name = records[0]["name"]
    except VmsError as error:
        _raise_if_fatal(error)
    return ClusterInfo(name=name, version=version)


def _raise_if_fatal(error: VmsError) -> None:
    """Re-raise errors that say the cluster cannot be used at all, not that one read is refused."""
    if isinstance(error, (VmsAuthError, VmsConnectionError, VmsTransientError)):
        raise error


__all__ = ["fingerprint", "freeze", "prunable", "read_cluster_info", "refresh", "reread", "tenant_read"]
