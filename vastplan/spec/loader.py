"""Spec files (or documents built in memory) in, one validated :class:`Spec` out.

    read ─▶ per document: header, schema, value checks ─▶ merge headers ─▶ objects ─▶ cross-checks ─▶ Spec

Every stage adds to one :class:`~vastplan.spec.errors.Problems` collector and the loader raises a single
:class:`SpecError` at the end, so that a user sees every problem at once. Where a value has both a schema error
and a better-worded check of its own (sizes, paths, host entries, the version), only the latter is reported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from vastplan.spec.crosscheck import cross_problems, unique_addresses
from vastplan.spec.digest import spec_digest
from vastplan.spec.document import SourceDocument
from vastplan.spec.entries import Entry, entries_of, normalise, spec_object
from vastplan.spec.errors import Problem, Problems, SpecError
from vastplan.spec.header import Settings, header_problems, merge_headers
from vastplan.spec.limits import MAX_OBJECTS
from vastplan.spec.memory import plain_document
from vastplan.spec.model import Scope, Spec, SpecObject
from vastplan.spec.schemacheck import schema_problems, suppressed
from vastplan.spec.yamldoc import read_yaml_file


def load_spec(paths: Sequence[str | os.PathLike[str]]) -> Spec:
    """Read, validate and merge the spec files ``paths``; :class:`SpecError` lists every problem."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path given where a list belongs: read it, do not iterate its characters
    problems = Problems()
    docs: list[SourceDocument] = []
    for path in paths:
        problems.note_file(os.fspath(path))
        doc, found = read_yaml_file(path)
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    if not paths:
        problems.add("<no files>", None, "", "no spec files were given")
    return _build(docs, problems, tuple(os.fspath(path) for path in paths))


def load_documents(docs: Sequence[tuple[str, Mapping[str, Any]]]) -> Spec:
    """Validate and merge documents built in memory, each with the name problems should carry."""
    problems = Problems()
    plain: list[SourceDocument] = []
    for name, data in docs:
        problems.note_file(name)
        doc, found = plain_document(name, data)
        problems.extend(found)
        if doc is not None:
            plain.append(doc)
    if not docs:
        problems.add("<no documents>", None, "", "no spec documents were given")
    return _build(plain, problems, tuple(name for name, _ in docs))


def _build(docs: list[SourceDocument], problems: Problems, files: tuple[str, ...]) -> Spec:
    docs = [doc for doc in docs if not _is_saved_plan(doc, problems)]
    _refuse_oversized(docs, problems, files)
    normalised: list[tuple[Entry, dict[str, Any]]] = []
    for doc in docs:
        normalised += _check_document(doc, problems)
    settings, merge_found = merge_headers(docs)
    problems.extend(merge_found)
    built = [spec_object(entry, fields, settings.default_tenant) for entry, fields in normalised]
    objects, duplicates = unique_addresses(obj for obj in built if obj is not None)
    problems.extend(duplicates)
    problems.extend(_cross_check(objects, normalised, docs, settings))
    problems.raise_if_any()
    return _spec(objects, settings, files)


def _is_saved_plan(doc: SourceDocument, problems: Problems) -> bool:
    """A plan file given where specs belong is one problem that says so, not a list of every plan key
    that is no spec key (YAML reads JSON, so it would otherwise be checked as a spec)."""
    data = doc.data
    if not (isinstance(data, dict) and "format_version" in data and "changes" in data):
        return False
    problems.add(
        doc.name,
        None,
        "",
        "this is a saved plan (made by vastplan plan --out), not a spec: apply it on its own "
        f"(vastplan apply {doc.name}), or show it (vastplan show {doc.name})",
    )
    return True


def _refuse_oversized(docs: list[SourceDocument], problems: Problems, files: tuple[str, ...]) -> None:
    """Stop before validating a spec with more entries than :data:`MAX_OBJECTS`: it would take minutes."""
    count = sum(1 for doc in docs for _ in entries_of(doc))
    if count <= MAX_OBJECTS:
        return
    problems.add(
        files[0] if files else "<spec>",
        None,
        "",
        f"{count:,} objects is more than vastplan takes in one spec ({MAX_OBJECTS:,}); "
        "split the cluster into several specs with their own scopes",
    )
    raise SpecError(problems.sorted())


def _cross_check(
    objects: list[SpecObject],
    normalised: list[tuple[Entry, dict[str, Any]]],
    docs: list[SourceDocument],
    settings: Settings,
) -> list[Problem]:
    raw = {(entry.doc.name, entry.pointer): entry.raw for entry, _ in normalised}
    by_name = {doc.name: doc for doc in docs}

    def line_of(file: str, pointer: str) -> int | None:
        return by_name[file].lines.get(pointer) if file in by_name else None

    def written(obj: SpecObject, field: str) -> bool:
        return field in raw.get((obj.source.file, obj.source.pointer), {})

    return cross_problems(objects, settings.default_tenant, line_of=line_of, written=written)


def _check_document(doc: SourceDocument, problems: Problems) -> list[tuple[Entry, dict[str, Any]]]:
    """Add the header, value and schema problems of one document (the schema's dropped where ours are
    better worded) and return its entries with their normalised fields (but those with a wrong path)."""
    found = header_problems(doc)
    normalised = []
    for entry in entries_of(doc):
        fields, entry_found = normalise(entry)
        found += entry_found
        # An object whose path is wrong would only echo that problem in the cross-checks: leave it out.
        path_pointer = entry.pointer + "/path"
        if not any(pointer == path_pointer for pointer, _ in entry_found):
            normalised.append((entry, fields))
    for pointer, message in found:
        problems.add(doc.name, doc.line_of(pointer), pointer, message)
    problems.extend(suppressed(schema_problems(doc), {pointer for pointer, _ in found}))
    return normalised


def _spec(objects: list[SpecObject], settings: Settings, files: tuple[str, ...]) -> Spec:
    """The Spec: objects sorted by address; the scope's tenants are every tenant the spec uses (the default
    tenant, declared tenants, tenants of objects), since pruning never reaches into any other."""
    tenants = {settings.default_tenant}
    tenants |= {obj.tenant for obj in objects if obj.tenant is not None}
    tenants |= {obj.name for obj in objects if obj.kind == "tenant" and obj.name}
    scope = Scope(
        paths=settings.paths, names=settings.names, prune=settings.prune, tenants=frozenset(tenants)
    )
    ordered = tuple(sorted(objects, key=lambda obj: obj.address))
    spec = Spec(objects=ordered, scope=scope, default_tenant=settings.default_tenant, files=files)
    return replace(spec, digest=spec_digest(spec))


__all__ = ["SpecError", "load_documents", "load_spec"]
