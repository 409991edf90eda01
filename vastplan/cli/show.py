"""``vastplan show PLAN.json``: render a saved plan, with no cluster contact."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from vastplan.cli.console import Settings, color_enabled, emit
from vastplan.cli.options import DebugOpt, FormatOpt, NoColorOpt, OutputFormat, VerboseOpt, activate


def print_plan(plan_or_doc: Any, fmt: OutputFormat, settings: Settings) -> None:
    """Render a plan to stdout; colour only for text on a terminal."""
    from vastplan import api

    color = fmt is OutputFormat.text and color_enabled(settings, sys.stdout)
    emit(api.render(plan_or_doc, fmt.value, color=color))


def show(
    ctx: typer.Context,
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN.json", help="A plan saved by plan --out.")],
    fmt: FormatOpt = OutputFormat.text,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Show a saved plan. The file's digests are checked: a tampered plan is refused."""
    settings = activate(ctx, verbose, debug, no_color)
    from vastplan.planfile import read_plan

    print_plan(read_plan(plan_file), fmt, settings)
