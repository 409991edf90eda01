"""Options shared by several commands: output format, and the flags every command accepts.

``-v``, ``--debug`` and ``--no-color`` work before the command name (``vastplan -v plan x.yaml``) and after
it (``vastplan plan -v x.yaml``): people type both, and refusing either is a needless error.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from vastplan.cli import logs
from vastplan.cli.console import Settings, settings_of

_PANEL = "General"


class OutputFormat(str, Enum):
    """Renderings of a plan (DESIGN §10); ``json`` is the plan document itself."""

    text = "text"
    markdown = "markdown"
    json = "json"


FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="text for people, markdown for review comments, json for programs.",
    ),
]
VerboseOpt = Annotated[
    int,
    typer.Option(
        "--verbose",
        "-v",
        count=True,
        rich_help_panel=_PANEL,
        help="Log what happens to stderr; -vv adds HTTP details. Secrets are never logged.",
    ),
]
DebugOpt = Annotated[
    bool,
    typer.Option(
        "--debug",
        rich_help_panel=_PANEL,
        help="Print the traceback of an error after its message (for bug reports).",
    ),
]
NoColorOpt = Annotated[
    bool,
    typer.Option(
        "--no-color", rich_help_panel=_PANEL, help="No colour even on a terminal (NO_COLOR=1 does the same)."
    ),
]


def activate(ctx: typer.Context, verbose: int, debug: bool, no_color: bool) -> Settings:
    """Fold this command's general flags into the run's settings and set up logging."""
    settings = settings_of(ctx)
    settings.merge(verbose=verbose, debug=debug, no_color=no_color)
    logs.configure(settings.verbose)
    return settings
