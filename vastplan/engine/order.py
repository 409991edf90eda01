"""Order: the dependency graph of the plan's operations, and a deterministic order that respects it.

Every change becomes one operation (a replace becomes two: a delete, then a create that depends on it).
Edges come from what the kinds declare, never from a kind's name (DESIGN §3):

1. **replace** — the create of an address waits for its delete;
2. **references, creating** — an operation that sets a reference waits for the create of the object named
   (a view waits for its new policy; anything waits for its new tenant);
3. **references, deleting** — the delete of an object waits for every operation that takes a live
   reference to it away: the deletes (or replacements) of its referrers, and the updates that point them
   elsewhere (the VMS refuses to delete a policy a view uses);
4. **paths, creating** — the create of an object waits for the creates of lower-ranked objects that make
   its path exist, on or above it (folder → quota → view → snapshot; a quota before the view on the same
   path, so no export is ever unlimited);
5. **paths, deleting** — the delete of an object waits for the deletes of higher-ranked objects on or
   under its path (a folder goes to the trash only after the snapshots, views and quotas under it);
6. **unique fields** — an operation that takes a unique value (a quota's name) waits for the delete or
   update that gives it up.

Among the operations that are ready, deletes come first in reverse kind order, then creates and updates in
kind order, each by address: the order is the same for the same input, every time.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vastplan.engine.normalize import dir_path
from vastplan.engine.state import Change, StepAction
from vastplan.kinds import get_kind
from vastplan.kinds.base import Kind


@dataclass(frozen=True)
class Operation:
    """One step-to-be: ``op`` on ``change.address``."""

    change: Change
    op: StepAction

    @property
    def address(self) -> str:
        return self.change.address

    @property
    def kind(self) -> Kind:
        return get_kind(self.change.kind)

    @property
    def key(self) -> tuple[str, str]:
        return (self.change.address, self.op)

    @property
    def path(self) -> str | None:
        """The path the operation works on: the live one for a delete, the target one otherwise."""
        obj = self.change.live if self.op == "delete" else self.change.desired
        path = obj.path if obj is not None else None
        return dir_path(path) if isinstance(path, str) else None

    @property
    def tenant(self) -> str | None:
        obj = self.change.live if self.op == "delete" else self.change.desired
        return obj.tenant if obj is not None else None

    def sort_key(self) -> tuple[int, int, str]:
        rank = self.kind.rank
        return (0, -rank, self.address) if self.op == "delete" else (1, rank, self.address)


@dataclass(frozen=True)
class Graph:
    """Operations and, for each, the keys of the operations it waits for."""

    operations: tuple[Operation, ...]
    needs: Mapping[tuple[str, str], frozenset[tuple[str, str]]]


def operations(changes: Sequence[Change]) -> list[Operation]:
    ops: list[Operation] = []
    for change in changes:
        if change.action == "replace":
            ops += [Operation(change, "delete"), Operation(change, "create")]
        elif change.action != "noop":
            ops.append(Operation(change, change.action))
    return ops


def build_graph(changes: Sequence[Change]) -> Graph:
    """The operations of ``changes`` and their dependencies (rules 1–6 of the module docstring)."""
    ops = operations(changes)
    by_key = {op.key: op for op in ops}
    needs: dict[tuple[str, str], set[tuple[str, str]]] = {op.key: set() for op in ops}
    for rule in (
        _replace_edges,
        _reference_create_edges,
        _reference_delete_edges,
        _path_create_edges,
        _path_delete_edges,
        _unique_edges,
    ):
        for waiter, first in rule(ops, by_key):
            if waiter != first:
                needs[waiter].add(first)
    return Graph(tuple(ops), {k: frozenset(v) for k, v in needs.items()})


Edge = tuple[tuple[str, str], tuple[str, str]]
Index = Mapping[tuple[str, str], Operation]


def _replace_edges(ops: Sequence[Operation], by_key: Index) -> Iterator[Edge]:
    for op in ops:
        if op.op == "create" and (op.address, "delete") in by_key:
            yield op.key, (op.address, "delete")


def _desired_refs(op: Operation) -> Iterator[str]:
    kind, want = op.kind, op.change.desired
    if want is None:
        return
    for ref in kind.all_references:
        name = kind.desired_reference(want, ref)
        if name:
            yield get_kind(ref.kind).address_of(name=name)


def _live_refs(op: Operation) -> Iterator[str]:
    kind, have = op.kind, op.change.live
    if have is None:
        return
    for ref in kind.all_references:
        name = kind.live_reference(have, ref)
        if name:
            yield get_kind(ref.kind).address_of(name=name)


def _reference_create_edges(ops: Sequence[Operation], by_key: Index) -> Iterator[Edge]:
    for op in ops:
        if op.op in ("create", "update"):
            for target in _desired_refs(op):
                if (target, "create") in by_key:
                    yield op.key, (target, "create")


def _reference_delete_edges(ops: Sequence[Operation], by_key: Index) -> Iterator[Edge]:
    referrers: dict[str, list[Operation]] = defaultdict(list)
    for op in ops:
        if op.op in ("delete", "update"):
            for target in _live_refs(op):
                if op.op == "delete" or target not in set(_desired_refs(op)):
                    referrers[target].append(op)
    for op in ops:
        if op.op == "delete":
            for referrer in referrers.get(op.address, []):
                yield op.key, referrer.key


def _ancestors(path: str) -> Iterator[str]:
    """``path`` itself, then each directory above it up to ``/``."""
    current = path
    while True:
        yield current
        if current == "/":
            return
        current = current.rsplit("/", 1)[0] or "/"


def _path_index(ops: Sequence[Operation], op_name: str) -> dict[tuple[str | None, str], list[Operation]]:
    index: dict[tuple[str | None, str], list[Operation]] = defaultdict(list)
    for op in ops:
        if op.op == op_name and op.path:
            index[(op.tenant, op.path)].append(op)
    return index


def _path_create_edges(ops: Sequence[Operation], by_key: Index) -> Iterator[Edge]:
    makers = {k: [op for op in v if op.kind.makes_path] for k, v in _path_index(ops, "create").items()}
    for op in ops:
        if op.op != "create" or not op.path:
            continue
        for directory in _ancestors(op.path):
            for maker in makers.get((op.tenant, directory), []):
                if maker.kind.rank < op.kind.rank:
                    yield op.key, maker.key


def _path_delete_edges(ops: Sequence[Operation], by_key: Index) -> Iterator[Edge]:
    deletes = _path_index(ops, "delete")
    for op in ops:
        if op.op != "delete" or not op.path:
            continue
        for directory in _ancestors(op.path):
            for container in deletes.get((op.tenant, directory), []):
                if container.kind.rank < op.kind.rank:
                    yield container.key, op.key


def _unique_values(op: Operation, live: bool) -> Iterator[tuple[str, str, Any]]:
    obj: Any = op.change.live if live else op.change.desired
    if obj is None:
        return
    values = obj.fields if live else obj.compare
    for name in op.kind.unique_fields:
        if values.get(name) is not None:
            yield (op.kind.name, name, values[name])


def _unique_edges(ops: Sequence[Operation], by_key: Index) -> Iterator[Edge]:
    givers: dict[tuple[str, str, Any], list[Operation]] = defaultdict(list)
    for op in ops:
        if op.op in ("delete", "update"):
            kept = set(_unique_values(op, live=False)) if op.op == "update" else set()
            for value in _unique_values(op, live=True):
                if value not in kept:
                    givers[value].append(op)
    for op in ops:
        if op.op in ("create", "update"):
            for value in _unique_values(op, live=False):
                for giver in givers.get(value, []):
                    if giver.address != op.address:
                        yield op.key, giver.key


def topological(graph: Graph) -> list[Operation]:
    """The operations in an order that respects every edge, ties broken by :meth:`Operation.sort_key`.

    A cycle cannot come from one plan's rules; if one ever did, its operations are appended in key order
    and the executor's own graph check refuses the plan before any call.
    """
    by_key = {op.key: op for op in graph.operations}
    waiting = {key: len(needs) for key, needs in graph.needs.items()}
    dependents: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, needs in graph.needs.items():
        for first in needs:
            dependents[first].append(key)
    ready = [(by_key[k].sort_key(), k) for k, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    ordered: list[Operation] = []
    while ready:
        _, key = heapq.heappop(ready)
        ordered.append(by_key[key])
        for other in dependents[key]:
            waiting[other] -= 1
            if waiting[other] == 0:
                heapq.heappush(ready, (by_key[other].sort_key(), other))
    done = {op.key for op in ordered}
    ordered += sorted((op for op in graph.operations if op.key not in done), key=Operation.sort_key)
    return ordered


__all__ = ["Graph", "Operation", "build_graph", "operations", "topological"]
