"""``vastplan export``: write the cluster's objects as a spec that plans to no changes (DESIGN §10).

The way to adopt an existing cluster: export, commit, and from then on change it through the spec.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from vastplan.address import KIND_ORDER, SPEC_KEYS
from vastplan.cli.connection import (
    CaBundleOpt,
    ConnectionOptions,
    EndpointOpt,
    InsecureOpt,
    TenantOpt,
    UserOpt,
    open_client,
)
from vastplan.cli.console import emit, note
from vastplan.cli.options import DebugOpt, NoColorOpt, VerboseOpt, activate
from vastplan.cli.spec_yaml import dump, write_atomically


def _known_kinds(values: list[str] | None) -> list[str] | None:
    for value in values or []:
        if value not in KIND_ORDER:
            raise typer.BadParameter(f"unknown kind {value!r}; choose from {', '.join(KIND_ORDER)}")
    return values


KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        callback=_known_kinds,
        help=f"Export only this kind (repeatable): {', '.join(KIND_ORDER)}. Default: all.",
    ),
]
PathPrefixOpt = Annotated[
    list[str] | None,
    typer.Option("--path-prefix", metavar="PATH", help="Only objects on or under this path (repeatable)."),
]
NamePrefixOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--name-prefix", metavar="PREFIX", help="Only objects whose name starts with this (repeatable)."
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="SPEC.yaml", help="Write the spec to this file instead of stdout."),
]


def export(
    ctx: typer.Context,
    kind: KindOpt = None,
    path_prefix: PathPrefixOpt = None,
    name_prefix: NamePrefixOpt = None,
    out: OutOpt = None,
    endpoint: EndpointOpt = None,
    tenant: TenantOpt = None,
    ca_bundle: CaBundleOpt = None,
    insecure: InsecureOpt = False,
    user: UserOpt = None,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Write the cluster's objects as a spec. With --tenant, only that tenant's objects."""
    activate(ctx, verbose, debug, no_color)
    from vastplan import api

    options = ConnectionOptions(endpoint, tenant, ca_bundle, insecure, user)
    with open_client(options) as client:
        document = api.export_spec(
            client,
            kinds=kind or None,
            path_prefixes=tuple(path_prefix or ()),
            name_prefixes=tuple(name_prefix or ()),
            tenant=tenant or os.environ.get("VAST_TENANT") or None,
        )
        source = client.endpoint
    if not any(document.get(key) for key in SPEC_KEYS):
        note("Nothing matched: the exported spec lists no objects.")
    text = dump(document, source=source, out=out)
    if out is None:
        emit(text)
        return
    write_atomically(out, text)
    note(f"Exported to {out}. `vastplan plan {out}` against this cluster shows no changes.")
