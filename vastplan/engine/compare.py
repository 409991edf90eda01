"""Compare: the changes that take the live state to the desired one (DESIGN §2, §5).

Pure functions over immutable values. Field by field, over normalised values, with deepdiff:

- only fields the spec writes are managed; a field it does not write is left alone, whatever its value;
- the kinds normalise both sides (sets, sizes, paths, durations, defaults), so a difference of spelling is
  never a change, and server-computed fields are never compared (they are not spec fields);
- a field the VMS does not return (some create-only fields are not readable, VMS_FIELDS.md) cannot be
  compared and is not;
- a change of a create-only field replaces the object, with the field named in the reason; so does the
  replacement of an object it refers to (the VMS refuses to delete a policy a view uses, or a tenant that
  holds objects);
- ``state: absent`` deletes; ``scope.prune`` deletes what is in scope and undeclared, and nothing else.

Adoption: an object that already exists and is declared is managed like any other — the plan shows an
update or a noop for it. Without a state file the engine cannot know whether an earlier apply created it,
and the spec saying so is the consent; objects that are not declared are only ever touched by prune, inside
the scope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from deepdiff import DeepDiff

from vastplan.engine.normalize import project, thaw
from vastplan.engine.refresh import prunable
from vastplan.engine.state import Change, DesiredObject, FieldChange, LiveObject, LiveState, Risk, max_risk
from vastplan.kinds import all_kinds, get_kind
from vastplan.kinds.base import TENANT_REFERENCE, Kind
from vastplan.spec.model import Scope, Spec

PRUNE_REASON = "in scope but not in the spec (prune)"


def desired_state(spec: Spec) -> tuple[DesiredObject, ...]:
    """The spec's objects as the kinds see them, sorted by address."""
    return tuple(get_kind(obj.kind).desired(obj, spec.default_tenant) for obj in spec.objects)


def compare(desired: Sequence[DesiredObject], live: LiveState, scope: Scope) -> tuple[Change, ...]:
    """Every change (noops included), sorted by address."""
    changes = {d.address: _compare_one(d, live.get(d.address)) for d in desired}
    for address, obj in live.objects.items():
        if address not in changes and prunable(get_kind(obj.kind), obj, scope):
            kind = get_kind(obj.kind)
            changes[address] = Change(
                address,
                obj.kind,
                "delete",
                kind.delete_risk,
                PRUNE_REASON,
                before=_summary(kind, obj),
                live=obj,
            )
    return tuple(sorted(_cascade_replacements(changes).values(), key=lambda c: c.address))


def _compare_one(want: DesiredObject, have: LiveObject | None) -> Change:
    kind = get_kind(want.kind)
    if want.state == "absent":
        if have is None:
            return Change(want.address, want.kind, "noop", "safe", "absent, as declared", desired=want)
        return Change(
            want.address,
            want.kind,
            "delete",
            kind.delete_risk,
            "declared absent",
            before=_summary(kind, have),
            desired=want,
            live=have,
        )
    if have is None:
        return Change(
            want.address,
            want.kind,
            "create",
            kind.create_risk,
            "does not exist",
            after=_after(kind, want),
            desired=want,
        )
    fields = field_changes(kind, want, have)
    if not fields:
        return Change(want.address, want.kind, "noop", "safe", "matches the spec", desired=want, live=have)
    before = {f.name: f.before for f in fields}
    after = {f.name: f.after for f in fields}
    forcing = [f.name for f in fields if f.forces_replacement]
    if forcing:
        reason = f"{_names(forcing)} {'forces' if len(forcing) == 1 else 'force'} replacement"
        risk = max_risk(kind.replace_risk(), *(f.risk for f in fields))
        return Change(want.address, want.kind, "replace", risk, reason, fields, before, after, want, have)
    reason = f"{_names([f.name for f in fields])} {'differs' if len(fields) == 1 else 'differ'}"
    risk = max_risk(*(f.risk for f in fields))
    return Change(want.address, want.kind, "update", risk, reason, fields, before, after, want, have)


def field_changes(kind: Kind, want: DesiredObject, have: LiveObject) -> tuple[FieldChange, ...]:
    """The managed fields whose normalised values differ, in name order."""
    found: list[FieldChange] = []
    if kind.tenant_scoped and want.tenant != have.tenant:
        found.append(
            FieldChange(
                TENANT_REFERENCE.field,
                have.tenant,
                want.tenant,
                forces_replacement=True,
                risk=kind.replace_risk(),
            )
        )
    for name in sorted(want.compare):
        if name not in have.fields:
            continue  # the VMS does not return it: nothing to compare with
        target = want.compare[name]
        current = project(have.fields[name], target)
        # Equal normalised values are the common case: skip deepdiff's deeper (and slower) look for them.
        if current == target or not DeepDiff(thaw(current), thaw(target)):
            continue
        found.append(_field_change(kind, name, current, target))
    return tuple(sorted(found, key=lambda f: f.name))


def _field_change(kind: Kind, name: str, current: Any, target: Any) -> FieldChange:
    added = removed = None
    if name in kind.fields.sets:
        added = tuple(thaw(v) for v in target if v not in current)
        removed = tuple(thaw(v) for v in current if v not in target)
    change = FieldChange(
        name, thaw(current), thaw(target), kind.forces_replacement(name), "safe", added, removed
    )
    risk = kind.replace_risk() if change.forces_replacement else kind.field_risk(change)
    return replace(change, risk=risk)


def _cascade_replacements(changes: dict[str, Change]) -> dict[str, Change]:
    """Replace the objects that refer to a replaced object, in creation order so that it propagates
    (a replaced tenant replaces its policies, which replace their views)."""
    result = dict(changes)
    for kind in all_kinds():
        for address, change in sorted(result.items()):
            if change.kind != kind.name or change.action not in ("update", "noop") or change.live is None:
                continue
            cause = _replaced_reference(kind, change, result)
            if cause:
                risk = max_risk(kind.replace_risk(), change.risk)
                result[address] = replace(
                    change,
                    action="replace",
                    risk=risk,
                    reason=f"{cause} is replaced",
                    before=change.before or {},
                    after=change.after or {},
                )
    return result


def _replaced_reference(kind: Kind, change: Change, changes: Mapping[str, Change]) -> str | None:
    assert change.live is not None
    for ref in kind.all_references:
        name = kind.live_reference(change.live, ref)
        if not name:
            continue
        target = get_kind(ref.kind).address_of(name=name)
        if target in changes and changes[target].action == "replace":
            return target
    return None


def _after(kind: Kind, want: DesiredObject) -> dict[str, Any]:
    after = {k: thaw(v) for k, v in want.compare.items()}
    if kind.tenant_scoped:
        after[TENANT_REFERENCE.field] = want.tenant
    return after


def _summary(kind: Kind, obj: LiveObject) -> dict[str, Any]:
    """What a deleted object looks like: its non-empty settable fields, and its tenant."""
    summary = {k: thaw(v) for k, v in sorted(obj.fields.items()) if v not in (None, (), "", False)}
    if kind.tenant_scoped:
        summary[TENANT_REFERENCE.field] = obj.tenant
    return summary


def _names(names: Sequence[str]) -> str:
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:3])} and {len(names) - 3} more"


def worst(changes: Sequence[Change]) -> Risk | None:
    """The highest risk among the changes that do something, None when none does."""
    acting = [c.risk for c in changes if c.action != "noop"]
    return max_risk(*acting) if acting else None


__all__ = ["PRUNE_REASON", "compare", "desired_state", "field_changes", "worst"]
