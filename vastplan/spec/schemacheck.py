"""Validate a document against ``spec.schema.json`` and word each error for a user.

jsonschema's own messages are written for schema authors ("Additional properties are not allowed ('x' was
unexpected)"); a user needs the field, the kind and the fix. Each error becomes a problem at the JSON pointer
of the value (of the key, for unknown keys), with the line looked up in the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from jsonschema.exceptions import ValidationError

from vastplan.address import SPEC_KEYS
from vastplan.spec.document import SourceDocument, pointer_join, pointer_of
from vastplan.spec.errors import Problem
from vastplan.spec.schemas import spec_validator
from vastplan.spec.suggest import did_you_mean

#: Stop wording errors of one document after this many: a systematic mistake in a huge file would otherwise
#: bury the report.
MAX_SCHEMA_PROBLEMS = 1000

_PATTERN_MESSAGES = {
    r"^\S(.*\S)?$": "must not be empty or start or end with whitespace",
    r"^/(.*[^/])?$": "must be an absolute path without a trailing slash",
    r"^/": "must start with '/'",
    # Durations as the VMS takes them (VMS_API.md §4.2, §4.3); "1h" reads well but the VMS refuses it.
    r"^\s*([0-9]+ +)?([0-9]+:){0,2}[0-9]+\s*$": (
        "is not a duration the VMS takes: write seconds ('3600') or '[DD] [HH:[MM:]]ss' ('01:00:00')"
    ),
    r"^(?=.*[1-9])\s*([0-9]+ +)?([0-9]+:){0,2}[0-9]+\s*$": (
        "is not a duration the VMS takes: write seconds ('3600') or '[DD] [HH:[MM:]]ss' ('01:00:00'), "
        "not zero"
    ),
}

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def schema_problems(doc: SourceDocument) -> list[Problem]:
    """Every schema error of ``doc`` as a problem (at most :data:`MAX_SCHEMA_PROBLEMS`, then a note)."""
    problems: list[Problem] = []
    for count, error in enumerate(spec_validator().iter_errors(doc.data)):
        if count >= MAX_SCHEMA_PROBLEMS:
            problems.append(
                Problem(
                    doc.name, None, "", f"more schema errors not shown (stopped after {MAX_SCHEMA_PROBLEMS})"
                )
            )
            break
        for pointer, message in _word(error):
            problems.append(Problem(doc.name, doc.line_of(pointer), pointer, message))
    return problems


def _word(error: ValidationError) -> list[tuple[str, str]]:
    """(pointer, message) pairs for one error; an unknown-keys error yields one pair per key."""
    pointer = pointer_of(list(error.absolute_path))
    if error.validator == "additionalProperties":
        return _unknown_keys(error, pointer)
    if error.validator == "required":
        return [(pointer, f"missing required field {name!r}") for name in _missing(error)]
    wording = _WORDING.get(str(error.validator))
    return [(pointer, wording(error) if wording else error.message)]


def _expected(error: ValidationError) -> Any:
    """What the failed keyword asked for (the stubs allow an "unset" marker, never seen on a real error)."""
    return cast(Any, error.validator_value)


def _instance(error: ValidationError) -> Any:
    return cast(Any, error.instance)


def _missing(error: ValidationError) -> list[str]:
    required: Sequence[str] = _expected(error)
    instance = _instance(error) if isinstance(_instance(error), Mapping) else {}
    return [name for name in required if name not in instance]


def _unknown_keys(error: ValidationError, pointer: str) -> list[tuple[str, str]]:
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    known: Mapping[str, Any] = schema.get("properties", {})
    excluded: Mapping[str, str] = schema.get("x-excluded", {})
    instance = _instance(error) if isinstance(_instance(error), Mapping) else {}
    where = _where(list(error.absolute_path), schema)
    out = []
    for key in instance:
        if key in known:
            continue
        if key in excluded:
            message = f"{key!r} cannot be set in a spec{where}: {excluded[key]}"
        else:
            message = f"unknown {_noun(list(error.absolute_path))} {key!r}{where}{did_you_mean(key, known)}"
        out.append((pointer_join(pointer, key), message))
    return out


def _noun(path: Sequence[str | int]) -> str:
    if not path:
        return "top-level key"
    return "key" if path[0] in ("defaults", "scope") and len(path) == 1 else "field"


def _where(path: Sequence[str | int], schema: Mapping[str, Any]) -> str:
    if not path:
        return ""
    if len(path) == 1:
        return f" in {path[0]}"
    if len(path) == 2 and path[0] in SPEC_KEYS:
        return f" for {schema.get('title', SPEC_KEYS[str(path[0])])}"
    names = [step for step in path if isinstance(step, str)]
    return f" in {names[-1]}" if names else ""


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    for python, name in (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a number"),
        (str, "a string"),
        (list, "a list"),
        (dict, "a mapping"),
    ):
        if isinstance(value, python):
            return name
    return type(value).__name__


def _type(error: ValidationError) -> str:
    expected = _expected(error) if isinstance(_expected(error), list) else [_expected(error)]
    names = [_TYPE_NAMES.get(str(name), str(name)) for name in expected if name != "null"]
    want = " or ".join(names) or "null"
    message = f"expected {want}, got {_type_of(_instance(error))} ({_shown(_instance(error))})"
    if "string" in expected and isinstance(_instance(error), (int, float)):
        text = str(_instance(error)).lower() if isinstance(_instance(error), bool) else str(_instance(error))
        message += f"; quote it if it is meant as text: '{text}'"
    return message


def _enum(error: ValidationError) -> str:
    options = [str(option) for option in _expected(error)]
    hint = did_you_mean(_instance(error), options) if isinstance(_instance(error), str) else ""
    return f"{_shown(_instance(error))} is not one of {', '.join(options)}{hint}"


def _unique(error: ValidationError) -> str:
    seen: list[Any] = []
    repeated: list[Any] = []
    for item in _instance(error):
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.append(item)
    listed = ", ".join(_shown(item) for item in repeated)
    return f"lists {listed} more than once; each entry may appear once"


def _pattern(error: ValidationError) -> str:
    wording = _PATTERN_MESSAGES.get(str(_expected(error)))
    return f"{_shown(_instance(error))} {wording}" if wording else error.message


_WORDING: dict[str, Callable[[ValidationError], str]] = {
    "type": _type,
    "enum": _enum,
    "const": lambda error: f"must be {_shown(_expected(error))}, not {_shown(_instance(error))}",
    "uniqueItems": _unique,
    "pattern": _pattern,
    "minimum": lambda error: f"{_shown(_instance(error))} is less than the minimum, {_expected(error)}",
    "maximum": lambda error: f"{_shown(_instance(error))} is more than the maximum, {_expected(error)}",
    "minLength": lambda error: (
        "must not be empty"
        if _expected(error) == 1
        else f"must be at least {_expected(error)} characters long"
    ),
    "minItems": lambda error: f"needs at least {_expected(error)} entries, has {len(_instance(error))}",
    "maxItems": lambda error: f"takes at most {_expected(error)} entries, has {len(_instance(error))}",
}


def suppressed(problems: Iterable[Problem], pointers: set[str]) -> list[Problem]:
    """``problems`` without those at or under ``pointers``: where the loader has its own, better-worded check
    of a value (sizes, paths, host entries, version), the schema's message about that value is dropped."""

    def covered(pointer: str) -> bool:
        return any(pointer == p or pointer.startswith(p + "/") for p in pointers)

    return [problem for problem in problems if not covered(problem.pointer)]


__all__ = ["MAX_SCHEMA_PROBLEMS", "schema_problems", "suppressed"]
