"""The loaded spec: immutable values the planner consumes (DESIGN §4).

The loader (:mod:`vastplan.spec.loader`) turns YAML files, or documents built in memory (the Manila driver's
targets), into a :class:`Spec`. Everything after it works on these values only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from vastplan.address import DEFAULT_TENANT, PATH_KINDS

State = Literal["present", "absent"]

#: Kinds whose objects a ``scope.paths`` prefix can select, and those a ``scope.names`` prefix can select.
PATH_SCOPED_KINDS: frozenset[str] = frozenset({"view", "quota", "folder", "snapshot"})
NAME_SCOPED_KINDS: frozenset[str] = frozenset({"viewpolicy", "snapshot", "quota"})


@dataclass(frozen=True)
class SourceRef:
    """Where an object was declared: file, 1-based line when known, JSON pointer (``/views/0``)."""

    file: str
    line: int | None
    pointer: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} ({self.pointer})" if self.pointer else where


@dataclass(frozen=True)
class SpecObject:
    """One declared object.

    ``fields`` holds VMS field names with values already normalised by the loader (sizes in bytes); the
    spec-only keys are lifted out: ``state`` and ``tenant`` (a tenant *name*). A view's ``policy`` (a policy
    *name*) stays in ``fields``; the planner resolves it to ``policy_id``.
    """

    kind: str
    address: str
    fields: Mapping[str, Any]
    tenant: str | None = None
    state: State = "present"
    source: SourceRef = SourceRef("<memory>", None, "")

    @property
    def name(self) -> str | None:
        value = self.fields.get("name")
        return value if isinstance(value, str) else None

    @property
    def path(self) -> str | None:
        value = self.fields.get("path")
        return value if isinstance(value, str) else None


def path_within(path: str, prefix: str) -> bool:
    """True when ``path`` is ``prefix`` or below it, component-wise (``/a/b`` is not within ``/a/bc``)."""
    norm_path, norm_prefix = path.rstrip("/") or "/", prefix.rstrip("/") or "/"
    if norm_prefix == "/":
        return True
    return norm_path == norm_prefix or norm_path.startswith(norm_prefix + "/")


@dataclass(frozen=True)
class Scope:
    """What a spec owns besides the objects it lists (DESIGN §4).

    An object is in scope when every criterion that applies to its kind is given and matches: a path
    prefix for views, quotas, folders and snapshots; a name prefix for view policies, snapshots and quotas.
    A kind to which no given criterion applies is out of scope, so an empty scope owns nothing beyond the
    listed objects. Only tenants the spec itself uses are ever in scope: pruning never reaches into a tenant
    the spec does not mention. Tenants are never pruned, and folders cannot be (the VMS cannot list them).
    """

    paths: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    prune: bool = False
    tenants: frozenset[str] = frozenset({DEFAULT_TENANT})

    def contains(self, kind: str, *, name: str | None = None, path: str | None = None,
                 tenant: str | None = None) -> bool:
        if kind in ("tenant", "vippool"):
            return False
        if tenant is not None and tenant not in self.tenants:
            return False
        checks: list[bool] = []
        if kind in PATH_SCOPED_KINDS and self.paths:
            checks.append(path is not None and any(path_within(path, p) for p in self.paths))
        if kind in NAME_SCOPED_KINDS and self.names:
            checks.append(name is not None and any(name.startswith(n) for n in self.names))
        return bool(checks) and all(checks)


@dataclass(frozen=True)
class Spec:
    """A whole target state: declared objects sorted by address, the scope, and a digest of the input."""

    objects: tuple[SpecObject, ...]
    scope: Scope = field(default_factory=Scope)
    default_tenant: str = DEFAULT_TENANT
    digest: str = ""
    files: tuple[str, ...] = ()

    def by_address(self) -> Mapping[str, SpecObject]:
        return MappingProxyType({obj.address: obj for obj in self.objects})

    def of_kind(self, kind: str) -> tuple[SpecObject, ...]:
        return tuple(obj for obj in self.objects if obj.kind == kind)


__all__ = ["NAME_SCOPED_KINDS", "PATH_KINDS", "PATH_SCOPED_KINDS", "Scope", "SourceRef", "Spec",
           "SpecObject", "State", "path_within"]
