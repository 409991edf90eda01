"""Plan files: canonical JSON, digests, validation, reading and writing (DESIGN §5, docs/plans.md).

A plan document is a plain dict (format in docs/internals.md). This module is the one place that decides
whether such a dict is a plan that may be written, read back and applied::

    VastplanError
    └── PlanFileError      unreadable, invalid or tampered plan files   (.path .problems)

``plan_digest`` is the sha256 of the canonical JSON of {format_version, endpoint, observed_digest, changes,
steps}: what a reviewer approves. ``created_at``, ``generator`` and the rest are left out on purpose, so
that the same plan made twice against the same cluster has the same digest.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import json
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from vastplan import __version__
from vastplan.canonical import canonical_json, digest_of
from vastplan.errors import VastplanError

__all__ = [
    "ACTIONS",
    "DIGESTED_KEYS",
    "FORMAT_VERSION",
    "RISK_ORDER",
    "PlanFileError",
    "canonical_json",
    "check_expected_digest",
    "clean_endpoint",
    "compute_plan_digest",
    "digest_of",
    "finalize",
    "max_risk_of",
    "plan_problems",
    "plan_schema",
    "read_plan",
    "summary_of",
    "validate_plan",
    "write_plan",
]

FORMAT_VERSION = "1"
#: Change actions, in the order the summary line names them.
ACTIONS: tuple[str, ...] = ("create", "update", "replace", "delete", "noop")
#: Risks from least to most severe.
RISK_ORDER: tuple[str, ...] = ("safe", "disruptive", "data-loss")
_RISK_RANK = {risk: rank for rank, risk in enumerate(RISK_ORDER)}
#: The keys plan_digest covers (DESIGN §5): what runs, where, and against which observed state.
DIGESTED_KEYS: tuple[str, ...] = ("format_version", "endpoint", "observed_digest", "changes", "steps")
_DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_BARE_HEX_RE = re.compile(r"^[0-9a-f]{64}$")
# Key names that only ever hold credentials. No field of the kinds we manage is called this (VMS_FIELDS.md),
# so a match means a credential leaked into the plan from somewhere it should not have.
_SECRET_KEYS = frozenset(
    {"password", "passwd", "api_token", "token", "authorization", "secret", "secret_key"}
)
# A schema error message may quote a whole object; keep terminal output readable.
_MESSAGE_LIMIT = 240
_PROBLEM_LIMIT = 20


class PlanFileError(VastplanError):
    """A plan that cannot be read, is not valid, or was changed after it was made.

    ``path`` is the plan file as the caller named it (None for a document in memory); ``problems`` lists
    every problem found, each starting with the JSON path it concerns (``$.steps[3].depends_on``).
    """

    def __init__(self, message: str, *, path: str | None = None, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.path = path
        self.problems = problems


# --- canonical JSON and digests -------------------------------------------------------------------


def compute_plan_digest(doc: Mapping[str, Any]) -> str:
    """The digest of exactly {format_version, endpoint, observed_digest, changes, steps} of ``doc``."""
    return digest_of({key: doc.get(key) for key in DIGESTED_KEYS})


# --- helpers the planner may share ----------------------------------------------------------------


def summary_of(changes: list[Mapping[str, Any]]) -> dict[str, int]:
    """The ``summary`` object that matches ``changes``."""
    counts = Counter(change.get("action") for change in changes)
    return {action: counts[action] for action in ACTIONS}


def max_risk_of(changes: list[Mapping[str, Any]]) -> str:
    """The ``max_risk`` that matches ``changes``: "none" when every change is a noop."""
    risks = [change["risk"] for change in changes if change.get("action") != "noop"]
    return max(risks, key=_RISK_RANK.__getitem__) if risks else "none"


def clean_endpoint(endpoint: str) -> str:
    """``endpoint`` without query string or fragment; refuses one that carries a user name or password.

    Query strings are dropped because some proxies take tokens there; the error never repeats the
    endpoint, since it would repeat the password.
    """
    if _has_userinfo(endpoint):
        raise PlanFileError(
            "refusing to put credentials in a plan: the endpoint names a user or password "
            "(user:password@host); give credentials through VAST_USER and VAST_PASSWORD, or VAST_API_TOKEN"
        )
    return endpoint.split("#", 1)[0].split("?", 1)[0]


def _has_userinfo(endpoint: str) -> bool:
    scheme, sep, rest = endpoint.partition("://")
    if not sep:
        scheme, rest = "", endpoint
    if scheme == "sim":  # sim://FILE names a local file: an "@" there is part of a file name
        return False
    authority = rest.split("/", 1)[0]
    return "@" in authority


# --- finalize and validate ------------------------------------------------------------------------


def finalize(doc: Mapping[str, Any], *, check_schema: bool = True) -> dict[str, Any]:
    """A copy of ``doc`` with a clean endpoint and its ``plan_digest`` set, validated.

    ``check_schema=False`` skips the JSON Schema pass (seconds for plans of thousands of objects) but keeps
    the consistency checks; the planner uses it for plans that stay in memory, and :func:`write_plan` and
    :func:`read_plan` always check the schema. Raises :class:`PlanFileError` when the result is not valid.
    """
    out = dict(doc)
    if isinstance(out.get("endpoint"), str):  # anything else is left for the schema to refuse
        out["endpoint"] = clean_endpoint(out["endpoint"])
    try:
        out["plan_digest"] = compute_plan_digest(out)
    except (TypeError, ValueError) as exc:
        raise PlanFileError(f"the plan cannot be written as JSON: {exc}") from exc
    _check(out, subject="the plan document", path=None, check_schema=check_schema)
    return out


def validate_plan(doc: object) -> None:
    """Raise :class:`PlanFileError` unless ``doc`` is a valid, untampered plan document.

    Checks, in order: format_version; the schema; plan_digest against the content; then what a schema
    cannot say (summary and max_risk match the changes, step ids and depends_on, ``$ref`` targets, steps
    that match a change, no credentials).
    """
    _check(doc, subject="the plan document", path=None)


def plan_problems(doc: object) -> list[str]:
    """The problems :func:`validate_plan` would report, each with its JSON path; [] for a valid plan."""
    try:
        _check(doc, subject="the plan document", path=None)
    except PlanFileError as exc:
        return list(exc.problems)
    return []


def _check(doc: object, *, subject: str, path: str | None, check_schema: bool = True) -> dict[str, Any]:
    if not isinstance(doc, dict):
        problem = f"$: is a JSON {_json_type(doc)}, not an object"
        raise PlanFileError(
            f"{subject} is not a plan: it holds a JSON {_json_type(doc)}, not an object",
            path=path,
            problems=(problem,),
        )
    if doc.get("format_version") != FORMAT_VERSION:
        problem = _format_version_problem(doc)
        raise PlanFileError(
            f"{subject} is not a plan this vastplan can read: {problem}", path=path, problems=(problem,)
        )
    if check_schema:
        _raise_problems(_schema_problems(doc), subject=subject, path=path)
    if doc["plan_digest"] != compute_plan_digest(doc):
        raise PlanFileError(
            f"{subject} was modified after it was made: its plan_digest does not match its changes and steps",
            path=path,
            problems=("$.plan_digest: does not match its changes and steps",),
        )
    _raise_problems(list(_consistency_problems(doc)), subject=subject, path=path)
    return doc


def _raise_problems(problems: list[str], *, subject: str, path: str | None) -> None:
    if not problems:
        return
    shown = problems[:_PROBLEM_LIMIT]
    lines = [f"{subject} is not a valid plan:"] + [f"  {problem}" for problem in shown]
    if len(problems) > len(shown):
        lines.append(f"  ... and {len(problems) - len(shown)} more")
    raise PlanFileError("\n".join(lines), path=path, problems=tuple(problems))


def _format_version_problem(doc: Mapping[str, Any]) -> str:
    if "format_version" not in doc:
        return "$.format_version: missing (not a vastplan plan?)"
    return (
        f"$.format_version: {doc['format_version']!r} is not a plan format this vastplan "
        f"({__version__}) reads ({FORMAT_VERSION!r}); make the plan again with this version"
    )


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


# --- the schema -----------------------------------------------------------------------------------


def plan_schema() -> dict[str, Any]:
    """``schemas/plan.schema.json`` as shipped inside the package (``vastplan.schemas``); a fresh copy."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@functools.lru_cache(maxsize=1)
def _schema_text() -> str:
    return (
        importlib.resources.files("vastplan.schemas").joinpath("plan.schema.json").read_text(encoding="utf-8")
    )


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(plan_schema())


def _schema_problems(doc: Mapping[str, Any]) -> list[str]:
    problems = [_describe(error) for error in _validator().iter_errors(doc)]
    return sorted(set(problems))


def _describe(error: ValidationError) -> str:
    # anyOf failures ("... is not valid under any of the given schemas") quote the whole value and say
    # little. Among the errors of every branch, the deepest one names the key that is actually wrong,
    # and a broken constraint says more than "is not of type" from a branch that was never meant.
    error = max(_leaves(error), key=lambda leaf: (len(leaf.absolute_path), leaf.validator != "type"))
    message = error.message
    if len(message) > _MESSAGE_LIMIT:
        message = message[:_MESSAGE_LIMIT] + "…"
    return f"{error.json_path}: {message}"


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if not error.context:
        yield error
        return
    for sub in error.context:
        yield from _leaves(sub)


# --- consistency: what the schema cannot say ------------------------------------------------------


def _consistency_problems(doc: Mapping[str, Any]) -> Iterator[str]:
    yield from _summary_problems(doc)
    yield from _change_problems(doc["changes"])
    yield from _step_problems(doc["steps"], doc["changes"])
    yield from _ref_problems(doc["steps"])
    yield from _credential_problems(doc)


def _summary_problems(doc: Mapping[str, Any]) -> Iterator[str]:
    expected = summary_of(doc["changes"])
    for action in ACTIONS:
        if doc["summary"][action] != expected[action]:
            yield (
                f"$.summary.{action}: is {doc['summary'][action]} but {expected[action]} "
                f"change(s) have action {action!r}"
            )
    risk = max_risk_of(doc["changes"])
    if doc["max_risk"] != risk:
        yield f"$.max_risk: is {doc['max_risk']!r} but the highest risk of a change is {risk!r}"


def _change_problems(changes: list[dict[str, Any]]) -> Iterator[str]:
    seen: set[str] = set()
    for index, change in enumerate(changes):
        address = change["address"]
        if address in seen:
            yield f"$.changes[{index}].address: {address!r} has more than one change"
        if not address.startswith(change["kind"] + "["):
            yield f"$.changes[{index}].kind: {change['kind']!r} is not the kind of {address!r}"
        seen.add(address)


def _step_problems(steps: list[dict[str, Any]], changes: list[dict[str, Any]]) -> Iterator[str]:
    by_address = {change["address"]: change for change in changes}
    all_ids = {step["id"] for step in steps}
    earlier: set[int] = set()
    for index, step in enumerate(steps):
        where = f"$.steps[{index}]"
        if step["id"] in earlier:
            yield f"{where}.id: {step['id']} is the id of an earlier step too"
        for dep in step["depends_on"]:
            if dep not in earlier:
                whence = "a later step" if dep in all_ids else "no step"
                yield f"{where}.depends_on: step {step['id']} depends on {dep}, which is {whence}"
        yield from _step_change_problems(step, by_address.get(step["address"]), where)
        earlier.add(step["id"])


def _step_change_problems(
    step: Mapping[str, Any], change: Mapping[str, Any] | None, where: str
) -> Iterator[str]:
    # A reviewer reads the changes, not the steps: a step with no visible change, or riskier than its
    # change, would run something nobody approved.
    if change is None or change["action"] == "noop":
        yield f"{where}.address: {step['address']!r} has no change in this plan for this step to make"
    elif _RISK_RANK[step["risk"]] > _RISK_RANK[change["risk"]]:
        yield (
            f"{where}.risk: {step['risk']!r} is riskier than the change to {step['address']!r} "
            f"({change['risk']!r})"
        )


def _ref_problems(steps: list[dict[str, Any]]) -> Iterator[str]:
    creators: dict[str, int] = {}
    depends_on: dict[int, list[int]] = {}
    for index, step in enumerate(steps):
        for where, ref in _refs_in_step(step, f"$.steps[{index}]"):
            address = ref.rpartition("].")[0] + "]"
            creator = creators.get(address)
            if creator is None:
                yield f"{where}: {ref!r} names {address!r}, which no earlier step creates"
            elif not _reaches(step["depends_on"], creator, depends_on):
                # The executor runs independent steps concurrently: without this edge the value may
                # not exist yet when the step is sent.
                yield f"{where}: step {step['id']} uses {ref!r} but does not depend on step {creator}"
        depends_on[step["id"]] = step["depends_on"]
        if step["action"] == "create":
            creators.setdefault(step["address"], step["id"])


def _refs_in_step(step: Mapping[str, Any], where: str) -> Iterator[tuple[str, str]]:
    for key in ("params", "body", "lookup", "tolerate"):
        yield from _refs_in(step[key], f"{where}.{key}")


def _refs_in(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            yield where, value["$ref"]
            return
        for key, item in value.items():
            yield from _refs_in(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _refs_in(item, f"{where}[{index}]")


def _reaches(start: list[int], target: int, depends_on: Mapping[int, list[int]]) -> bool:
    pending, visited = list(start), set()
    while pending:
        step_id = pending.pop()
        if step_id == target:
            return True
        if step_id not in visited:
            visited.add(step_id)
            pending.extend(depends_on.get(step_id, ()))
    return False


def _credential_problems(doc: Mapping[str, Any]) -> Iterator[str]:
    endpoint = doc["endpoint"]
    if _has_userinfo(endpoint):
        yield "$.endpoint: names a user or password; plans never hold credentials"
    if "?" in endpoint or "#" in endpoint:
        yield "$.endpoint: has a query string or fragment (they can carry tokens); use clean_endpoint()"
    yield from _secret_keys(doc, "$")


def _secret_keys(value: object, where: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in _SECRET_KEYS and item not in (None, ""):
                yield f"{where}.{key}: looks like a credential; plans never hold credentials"
            else:
                yield from _secret_keys(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secret_keys(item, f"{where}[{index}]")


# --- files ----------------------------------------------------------------------------------------


def write_plan(doc: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Validate ``doc`` and write it to ``path`` atomically: readers see the old file or the new one.

    The file holds the same text as ``render(doc, "json")`` plus a final newline.
    """
    from vastplan.render.json import render_json  # here, not at the top: render imports this module

    name = os.fspath(path)
    _check(dict(doc), subject=name, path=name)
    _write_atomically(Path(name), (render_json(doc) + "\n").encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    # Same directory as the target, so that os.replace is a rename within one file system.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask decides the mode
    except OSError as exc:
        raise PlanFileError(f"cannot write plan file {path}: {exc.strerror}", path=str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def read_plan(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read, validate and return the plan in ``path``; :class:`PlanFileError` on any problem."""
    name = os.fspath(path)
    return _check(_parse(_read_text(name), name), subject=name, path=name)


def _read_text(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"plan file {name} does not exist", path=name) from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{name} is not a plan file: it is not UTF-8 text", path=name) from None
    except OSError as exc:
        raise PlanFileError(f"cannot read plan file {name}: {exc.strerror}", path=name) from None


def _parse(text: str, name: str) -> object:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"{name} is not a plan file: it is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            path=name,
        ) from None
    except ValueError as exc:
        raise PlanFileError(f"{name} is not a plan file: {exc}", path=name) from None


def _refuse_constant(token: str) -> object:
    raise ValueError(f"it holds {token}, which is not JSON")


# --- approval -------------------------------------------------------------------------------------


def check_expected_digest(doc: Mapping[str, Any], expected: str) -> None:
    """Raise :class:`PlanFileError` unless ``doc`` is exactly the plan whose digest was approved.

    ``expected`` is ``sha256:<64 hex>`` (a bare 64-digit hex string is accepted too). The digest is
    recomputed from the content, so an edited document cannot pass by keeping its old ``plan_digest``.
    """
    wanted = expected.strip().lower()
    if _BARE_HEX_RE.match(wanted):
        wanted = "sha256:" + wanted
    if not _DIGEST_RE.match(wanted):
        raise PlanFileError(
            f"the expected digest {expected!r} is not a plan digest (sha256: followed by 64 hex digits)"
        )
    actual = compute_plan_digest(doc)
    if doc.get("plan_digest") != actual:
        raise PlanFileError(
            "the plan was modified after it was made: its plan_digest does not match its changes and steps"
        )
    if actual != wanted:
        raise PlanFileError(
            f"this plan's digest is {actual}, not the approved {wanted}: it is not the plan "
            "that was reviewed; refusing it (make and review a new plan)"
        )
