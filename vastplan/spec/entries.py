"""One spec entry: the checks a schema cannot word well, its normalised fields, and its :class:`SpecObject`.

The schema checks types and enums; this module checks the values the engine relies on (sizes, identity paths,
host entries), converts sizes to int bytes and adds the snapshot path's trailing slash. Problems are returned
as ``(pointer, message)`` pairs: the loader places them in the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from vastplan.address import PATH_KINDS, SPEC_KEYS, AddressError, make_address
from vastplan.spec.document import SourceDocument, pointer_join
from vastplan.spec.hosts import host_problem
from vastplan.spec.model import SourceRef, SpecObject, State
from vastplan.spec.paths import path_problems, snapshot_path
from vastplan.spec.schemas import kind_info, size_locations
from vastplan.spec.sizes import SizeError, parse_size

Found = list[tuple[str, str]]


@dataclass(frozen=True)
class Entry:
    """An entry of a spec list, where it was found, and its fields after normalisation."""

    doc: SourceDocument
    kind: str
    pointer: str
    raw: Mapping[str, Any]

    @property
    def source(self) -> SourceRef:
        return SourceRef(self.doc.name, self.doc.line_of(self.pointer), self.pointer)


def entries_of(doc: SourceDocument) -> Iterator[Entry]:
    """Every entry of every kind list in ``doc`` that is a mapping (the schema reports the others)."""
    if not isinstance(doc.data, dict):
        return
    for key, kind in SPEC_KEYS.items():
        items = doc.data.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield Entry(doc, kind, pointer_join("", key, index), item)


def plain_copy(value: Any) -> Any:
    """A copy that shares nothing with the input (the input may come from a caller, or share YAML aliases)."""
    if isinstance(value, dict):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_copy(item) for item in value]
    return value


def normalise(entry: Entry) -> tuple[dict[str, Any], Found]:
    """The entry's fields with sizes in bytes and paths normalised, and the problems of its values."""
    fields: dict[str, Any] = plain_copy(entry.raw)
    found: Found = []
    for location in size_locations(entry.kind):
        _convert_sizes(fields, location, entry.pointer, found)
    _check_path(entry, fields, found)
    _check_hosts(entry, found)
    return fields, found


def _convert_sizes(container: Any, location: tuple[str, ...], pointer: str, found: Found) -> None:
    """Replace every size at ``location`` (a key path, ``*`` for list items) by its int bytes."""
    step, rest = location[0], location[1:]
    targets: list[tuple[str | int, Any]] = []
    if step == "*" and isinstance(container, list):
        targets = list(enumerate(container))
    elif isinstance(container, dict) and step in container:
        targets = [(step, container[step])]
    for key, value in targets:
        here = pointer_join(pointer, key)
        if rest:
            _convert_sizes(value, rest, here, found)
            continue
        try:
            container[key] = parse_size(value)
        except SizeError as exc:
            found.append((here, str(exc)))


def _check_path(entry: Entry, fields: dict[str, Any], found: Found) -> None:
    path = fields.get("path")
    if entry.kind not in PATH_KINDS and entry.kind != "snapshot" or not isinstance(path, str):
        return
    snapshot = entry.kind == "snapshot"
    for message in path_problems(path, trailing_slash=snapshot):
        found.append((pointer_join(entry.pointer, "path"), message))
    if snapshot:
        fields["path"] = snapshot_path(path)


def _check_hosts(entry: Entry, found: Found) -> None:
    for name in kind_info(entry.kind).host_list_fields:
        hosts = entry.raw.get(name)
        if not isinstance(hosts, list):
            continue
        for index, host in enumerate(hosts):
            problem = host_problem(host) if isinstance(host, str) else None
            if problem:
                found.append((pointer_join(entry.pointer, name, index), problem))


def spec_object(entry: Entry, fields: Mapping[str, Any], default_tenant: str) -> SpecObject | None:
    """The entry as a :class:`SpecObject`, or None when its identity is unusable (the problem is reported by
    the schema or the value checks). ``state`` and ``tenant`` are lifted out of the fields; an absent object
    keeps only ``name`` and ``path``: nothing else of it is managed."""
    state: State = "absent" if fields.get("state") == "absent" else "present"
    tenant = None if entry.kind == "tenant" else _tenant(fields, default_tenant)
    name, path = fields.get("name"), fields.get("path")
    try:
        address = make_address(
            entry.kind,
            name=name if isinstance(name, str) else None,
            path=path if isinstance(path, str) else None,
            tenant=tenant,
        )
    except AddressError:
        return None
    kept = {key: value for key, value in fields.items() if key not in ("state", "tenant")}
    if state == "absent":
        kept = {key: value for key, value in kept.items() if key in ("name", "path")}
    return SpecObject(
        kind=entry.kind,
        address=address,
        fields=MappingProxyType(kept),
        tenant=tenant,
        state=state,
        source=entry.source,
    )


def _tenant(fields: Mapping[str, Any], default_tenant: str) -> str:
    tenant = fields.get("tenant")
    return tenant if isinstance(tenant, str) and tenant else default_tenant


__all__ = ["Entry", "entries_of", "normalise", "plain_copy", "spec_object"]
