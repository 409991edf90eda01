"""The resource kinds: one module per kind, each exposing its :class:`~vastplan.kinds.base.Kind` as ``KIND``.

The registry finds them by walking this package, so adding a kind touches only its module, its schema and
its tests (DESIGN §2). ``vippool`` is a read-only data source, not a kind a spec declares: it has no ``KIND``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from vastplan.kinds.base import Kind


@lru_cache(maxsize=1)
def registry() -> Mapping[str, Kind]:
    """Every kind by name, in creation order (tenant first, snapshot last)."""
    found: dict[str, Kind] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            found[kind.name] = kind
    ordered = sorted(found.values(), key=lambda k: (k.rank, k.name))
    return MappingProxyType({kind.name: kind for kind in ordered})


def get_kind(name: str) -> Kind:
    """The kind called ``name``; KeyError names the known ones."""
    kinds = registry()
    if name not in kinds:
        raise KeyError(f"unknown kind {name!r}; known: {', '.join(kinds)}")
    return kinds[name]


def all_kinds() -> tuple[Kind, ...]:
    return tuple(registry().values())


__all__ = ["Kind", "all_kinds", "get_kind", "registry"]
