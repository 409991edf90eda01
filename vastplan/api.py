"""The public Python API of vastplan: load a spec, plan it against a cluster, apply the plan.

This is the surface the command line, the Manila driver and users' own code call; everything else is
internal. A complete session against the embedded simulator::

    from vastplan import api
    from vastplan.client import ConnectionConfig, VmsClient
    from vastplan.sim import Simulator

    sim = Simulator()
    client = VmsClient(ConnectionConfig(endpoint="sim://demo", username="admin", password="123456"),
                       adapter=sim.adapter())
    spec = api.load_documents([("inline", {
        "version": 1,
        "viewpolicies": [{"name": "alpha-ro", "nfs_read_only": ["10.0.0.0/24"]}],
        "views": [{"path": "/projects/alpha", "policy": "alpha-ro", "protocols": ["NFS"],
                   "create_dir": True}],
    })])
    plan = api.plan(client, spec)
    print(api.render(plan, "text"))
    result = api.apply(client, plan)          # refuses stale plans and unconsented data loss
    assert not api.plan(client, spec).has_changes

Errors (all under :class:`vastplan.errors.VastplanError`): :class:`~vastplan.spec.SpecError` for a bad spec,
:class:`~vastplan.client.VmsError` for the cluster, :class:`PlanningError` when a plan cannot be made, and
for apply :class:`~vastplan.engine.errors.DigestMismatch`, :class:`~vastplan.engine.errors.DataLossRefused`,
:class:`~vastplan.engine.errors.StalePlanError`, :class:`~vastplan.engine.errors.ApplyFailed` and
:class:`~vastplan.engine.errors.NotConverged`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from vastplan import planfile
from vastplan.engine.compare import compare, desired_state
from vastplan.engine.errors import (
    ApplyFailed,
    DataLossRefused,
    DigestMismatch,
    NotConverged,
    StalePlanError,
)
from vastplan.engine.executor import ApplyEvent, ApplyReport, RetryPolicy, execute_steps
from vastplan.engine.export import export_document
from vastplan.engine.planner import PlanningError, make_plan, spec_of
from vastplan.engine.refresh import fingerprint, reread
from vastplan.engine.state import Read
from vastplan.spec.model import Spec

if TYPE_CHECKING:
    from vastplan.render import Format

__all__ = [
    "ApplyResult",
    "Plan",
    "PlanningError",
    "apply",
    "check_fresh",
    "export_spec",
    "load_documents",
    "load_spec",
    "plan",
    "plan_and_apply",
    "render",
]

_DIGEST_RE = re.compile(r"^(sha256:)?[0-9a-f]{64}$")


def load_spec(paths: Iterable[str]) -> Spec:
    """Read and validate spec files (YAML); several files merge into one spec.

    Raises :class:`vastplan.spec.SpecError` listing every problem with file, line and JSON path::

        spec = api.load_spec(["cluster/base.yaml", "cluster/alpha.yaml"])
    """
    from vastplan.spec import load_spec as _load_spec

    return _load_spec(list(paths))


def load_documents(docs: Iterable[tuple[str, Mapping[str, Any]]]) -> Spec:
    """Validate spec documents built in memory, each given with a name used in messages::

    spec = api.load_documents([("share-42", {"version": 1, "views": [...]})])
    """
    from vastplan.spec import load_documents as _load_documents

    return _load_documents(list(docs))


@dataclass(frozen=True)
class Plan:
    """A plan: the plan document (``doc``, a JSON-able dict, the same as ``plan --format json`` writes)
    and convenient views of it. Immutable: ``doc`` is a private copy; don't change it.

    ::

        plan = api.plan(client, spec)
        if plan.has_changes:
            print(plan.summary, plan.max_risk, plan.digest)
    """

    doc: Mapping[str, Any]

    @property
    def has_changes(self) -> bool:
        """Whether anything would be created, updated, replaced or deleted."""
        return any(c["action"] != "noop" for c in self.doc["changes"])

    @property
    def max_risk(self) -> str:
        """``"none"``, ``"safe"``, ``"disruptive"`` or ``"data-loss"``."""
        return str(self.doc["max_risk"])

    @property
    def digest(self) -> str:
        """``plan_digest``: what a reviewer approves (``apply(..., expect_digest=...)``)."""
        return str(self.doc["plan_digest"])

    @property
    def summary(self) -> Mapping[str, int]:
        """Counts per action: ``{"create": 1, "update": 0, "replace": 0, "delete": 0, "noop": 4}``."""
        return MappingProxyType(dict(self.doc["summary"]))

    @property
    def data_loss_changes(self) -> tuple[str, ...]:
        """Addresses of the changes whose risk is data-loss (apply refuses them without consent)."""
        return tuple(
            c["address"] for c in self.doc["changes"] if c["action"] != "noop" and c["risk"] == "data-loss"
        )

    @property
    def changes(self) -> tuple[Mapping[str, Any], ...]:
        """The changes that do something (noops left out)."""
        return tuple(c for c in self.doc["changes"] if c["action"] != "noop")


PlanLike = Plan | Mapping[str, Any]


@dataclass(frozen=True)
class ApplyResult:
    """What apply did: the executor's step-by-step ``report`` and the ``verification`` plan made after it
    (None when ``verify=False``), which has no changes whenever apply returns."""

    report: ApplyReport
    verification: Plan | None


def plan(client: Any, spec: Spec, *, endpoint_label: str | None = None) -> Plan:
    """Read the cluster and plan ``spec`` against it (one list per kind; no change is made).

    ``endpoint_label`` names the cluster in the plan (default: the client's endpoint, never with
    credentials). Raises :class:`PlanningError` when the plan cannot be made (a reference to an object that
    is neither declared nor on the cluster; a folder delete on a cluster without the trash API)::

        plan = api.plan(client, api.load_spec(["site.yaml"]))
        print(api.render(plan, "markdown"))
    """
    label = endpoint_label or str(getattr(client, "endpoint", "") or "")
    return Plan(make_plan(client, spec, endpoint=label))


def apply(
    client: Any,
    plan_or_doc: PlanLike,
    *,
    allow_data_loss: bool = False,
    parallelism: int = 8,
    expect_digest: str | None = None,
    on_event: Callable[[ApplyEvent], object] | None = None,
    verify: bool = True,
    retry: RetryPolicy | None = None,
) -> ApplyResult:
    """Apply a plan, safely (DESIGN §5, §6). In order, before any change is sent:

    1. ``expect_digest`` given: the plan must be exactly the approved one (:class:`DigestMismatch`);
    2. data-loss changes need ``allow_data_loss=True`` (:class:`DataLossRefused` names them);
    3. the cluster must still be as planned: the plan's reads are repeated and fingerprinted again
       (:class:`StalePlanError` says what changed: re-plan).

    Then the steps run (:class:`ApplyFailed` carries the step-by-step report when one fails; planning
    again continues from there), and with ``verify`` the target is planned again: anything left is
    :class:`NotConverged`. ``on_event`` receives progress events from worker threads::

        result = api.apply(client, plan, allow_data_loss=False, expect_digest=approved_digest)
        print(result.report.summary_line())
    """
    doc = _document(plan_or_doc)
    if expect_digest is not None:
        _check_digest(doc, expect_digest)
    refused = Plan(doc).data_loss_changes
    if refused and not allow_data_loss:
        raise DataLossRefused(refused)
    target = spec_of(doc["target"], doc.get("spec_files") or ())
    _check_fresh(client, doc, target)
    report = execute_steps(
        client, doc["steps"], parallelism=parallelism, retry=retry or RetryPolicy(), on_event=on_event
    )
    if not report.ok:
        raise ApplyFailed(report)
    if not verify:
        return ApplyResult(report, None)
    after = Plan(make_plan(client, target, endpoint=str(doc.get("endpoint", ""))))
    if after.has_changes:
        raise NotConverged([c["address"] for c in after.changes])
    return ApplyResult(report, after)


def check_fresh(client: Any, plan_or_doc: PlanLike) -> None:
    """Refuse a plan made before the cluster changed (:class:`StalePlanError`), sending no change.

    :func:`apply` makes this check itself; call it first to refuse a stale saved plan before asking anyone
    to confirm it (the command line does). It repeats the plan's reads (one list per kind)::

        api.check_fresh(client, planfile.read_plan("plan.json"))
    """
    doc = _document(plan_or_doc)
    _check_fresh(client, doc, spec_of(doc["target"], doc.get("spec_files") or ()))


def plan_and_apply(
    client: Any, spec: Spec, *, endpoint_label: str | None = None, **kwargs: Any
) -> ApplyResult:
    """Plan ``spec`` and apply the plan at once (the keyword arguments are :func:`apply`'s)::

    api.plan_and_apply(client, spec, allow_data_loss=True, parallelism=4)
    """
    return apply(client, plan(client, spec, endpoint_label=endpoint_label), **kwargs)


def render(plan_or_doc: PlanLike, fmt: Format = "text", color: bool = False) -> str:
    """The plan as ``"text"``, ``"markdown"`` or ``"json"`` (see :mod:`vastplan.render`)::

    print(api.render(plan, "text", color=sys.stdout.isatty()))
    """
    from vastplan.render import render as _render

    return _render(dict(_document(plan_or_doc)), fmt, color=color)


def export_spec(
    client: Any,
    *,
    kinds: Sequence[str] | None = None,
    path_prefixes: Sequence[str] = (),
    name_prefixes: Sequence[str] = (),
    tenant: str | None = None,
) -> dict[str, Any]:
    """A spec document (a dict ready for YAML) describing the live objects in a scope, which plans to no
    changes against the cluster it came from: the way to adopt an existing cluster.

    ``kinds`` limits the kinds (default: all but tenants and folders, which are emitted as needed);
    ``path_prefixes`` and ``name_prefixes`` select objects as a spec's ``scope`` does (and become it);
    ``tenant`` keeps one tenant's objects only::

        doc = api.export_spec(client, path_prefixes=["/projects/alpha"])
        yaml.safe_dump(doc, open("alpha.yaml", "w"), sort_keys=False)
    """
    return export_document(
        client, kinds=kinds, path_prefixes=path_prefixes, name_prefixes=name_prefixes, tenant=tenant
    )


# ------------------------------------------------------------------------------------------------ helpers


def _document(plan_or_doc: PlanLike) -> Mapping[str, Any]:
    if isinstance(plan_or_doc, Plan):
        return plan_or_doc.doc
    planfile.validate_plan(plan_or_doc)
    return plan_or_doc


def _check_digest(doc: Mapping[str, Any], expected: str) -> None:
    wanted = expected.strip().lower()
    if not _DIGEST_RE.match(wanted):
        raise DigestMismatch(expected, str(doc.get("plan_digest")))
    wanted = wanted if wanted.startswith("sha256:") else "sha256:" + wanted
    actual = planfile.compute_plan_digest(doc)
    if actual != wanted or doc.get("plan_digest") != actual:
        raise DigestMismatch(wanted, actual)


def _check_fresh(client: Any, doc: Mapping[str, Any], target: Spec) -> None:
    """Repeat the plan's reads; refuse the plan if what they find is not what it was made from."""
    reads = [
        Read(r["kind"], r["path"], MappingProxyType(dict(r.get("params") or {})))
        for r in doc["observed"]["reads"]
    ]
    desired = desired_state(target)
    live = reread(client, reads, desired, target.scope, target.default_tenant)
    actual = planfile.digest_of(fingerprint(live, desired))
    if actual == doc["observed_digest"]:
        return
    raise StalePlanError(doc["observed_digest"], actual, _moved(doc, desired, live, target))


def _moved(doc: Mapping[str, Any], desired: Any, live: Any, target: Spec) -> list[str]:
    """The addresses whose change now differs from the plan's (cheap: in memory, no more reads)."""
    from vastplan.engine.planner import change_json

    planned = {c["address"]: c for c in doc["changes"]}
    now = {c.address: change_json(c) for c in compare(desired, live, target.scope)}
    return sorted(a for a in set(planned) | set(now) if planned.get(a) != now.get(a))
