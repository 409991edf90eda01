"""``vastplan validate SPEC...``: check spec files without contacting a cluster."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from vastplan.cli.console import emit
from vastplan.cli.options import DebugOpt, NoColorOpt, VerboseOpt, activate

SpecArgs = Annotated[
    list[Path],
    typer.Argument(metavar="SPEC", help="Spec files (YAML); several files merge into one target state."),
]


def spec_names(specs: list[Path]) -> list[str]:
    """File names as the user typed them: they appear in messages and in the plan's spec_files."""
    return [str(p) for p in specs]


def validate(
    ctx: typer.Context,
    specs: SpecArgs,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Check spec files: syntax, fields, references, duplicates. Contacts no cluster."""
    activate(ctx, verbose, debug, no_color)
    from vastplan.spec import load_spec  # not vastplan.api: validate needs no engine and no client

    spec = load_spec(spec_names(specs))
    counts = Counter(obj.kind for obj in spec.objects)
    listing = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no objects"
    files = "1 file" if len(specs) == 1 else f"{len(specs)} files"
    emit(f"Valid: {files}, {len(spec.objects)} objects ({listing}).")
