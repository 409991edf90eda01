"""Documents built in memory (the Manila driver's targets): checked to be plain JSON-like values.

A caller may hand in tuples for lists and any Mapping for dicts; those are converted. Anything a YAML file
could not hold (sets, bytes, objects, non-string keys, NaN) is a problem at its pointer. The same bounds as for
files apply (:mod:`vastplan.spec.limits`), and the result shares nothing with the caller's objects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from vastplan.spec.document import SourceDocument, pointer_join
from vastplan.spec.errors import Problem
from vastplan.spec.limits import MAX_DEPTH, MAX_VALUES


class _TooBig(Exception):
    pass


class _Converter:
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.problems: list[Problem] = []

    def convert(self, value: Any, pointer: str, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(f"too many values (more than {MAX_VALUES:,})")
        if depth > MAX_DEPTH:
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, Mapping):
            return self.mapping(value, pointer, depth)
        if isinstance(value, (list, tuple)):
            return [
                self.convert(item, pointer_join(pointer, index), depth + 1)
                for index, item in enumerate(value)
            ]
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                self.problems.append(Problem(self.name, None, pointer, f"{value} is not a finite number"))
            return value
        self.problems.append(
            Problem(
                self.name,
                None,
                pointer,
                f"a value of type {type(value).__name__} cannot "
                "appear in a spec (use str, int, bool, list, dict)",
            )
        )
        return None

    def mapping(self, value: Mapping[Any, Any], pointer: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.problems.append(Problem(self.name, None, pointer, f"key {key!r} is not a string"))
                continue
            out[key] = self.convert(item, pointer_join(pointer, key), depth + 1)
        return out


def plain_document(name: str, document: Any) -> tuple[SourceDocument | None, list[Problem]]:
    """``document`` as a :class:`SourceDocument` of plain values (no lines), with the problems found."""
    converter = _Converter(name)
    try:
        data = converter.convert(document, "", 0)
    except _TooBig as exc:
        return None, [*converter.problems, Problem(name, None, "", f"{exc}; refusing it")]
    return SourceDocument(name, data), converter.problems


__all__ = ["plain_document"]
