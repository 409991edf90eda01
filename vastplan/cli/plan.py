"""``vastplan plan SPEC...``: compare the specs with the cluster and show (and optionally save) the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vastplan.cli.connection import (
    CaBundleOpt,
    ConnectionOptions,
    EndpointOpt,
    InsecureOpt,
    TenantOpt,
    UserOpt,
    open_client,
)
from vastplan.cli.console import note
from vastplan.cli.failures import EXIT_CHANGES
from vastplan.cli.options import DebugOpt, FormatOpt, NoColorOpt, OutputFormat, VerboseOpt, activate
from vastplan.cli.plandoc import doc_of, has_changes
from vastplan.cli.show import print_plan
from vastplan.cli.validate import SpecArgs, spec_names

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", metavar="PLAN.json", help="Save the plan, to review it and apply exactly it later."
    ),
]
DetailedOpt = Annotated[
    bool,
    typer.Option(
        "--detailed-exitcode", help="Exit 0 when there are no changes, 2 when there are (1 stays an error)."
    ),
]


def plan(
    ctx: typer.Context,
    specs: SpecArgs,
    out: OutOpt = None,
    fmt: FormatOpt = OutputFormat.text,
    detailed_exitcode: DetailedOpt = False,
    endpoint: EndpointOpt = None,
    tenant: TenantOpt = None,
    ca_bundle: CaBundleOpt = None,
    insecure: InsecureOpt = False,
    user: UserOpt = None,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Show what apply would change on the cluster. Reads only; changes nothing."""
    settings = activate(ctx, verbose, debug, no_color)
    from vastplan import api

    spec = api.load_spec(spec_names(specs))
    with open_client(ConnectionOptions(endpoint, tenant, ca_bundle, insecure, user)) as client:
        result = api.plan(client, spec)
    print_plan(result, fmt, settings)
    if out is not None:
        save_plan(result, out)
    if detailed_exitcode and has_changes(doc_of(result)):
        raise typer.Exit(EXIT_CHANGES)


def save_plan(result: object, out: Path) -> None:
    from vastplan.planfile import write_plan

    write_plan(doc_of(result), out)
    digest = doc_of(result).get("plan_digest", "")
    note(
        f"Saved the plan to {out}. Apply exactly this plan with:\n"
        f"  vastplan apply {out} --expect-digest {digest}"
    )
