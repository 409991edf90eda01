"""The document header: ``version``, ``defaults`` and ``scope``, checked per document and merged across files.

Several files make one spec. ``defaults.tenant`` applies to every entry of every file, so files that set it
must agree (a file that does not set it follows the others: the merged spec has one default tenant).
``scope.paths`` and ``scope.names`` are the union of all files'; ``scope.prune`` is true when a file says so,
and files that state it must agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vastplan.address import DEFAULT_TENANT
from vastplan.spec.document import SourceDocument, pointer_join
from vastplan.spec.errors import Problem
from vastplan.spec.paths import path_problems

#: The spec format version this loader reads.
SPEC_VERSION = 1

Found = list[tuple[str, str]]


@dataclass(frozen=True)
class Settings:
    """The merged header of all documents."""

    default_tenant: str = DEFAULT_TENANT
    paths: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    prune: bool = False


def header_problems(doc: SourceDocument) -> Found:
    """Problems of the document's shape, version and scope paths, as (pointer, message)."""
    data = doc.data
    if data is None:
        return [("", f"the document is empty; a spec starts with 'version: {SPEC_VERSION}'")]
    if not isinstance(data, dict):
        what = _kind_of_value(data)
        return [("", f"a spec document is a mapping (version, views, quotas, ...), not {what}")]
    found: Found = []
    if "version" in data and (data["version"] != SPEC_VERSION or isinstance(data["version"], bool)):
        message = (
            f"unsupported version {data['version']!r}: this vastplan reads spec version {SPEC_VERSION} "
            f"(write 'version: {SPEC_VERSION}')"
        )
        found.append(("/version", message))
    for index, path in enumerate(_list(_section(data, "scope").get("paths"))):
        if isinstance(path, str):
            found += [(pointer_join("/scope/paths", index), message) for message in path_problems(path)]
    return found


def _kind_of_value(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"a single value ({value!r})"


def _section(data: Any, key: str) -> dict[str, Any]:
    section = data.get(key) if isinstance(data, dict) else None
    return section if isinstance(section, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _where(doc: SourceDocument, pointer: str) -> str:
    line = doc.line_of(pointer)
    return f"{doc.name}:{line}" if line else doc.name


def merge_headers(docs: Sequence[SourceDocument]) -> tuple[Settings, list[Problem]]:
    """The merged settings of ``docs`` and the problems of merging them."""
    problems: list[Problem] = []
    tenant = _agreed(docs, "defaults", "tenant", problems)
    prune = _agreed(docs, "scope", "prune", problems)
    paths = sorted(
        {p for doc in docs for p in _list(_section(doc.data, "scope").get("paths")) if isinstance(p, str)}
    )
    names = sorted(
        {n for doc in docs for n in _list(_section(doc.data, "scope").get("names")) if isinstance(n, str)}
    )
    settings = Settings(
        default_tenant=tenant if isinstance(tenant, str) and tenant else DEFAULT_TENANT,
        paths=tuple(paths),
        names=tuple(names),
        prune=prune is True,
    )
    if settings.prune and not paths and not names:
        doc = next(d for d in docs if _section(d.data, "scope").get("prune") is True)
        problems.append(
            Problem(
                doc.name,
                doc.line_of("/scope/prune"),
                "/scope/prune",
                "scope.prune is true but the scope lists no paths and no names, so nothing "
                "would be pruned; add scope.paths or scope.names",
            )
        )
    return settings, problems


def _agreed(docs: Sequence[SourceDocument], section: str, key: str, problems: list[Problem]) -> Any:
    """The value of ``section.key`` that the documents setting it agree on; a problem at each one that differs
    from the first."""
    first: tuple[Any, SourceDocument] | None = None
    pointer = f"/{section}/{key}"
    for doc in docs:
        values = _section(doc.data, section)
        if key not in values or values[key] is None:
            continue
        value = values[key]
        if first is None:
            first = (value, doc)
        elif value != first[0] or type(value) is not type(first[0]):
            problems.append(
                Problem(
                    doc.name,
                    doc.line_of(pointer),
                    pointer,
                    f"{section}.{key} is {value!r} here but {first[0]!r} in "
                    f"{_where(first[1], pointer)}; files that set it must agree",
                )
            )
    return first[0] if first is not None else None


__all__ = ["SPEC_VERSION", "Settings", "header_problems", "merge_headers"]
