"""The planner: spec + live state → the plan document (docs/internals.md, "The plan document").

:func:`make_plan` reads the cluster (refresh) and calls :func:`build_document`, which is pure: compare,
order, lower, and assemble the document, finalised (``plan_digest``, schema check) by
:func:`vastplan.planfile.finalize`. The document's ``target`` is the spec serialised, so that apply can
re-plan against it for verification and repeat the recorded reads for the stale check without the files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

import vastplan
from vastplan import planfile
from vastplan.client.versions import FEATURES
from vastplan.engine.compare import compare, desired_state, worst
from vastplan.engine.errors import EngineError
from vastplan.engine.lower import lower
from vastplan.engine.normalize import thaw
from vastplan.engine.order import build_graph, topological
from vastplan.engine.refresh import fingerprint, read_cluster_info, refresh
from vastplan.engine.state import Change, Diagnostic, FieldChange, LiveState
from vastplan.kinds import get_kind
from vastplan.kinds.base import Client
from vastplan.spec.digest import target_document
from vastplan.spec.model import Scope, SourceRef, Spec, SpecObject

FORMAT_VERSION = "1"
ACTIONS = ("create", "update", "replace", "delete", "noop")


class PlanningError(EngineError):
    """The plan cannot be made: every problem found is listed (``.diagnostics``)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        lines = [
            f"{d.address + ': ' if d.address and d.address not in d.message else ''}{d.message}"
            for d in self.diagnostics
        ]
        super().__init__("cannot plan: " + "; ".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.diagnostics,))


def make_plan(client: Client, spec: Spec, *, endpoint: str, now: datetime | None = None) -> dict[str, Any]:
    """Read the cluster and plan ``spec`` against it; :class:`PlanningError` when the plan cannot be made."""
    desired = desired_state(spec)
    live = refresh(client, desired, spec.scope, spec.default_tenant, cluster=read_cluster_info(client))
    supports = getattr(client, "supports", None)
    return build_document(
        spec, live, endpoint=endpoint, now=now, supports=supports if callable(supports) else None
    )


def build_document(
    spec: Spec,
    live: LiveState,
    *,
    endpoint: str,
    now: datetime | None = None,
    supports: Callable[[str], bool] | None = None,
) -> dict[str, Any]:
    """The finalised plan document of ``spec`` against ``live`` (pure but for the feature check)."""
    desired = desired_state(spec)
    changes = compare(desired, live, spec.scope)
    graph = build_graph(changes)
    lowered = lower(topological(graph), graph, live)
    diagnostics = lowered.diagnostics + _feature_problems(changes, supports) + _unverified_fields(changes)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise PlanningError(errors)
    target = target_of(spec)
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "generator": f"vastplan {vastplan.__version__}",
        "created_at": (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endpoint": endpoint,
        "cluster": {"name": live.cluster.name, "version": live.cluster.version or "unknown"},
        "spec_files": list(spec.files),
        "spec_digest": spec.digest or planfile.digest_of(target),
        "observed_digest": planfile.digest_of(fingerprint(live, desired)),
        "summary": summary(changes),
        "max_risk": worst(changes) or "none",
        "changes": [change_json(c) for c in changes],
        "steps": lowered.steps,
        "target": target,
        "observed": {"reads": [r.to_json() for r in live.reads], "count": len(live.objects)},
        "diagnostics": [d.to_json() for d in diagnostics],
    }
    # The schema pass is left to write_plan/read_plan: in memory it would cost seconds per thousand objects
    # and prove nothing the planner's own tests (tests/engine/test_planner.py) do not.
    return planfile.finalize(doc, check_schema=False)


def _feature_problems(changes: Sequence[Change], supports: Callable[[str], bool] | None) -> list[Diagnostic]:
    """Deletes the cluster's version cannot do (a kind's ``delete_feature``: folders need the trash API,
    VAST 4.7 or later; VMS_API.md §4.6)."""
    problems: list[Diagnostic] = []
    for change in changes:
        feature = get_kind(change.kind).delete_feature
        if change.action not in ("delete", "replace") or not feature or supports is None or supports(feature):
            continue
        known = FEATURES.get(feature)
        needs = (
            f"{known.description} needs VAST {'.'.join(map(str, known.minimum))} or later"
            if known
            else f"it needs {feature}"
        )
        problems.append(
            Diagnostic(
                "error",
                f"cannot delete {change.address}: {needs}, and this cluster's version is older",
                change.address,
            )
        )
    return problems


def _unverified_fields(changes: Sequence[Change]) -> list[Diagnostic]:
    """Fields the spec sets on an existing object that the VMS did not return (``is_physical_quota`` is
    settable on create but never read back, VMS_FIELDS.md). Compare cannot check them, so the plan may say
    "matches" where the cluster differs: the reviewer is told rather than left to trust a silent noop."""
    found: list[Diagnostic] = []
    for change in changes:
        want, have = change.desired, change.live
        if want is None or have is None or want.state == "absent":
            continue
        missing = sorted(set(want.compare) - set(have.fields))
        if not missing:
            continue
        pronoun = "it" if len(missing) == 1 else "them"
        message = (
            f"the VMS does not report {', '.join(missing)}: this plan cannot check {pronoun} against the spec"
        )
        replaced = [name for name in missing if get_kind(change.kind).forces_replacement(name)]
        if replaced:
            message += (
                f"; {', '.join(replaced)} is set only when the object is created (to change it, declare the "
                "object absent, apply, and declare it again)"
            )
        found.append(Diagnostic("warning", message, change.address))
    return found


def summary(changes: Sequence[Change]) -> dict[str, int]:
    counts = dict.fromkeys(ACTIONS, 0)
    for change in changes:
        counts[change.action] += 1
    return counts


def change_json(change: Change) -> dict[str, Any]:
    noop = change.action == "noop"
    return {
        "address": change.address,
        "kind": change.kind,
        "action": change.action,
        "risk": change.risk,
        "reason": change.reason,
        "before": None if noop or change.before is None else thaw(change.before),
        "after": None if noop or change.after is None else thaw(change.after),
        "fields": [] if noop else [field_json(f) for f in change.fields],
    }


def field_json(change: FieldChange) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": change.name,
        "before": thaw(change.before),
        "after": thaw(change.after),
        "forces_replacement": change.forces_replacement,
        "risk": change.risk,
    }
    if change.added is not None:
        data["added"] = thaw(change.added)
        data["removed"] = thaw(change.removed or ())
    return data


# ------------------------------------------------------------------------------------------------- target


#: The spec as plan data: what verification re-plans against (docs/internals.md).
target_of = target_document


def spec_of(target: Mapping[str, Any], files: Sequence[str] = ()) -> Spec:
    """The :class:`Spec` a plan's ``target`` was made from."""
    scope = target.get("scope") or {}
    objects = tuple(
        SpecObject(
            kind=o["kind"],
            address=o["address"],
            fields=MappingProxyType(dict(o.get("fields") or {})),
            tenant=o.get("tenant"),
            state=o.get("state", "present"),
            source=SourceRef("<plan target>", None, f"/target/objects/{n}"),
        )
        for n, o in enumerate(target.get("objects") or [])
    )
    tenants = scope.get("tenants")
    return Spec(
        objects=objects,
        scope=Scope(
            paths=tuple(scope.get("paths") or ()),
            names=tuple(scope.get("names") or ()),
            prune=bool(scope.get("prune", False)),
            **({"tenants": frozenset(tenants)} if tenants is not None else {}),
        ),
        default_tenant=str(target.get("default_tenant") or "default"),
        files=tuple(files),
    )


__all__ = [
    "FORMAT_VERSION",
    "PlanningError",
    "build_document",
    "change_json",
    "make_plan",
    "spec_of",
    "summary",
    "target_of",
]
