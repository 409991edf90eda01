"""``vastplan apply SPEC...|PLAN.json``: change the cluster to match, after showing the plan and asking.

``apply PLAN.json`` applies exactly the reviewed plan: the engine refuses it when the cluster changed since
(stale) and, with ``--expect-digest``, when it is not the approved plan. Every refusal the command line can
foresee (no way to confirm, data loss not allowed, wrong digest) happens before the question and before
any mutating call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vastplan.cli.account import print_account
from vastplan.cli.confirm import ask, require_way_to_confirm
from vastplan.cli.connection import (
    CaBundleOpt,
    ConnectionOptions,
    EndpointOpt,
    InsecureOpt,
    TenantOpt,
    UserOpt,
    open_client,
)
from vastplan.cli.console import Settings
from vastplan.cli.failures import CliError
from vastplan.cli.options import DebugOpt, NoColorOpt, OutputFormat, VerboseOpt, activate
from vastplan.cli.plandoc import (
    PlanDoc,
    data_loss_changes,
    doc_of,
    has_changes,
    is_plan_file,
    pending_changes,
    step_count,
)
from vastplan.cli.progress import ApplyProgress
from vastplan.cli.show import print_plan
from vastplan.cli.validate import spec_names

if TYPE_CHECKING:
    from vastplan.spec.model import Spec

TargetArgs = Annotated[
    list[Path],
    typer.Argument(
        metavar="SPEC|PLAN.json", help="Spec files to plan and apply, or one plan saved by plan --out."
    ),
]
AutoApproveOpt = Annotated[
    bool, typer.Option("--auto-approve", help="Apply without asking. Needed when there is no terminal (CI).")
]
AllowDataLossOpt = Annotated[
    bool,
    typer.Option(
        "--allow-data-loss",
        help="Allow changes that lose data: deleting folders or snapshots, lowering quotas.",
    ),
]
ParallelismOpt = Annotated[
    int,
    typer.Option("--parallelism", min=1, max=64, metavar="N", help="How many independent steps run at once."),
]
ExpectDigestOpt = Annotated[
    str | None,
    typer.Option(
        "--expect-digest",
        metavar="sha256:...",
        help="Apply only if the plan's digest is this one (the approved plan).",
    ),
]


def apply(
    ctx: typer.Context,
    targets: TargetArgs,
    auto_approve: AutoApproveOpt = False,
    allow_data_loss: AllowDataLossOpt = False,
    parallelism: ParallelismOpt = 8,
    expect_digest: ExpectDigestOpt = None,
    endpoint: EndpointOpt = None,
    tenant: TenantOpt = None,
    ca_bundle: CaBundleOpt = None,
    insecure: InsecureOpt = False,
    user: UserOpt = None,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Apply specs (planning first) or a saved plan, after showing it and asking for confirmation."""
    settings = activate(ctx, verbose, debug, no_color)
    require_way_to_confirm(auto_approve)
    from vastplan import api

    # Both are read before connecting: a bad spec or a tampered plan never reaches the cluster.
    source = _read_saved_plan(targets) or api.load_spec(spec_names(targets))
    with open_client(ConnectionOptions(endpoint, tenant, ca_bundle, insecure, user)) as client:
        plan = _plan_to_apply(client, source, targets[0])
        doc = doc_of(plan)
        print_plan(plan, OutputFormat.text, settings)
        if not has_changes(doc):
            return  # the rendering has said "No changes"
        _refuse_early(doc, allow_data_loss, expect_digest)
        if not auto_approve:
            ask(_question(doc, allow_data_loss))
        _run(
            client,
            plan,
            settings,
            allow_data_loss=allow_data_loss,
            parallelism=parallelism,
            expect_digest=expect_digest,
        )


def _read_saved_plan(targets: list[Path]) -> PlanDoc | None:
    if not is_plan_file(targets):
        return None
    from vastplan.planfile import read_plan

    return doc_of(read_plan(targets[0]))


def _plan_to_apply(client: Any, source: PlanDoc | Spec, first_target: Path) -> Any:
    """The saved plan (for this cluster only, and only while the cluster is as it was planned), or a fresh
    plan of the specs."""
    from vastplan import api

    if isinstance(source, dict):
        _check_same_cluster(source, str(client.endpoint), first_target)
        # A stale plan is refused now, not after someone has read it and typed "yes" (apply checks again
        # just before the first change, in case the cluster changed while they read).
        api.check_fresh(client, source)
        return source
    return api.plan(client, source)


def _check_same_cluster(doc: PlanDoc, endpoint: str, plan_file: Path) -> None:
    """A saved plan applies to the cluster it was made for. The stale check would not catch a plan for
    one empty cluster applied to another, so the endpoints must match as the plan recorded it."""
    planned = doc.get("endpoint") or ""
    if planned and planned != endpoint:
        raise CliError(
            f"{plan_file} was planned against {planned}, but the endpoint now is {endpoint}: a saved plan "
            f"applies only to the cluster it was made for (use --endpoint {planned}, or plan again)"
        )


def _refuse_early(doc: PlanDoc, allow_data_loss: bool, expect_digest: str | None) -> None:
    """The engine's own refusals, raised before the question rather than after a person said yes."""
    from vastplan.engine.errors import DataLossRefused
    from vastplan.planfile import check_expected_digest

    if expect_digest is not None:
        check_expected_digest(doc, expect_digest)
    losses = data_loss_changes(doc)
    if losses and not allow_data_loss:
        raise DataLossRefused([c["address"] for c in losses])


def _question(doc: PlanDoc, allow_data_loss: bool) -> str:
    count = len(pending_changes(doc))
    question = f"Apply {count} change{'s' if count != 1 else ''} to {doc.get('endpoint') or 'the cluster'}?"
    losses = data_loss_changes(doc)
    if losses and allow_data_loss:
        question += f"\n{len(losses)} of them LOSE DATA: " + ", ".join(c["address"] for c in losses)
    return question


def _run(client: Any, plan: Any, settings: Settings, **options: Any) -> None:
    """Apply with a progress bar, then account for every step, whether apply succeeded or not."""
    from vastplan import api
    from vastplan.engine.errors import ApplyFailed

    try:
        with ApplyProgress(step_count(doc_of(plan)), settings) as progress:
            result = api.apply(client, plan, on_event=progress.on_event, **options)
    except ApplyFailed as failure:
        print_account(failure.report, settings)  # the bar is gone by now: the with block has closed it
        raise
    print_account(result.report, settings)
