"""``{"$ref": "ADDRESS.FIELD"}``: values known only once an earlier step has run (DESIGN §5).

A reference is a JSON object whose only key is ``$ref``; it may sit anywhere in a step's body, params or
lookup params, nested in lists and objects. ``ADDRESS`` is an address (``viewpolicy[alpha-ro]``; keys may
hold dots, so the address ends at the last ``].``) and ``FIELD`` a field of the object its create step
returned, or a dotted path into nested objects (``FIELD.SUBFIELD``).

Paths are never templated: a step's path names an object that existed when the plan was made (updates and
deletes), or a collection (creates), so it never needs a value from this apply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["REF_KEY", "RefError", "Reference", "find_refs", "parse_ref", "resolve_refs"]

REF_KEY = "$ref"

# kind[key].field[.subfield...]: the greedy key runs to the last "]" followed by a dotted field path.
_REF_TEXT = re.compile(r"^(?P<address>[a-z]+\[.+\])\.(?P<field>[^.\[\]]+(?:\.[^.\[\]]+)*)$")


class RefError(Exception):
    """A ``$ref`` that is malformed or cannot be resolved; the message says which and why."""


@dataclass(frozen=True)
class Reference:
    """A parsed ``$ref``: the object's address and the (possibly dotted) field to read from it."""

    address: str
    field: str

    def __str__(self) -> str:
        return f"{self.address}.{self.field}"


#: Gives the object an address stands for, or raises :class:`RefError` saying why there is none.
ObjectSource = Callable[[str], Mapping[str, Any]]


def parse_ref(text: Any) -> Reference:
    """The reference that the value of a ``$ref`` key names."""
    if not isinstance(text, str):
        raise RefError(f"$ref must be a string ADDRESS.FIELD, got {json.dumps(text)}")
    match = _REF_TEXT.match(text)
    if match is None:
        raise RefError(f'$ref "{text}" is not of the form ADDRESS.FIELD, e.g. "viewpolicy[alpha-ro].id"')
    return Reference(match["address"], match["field"])


def _as_ref(value: Mapping[str, Any]) -> Reference | None:
    if REF_KEY not in value:
        return None
    if len(value) != 1:
        others = ", ".join(sorted(str(k) for k in value if k != REF_KEY))
        raise RefError(f"a $ref object must hold nothing else, but {value[REF_KEY]!r} sits beside {others}")
    return parse_ref(value[REF_KEY])


def find_refs(value: Any) -> Iterator[Reference]:
    """Every reference in a JSON value, depth first; :class:`RefError` on a malformed one."""
    if isinstance(value, Mapping):
        ref = _as_ref(value)
        if ref is not None:
            yield ref
            return
        for item in value.values():
            yield from find_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from find_refs(item)


def resolve_refs(value: Any, source: ObjectSource) -> Any:
    """A copy of ``value`` with every reference replaced by the field it names."""
    if isinstance(value, Mapping):
        ref = _as_ref(value)
        if ref is not None:
            return _read(ref, source)
        return {key: resolve_refs(item, source) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_refs(item, source) for item in value]
    return value


def _read(ref: Reference, source: ObjectSource) -> Any:
    try:
        current: Any = source(ref.address)
    except RefError as error:
        raise RefError(f"cannot resolve $ref {ref}: {error}") from None
    for part in ref.field.split("."):
        if not isinstance(current, Mapping) or part not in current:
            present = ", ".join(sorted(map(str, current))) if isinstance(current, Mapping) else "none"
            raise RefError(f"cannot resolve $ref {ref}: the object has no field {part!r} (fields: {present})")
        current = current[part]
    return current
