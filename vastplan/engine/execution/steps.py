"""Plan steps as typed values, and the dependency graph the executor walks.

A step arrives as a dict of the plan document (docs/internals.md, "A step"). :func:`build_graph` checks
every step at once and raises :class:`InvalidSteps` naming every problem before anything is sent: a plan
file can be edited by hand, and a half-run apply is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vastplan.engine.errors import InvalidSteps
from vastplan.engine.execution.refs import RefError, find_refs

__all__ = ["Lookup", "Step", "StepGraph", "Tolerance", "build_graph"]

_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
_ACTIONS = frozenset({"create", "update", "delete"})


@dataclass(frozen=True)
class Lookup:
    """How to find the object a step creates or deletes: list ``path`` filtered by ``params``."""

    path: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Tolerance:
    """An error that means "already done": this status, and the detail text containing this (any case)."""

    status: int
    detail_contains: str | None = None

    def matches(self, status: int, detail: str) -> bool:
        if status != self.status:
            return False
        return self.detail_contains is None or self.detail_contains.lower() in detail.lower()


@dataclass(frozen=True)
class Step:
    """One REST call of a plan, with what the executor needs to run it safely."""

    id: int
    address: str
    action: str
    method: str
    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    depends_on: tuple[int, ...] = ()
    lookup: Lookup | None = None
    tolerate: tuple[Tolerance, ...] = ()

    @property
    def label(self) -> str:
        """``POST /views/``: how messages name the call."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class StepGraph:
    """Steps in plan order, with every edge the executor must respect.

    ``needs[i]`` holds the declared ``depends_on`` of step ``i`` plus the create step of every address its
    ``$ref``s name: a value cannot be read before the step that creates it ran, whatever the plan says.
    """

    steps: tuple[Step, ...]
    needs: Mapping[int, frozenset[int]]
    creators: Mapping[str, int]

    def dependents(self) -> dict[int, list[int]]:
        """For each step, the steps that wait for it."""
        return _dependents(self.needs)


def build_graph(raw_steps: Sequence[Mapping[str, Any]]) -> StepGraph:
    """Typed steps and their dependency graph; :class:`InvalidSteps` lists every problem found."""
    problems: list[str] = []
    steps = [step for step in (_parse(raw, n, problems) for n, raw in enumerate(raw_steps)) if step]
    _check_ids(steps, problems)
    creators = _creators(steps, problems)
    needs = {step.id: frozenset(step.depends_on) | _ref_needs(step, creators) for step in steps}
    if not problems:
        _check_acyclic(needs, problems)
    if problems:
        raise InvalidSteps(problems)
    return StepGraph(tuple(steps), needs, creators)


def _parse(raw: Any, index: int, problems: list[str]) -> Step | None:
    step_id = raw.get("id") if isinstance(raw, Mapping) else None
    where = f"step {step_id}" if _is_int(step_id) else f"step #{index + 1}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: not an object")
        return None
    found: list[str] = []
    _take(raw, "id", int, where, found)
    step = _parse_fields(raw, step_id, where, found)
    problems.extend(found)
    return step


def _parse_fields(raw: Mapping[str, Any], step_id: Any, where: str, found: list[str]) -> Step | None:
    address = _take(raw, "address", str, where, found)
    action = _take(raw, "action", str, where, found)
    method = _take(raw, "method", str, where, found)
    path = _take(raw, "path", str, where, found)
    params = raw.get("params") or {}
    depends = raw.get("depends_on") or []
    if isinstance(action, str) and action not in _ACTIONS:
        found.append(f"{where}: action {action!r} is not one of {', '.join(sorted(_ACTIONS))}")
    if isinstance(method, str) and method.upper() not in _METHODS:
        found.append(f"{where}: method {method!r} is not one of {', '.join(sorted(_METHODS))}")
    if not isinstance(params, Mapping):
        found.append(f"{where}: params must be an object")
    if not isinstance(depends, (list, tuple)) or not all(_is_int(d) for d in depends):
        found.append(f"{where}: depends_on must be a list of step ids")
    lookup = _parse_lookup(raw.get("lookup"), where, found)
    tolerate = _parse_tolerate(raw.get("tolerate") or [], where, found)
    _check_refs(raw, where, found)
    if found:
        return None
    return Step(
        id=step_id,
        address=address,
        action=action,
        method=method.upper(),
        path=path,
        params=dict(params),
        body=raw.get("body"),
        depends_on=tuple(depends),
        lookup=lookup,
        tolerate=tolerate,
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _take(raw: Mapping[str, Any], key: str, kind: type, where: str, found: list[str]) -> Any:
    value = raw.get(key)
    if not isinstance(value, kind) or (kind is int and not _is_int(value)):
        found.append(f"{where}: {key} must be {'an integer' if kind is int else 'a string'}, got {value!r}")
    return value


def _parse_lookup(raw: Any, where: str, found: list[str]) -> Lookup | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("path"), str):
        found.append(f"{where}: lookup must be an object with a path")
        return None
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        found.append(f"{where}: lookup params must be an object")
        return None
    return Lookup(raw["path"], dict(params))


def _parse_tolerate(raw: Any, where: str, found: list[str]) -> tuple[Tolerance, ...]:
    if not isinstance(raw, list):
        found.append(f"{where}: tolerate must be a list")
        return ()
    tolerated: list[Tolerance] = []
    for entry in raw:
        status = entry.get("status") if isinstance(entry, Mapping) else None
        text = entry.get("detail_contains") if isinstance(entry, Mapping) else None
        if not isinstance(status, int) or not _is_int(status) or not (text is None or isinstance(text, str)):
            found.append(f"{where}: tolerate entry {entry!r} needs an integer status")
            continue
        tolerated.append(Tolerance(status, text))
    return tuple(tolerated)


def _check_refs(raw: Mapping[str, Any], where: str, found: list[str]) -> None:
    # A malformed $ref is a broken plan, not a runtime surprise: report it with the other problems.
    lookup = raw.get("lookup")
    values = [
        raw.get("body"),
        raw.get("params"),
        lookup.get("params") if isinstance(lookup, Mapping) else None,
    ]
    try:
        for value in values:
            list(find_refs(value))
    except RefError as error:
        found.append(f"{where}: {error}")


def _check_ids(steps: Sequence[Step], problems: list[str]) -> None:
    ids = [step.id for step in steps]
    known = set(ids)
    for step_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"step id {step_id} is used more than once")
    for step in steps:
        for needed in step.depends_on:
            if needed not in known:
                problems.append(f"step {step.id}: depends on step {needed}, which is not in the plan")
            elif needed == step.id:
                problems.append(f"step {step.id}: depends on itself")


def _creators(steps: Iterable[Step], problems: list[str]) -> dict[str, int]:
    creators: dict[str, int] = {}
    for step in steps:
        if step.action != "create":
            continue
        if step.address in creators:
            problems.append(
                f"steps {creators[step.address]} and {step.id} both create {step.address}: "
                "a $ref to it would be ambiguous"
            )
        creators[step.address] = step.id
    return creators


def _ref_needs(step: Step, creators: Mapping[str, int]) -> frozenset[int]:
    values = [step.body, step.params, step.lookup.params if step.lookup else None]
    addresses = {ref.address for value in values for ref in find_refs(value)}
    # A step that refers to its own address cannot wait for itself; resolving it fails with a message.
    return frozenset(creators[a] for a in addresses if a in creators and creators[a] != step.id)


def _dependents(needs: Mapping[int, frozenset[int]]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {step_id: [] for step_id in needs}
    for step_id, needed in needs.items():
        for other in needed:
            found[other].append(step_id)
    return found


def _check_acyclic(needs: Mapping[int, frozenset[int]], problems: list[str]) -> None:
    # Kahn's algorithm: whatever never becomes ready sits on (or behind) a cycle.
    waiting = {step_id: len(needed) for step_id, needed in needs.items()}
    dependents = _dependents(needs)
    ready = [step_id for step_id, count in waiting.items() if count == 0]
    while ready:
        for other in dependents[ready.pop()]:
            waiting[other] -= 1
            if waiting[other] == 0:
                ready.append(other)
    stuck = sorted(step_id for step_id, count in waiting.items() if count > 0)
    if stuck:
        problems.append(f"steps {', '.join(map(str, stuck))} depend on each other in a cycle")
