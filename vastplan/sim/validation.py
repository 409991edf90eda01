"""Request body checks against the field catalogue, with DRF-style messages (VMS_API.md §3.1).

Two deliberate departures from the real VMS, both to keep our own engine honest:
- a field the endpoint does not define for that method (not C for POST, not P for PATCH, VMS_FIELDS.md) is
  refused with 400 naming it, where the VMS may silently ignore it;
- integers and booleans must be JSON integers and booleans (DRF would also take ``"12"`` and ``"true"``).
String fields take numbers and keep them as text, as DRF's CharField does (``atime_frequency: 3600``); the
items of string arrays must be strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from vastplan.sim.errors import FieldErrors
from vastplan.sim.fields import Catalogue, FieldSpec
from vastplan.sim.state import Record

Mode = Literal["create", "patch"]


class InvalidValue(Exception):
    """One field's value is wrong; the message is DRF's."""


_JSON_TYPE_NAMES = {dict: "dict", list: "list", str: "str", int: "int", float: "float", bool: "bool"}


def clean(body: Any, catalogue: Catalogue, *, mode: Mode, endpoint: str) -> Record:
    """A checked copy of ``body``; every problem is collected into one :class:`FieldErrors`.

    ``mode`` picks the accepted fields (C or P); ``endpoint`` ("POST /views/") names the call in messages.
    """
    if not isinstance(body, Mapping):
        got = _JSON_TYPE_NAMES.get(type(body), type(body).__name__)
        raise FieldErrors.one("non_field_errors", f"Invalid data. Expected a dictionary, but got {got}.")
    problems: dict[str, list[str]] = {}
    cleaned: Record = {}
    for key, value in body.items():
        spec = catalogue.get(key)
        if spec is None or not (spec.create if mode == "create" else spec.patch):
            problems[key] = [f"Unknown field: {endpoint} does not accept '{key}'."]
            continue
        try:
            cleaned[key] = check_value(spec, value)
        except InvalidValue as exc:
            problems[key] = [str(exc)]
    if mode == "create":
        for spec in catalogue.values():
            if spec.required and spec.name not in body:
                problems.setdefault(spec.name, ["This field is required."])
    if problems:
        raise FieldErrors(problems)
    return cleaned


def check_value(spec: FieldSpec, value: Any) -> Any:
    """The value to store, or InvalidValue with DRF's message."""
    if value is None:
        if spec.required:
            raise InvalidValue("This field may not be null.")
        return None
    if spec.is_array:
        if not isinstance(value, list):
            raise InvalidValue(
                f'Expected a list of items but got type "{_JSON_TYPE_NAMES.get(type(value), "?")}".'
            )
        item_type = spec.type[:-2]
        return [_check_item(item_type, spec, item, index) for index, item in enumerate(value)]
    checked = _check_scalar(spec.type, value)
    if spec.enum and checked not in spec.enum:
        raise InvalidValue(f'"{checked}" is not a valid choice.')
    if spec.required and checked == "":
        raise InvalidValue("This field may not be blank.")
    return checked


def _check_item(item_type: str, spec: FieldSpec, item: Any, index: int) -> Any:
    try:
        if item_type == "str[]":
            if not isinstance(item, list):
                raise InvalidValue(
                    f'Expected a list of items but got type "{_JSON_TYPE_NAMES.get(type(item), "?")}".'
                )
            return [_strict_string(part) for part in item]
        checked = _strict_string(item) if item_type == "str" else _check_scalar(item_type, item)
    except InvalidValue as exc:
        raise InvalidValue(f"Item {index}: {exc}") from exc
    if spec.enum and checked not in spec.enum:
        raise InvalidValue(f'"{checked}" is not a valid choice.')
    return checked


def _strict_string(value: Any) -> str:
    """Items of string arrays (host lists, protocols) must be strings: a number there is a mistake."""
    if not isinstance(value, str):
        raise InvalidValue("Not a valid string.")
    return value


def _check_scalar(field_type: str, value: Any) -> Any:
    if field_type in ("str", "time"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InvalidValue("Not a valid string.")
        return value if isinstance(value, str) else str(value)
    if field_type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue("A valid integer is required.")
        return value
    if field_type == "num":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidValue("A valid number is required.")
        return value
    if field_type == "bool":
        if not isinstance(value, bool):
            raise InvalidValue("Must be a valid boolean.")
        return value
    if not isinstance(value, dict):
        raise InvalidValue(
            f'Expected a dictionary of items but got type "{_JSON_TYPE_NAMES.get(type(value), "?")}".'
        )
    return value
