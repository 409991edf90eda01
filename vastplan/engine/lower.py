"""Lower: ordered operations → the plan's steps, the exact REST calls (docs/internals.md, "A step").

Request bodies come from the kinds and carry only fields the VMS accepts on that call. A reference is the
live object's id, or ``{"$ref": "ADDRESS.id"}`` when the object is created by an earlier step of the same
plan (the executor resolves it from that step's answer). Every create and delete gets the ``lookup`` by
which the executor recovers from an unknown outcome, and every delete the ``tolerate`` entries that mean
"already gone".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vastplan.engine.normalize import thaw
from vastplan.engine.order import Graph, Operation
from vastplan.engine.state import Diagnostic, LiveState, Risk
from vastplan.kinds import get_kind
from vastplan.kinds.base import TENANT_REFERENCE, Kind, Reference, Request


@dataclass
class Lowered:
    steps: list[dict[str, Any]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def ref_to(address: str) -> dict[str, str]:
    """The placeholder for the id of the object an earlier step creates."""
    return {"$ref": f"{address}.id"}


def lower(ordered: Sequence[Operation], graph: Graph, live: LiveState) -> Lowered:
    """Steps, numbered from 1 in ``ordered`` order, with their ``depends_on`` ids."""
    result = Lowered()
    created = {op.address for op in ordered if op.op == "create"}
    built = [(op, _step(op, live, created, result.diagnostics)) for op in ordered]
    kept = [(op, step) for op, step in built if step is not None]
    ids = {op.key: number for number, (op, _) in enumerate(kept, start=1)}
    for op, step in kept:
        step["id"] = ids[op.key]
        step["depends_on"] = sorted(ids[k] for k in graph.needs.get(op.key, ()) if k in ids)
        result.steps.append(step)
    return result


def _step(
    op: Operation, live: LiveState, created: set[str], problems: list[Diagnostic]
) -> dict[str, Any] | None:
    kind = op.kind
    if op.op == "delete":
        return _delete_step(kind, op)
    refs = _resolve(kind, op, live, created, problems)
    if op.op == "create":
        return _create_step(kind, op, refs)
    return _update_step(kind, op, refs, problems)


def _resolve(
    kind: Kind, op: Operation, live: LiveState, created: set[str], problems: list[Diagnostic]
) -> dict[str, Any]:
    """The ids of the objects ``op`` refers to, by request field; for an update only the changed ones."""
    want = op.change.desired
    assert want is not None
    changed = {f.name for f in op.change.fields}
    ids: dict[str, Any] = {}
    for ref in kind.all_references:
        if op.op == "update" and ref.field not in changed:
            continue
        name = kind.desired_reference(want, ref)
        if not name:
            continue
        ids[ref.api_field] = _reference_id(op, ref, name, live, created, problems)
    return ids


def _reference_id(
    op: Operation, ref: Reference, name: str, live: LiveState, created: set[str], problems: list[Diagnostic]
) -> Any:
    target = get_kind(ref.kind).address_of(name=name)
    if target in created:
        return ref_to(target)
    obj = live.get(target)
    if obj is not None and obj.id is not None:
        return obj.id
    if ref is TENANT_REFERENCE and name in live.tenant_ids:
        return live.tenant_ids[name]
    problems.append(
        Diagnostic(
            "error",
            f"{op.address} refers to {target}, which is neither on the cluster "
            "nor declared present in the spec",
            op.address,
        )
    )
    return None


def _create_step(kind: Kind, op: Operation, refs: Mapping[str, Any]) -> dict[str, Any]:
    want = op.change.desired
    assert want is not None
    request = kind.create_request(want, refs)
    tenant_id = refs.get("tenant_id")
    lookup = kind.lookup(name=want.name, path=want.path, tenant_id=tenant_id)
    risk: Risk = kind.create_risk
    return _shape(op, request, risk, lookup, kind.tolerate("create"))


def _update_step(
    kind: Kind, op: Operation, refs: Mapping[str, Any], problems: list[Diagnostic]
) -> dict[str, Any] | None:
    want, have = op.change.desired, op.change.live
    assert want is not None and have is not None
    changed = [f.name for f in op.change.fields]
    request = kind.update_request(have, want, changed, refs)
    if not request.body:
        problems.append(
            Diagnostic(
                "warning",
                f"{op.address}: {', '.join(changed)} cannot be changed by the VMS API; left as it is",
                op.address,
            )
        )
        return None
    # A PATCH sets values: sending it twice does no harm, so no lookup is needed to recover from it.
    return _shape(op, request, op.change.risk, None, kind.tolerate("update"))


def _delete_step(kind: Kind, op: Operation) -> dict[str, Any]:
    have = op.change.live
    assert have is not None
    request = kind.delete_request(have)
    lookup = kind.lookup(name=have.name, path=have.path, tenant_id=have.tenant_id)
    return _shape(op, request, op.change.risk, lookup, kind.tolerate("delete"))


def _shape(
    op: Operation, request: Request, risk: Risk, lookup: dict[str, Any] | None, tolerate: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": 0,
        "address": op.address,
        "action": op.op,
        "method": request.method,
        "path": request.path,
        "params": thaw(request.params),
        "body": thaw(request.body) if request.body is not None else None,
        "depends_on": [],
        "risk": risk,
        "description": op.kind.describe(op.op, op.address),
        "lookup": lookup,
        "tolerate": tolerate,
    }


__all__ = ["Lowered", "lower", "ref_to"]
