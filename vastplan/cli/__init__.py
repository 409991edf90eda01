"""The ``vastplan`` command line (DESIGN §10). ``main()`` is the console script's entry point.

One module per command (``validate``, ``plan``, ``show``, ``apply``, ``export``, ``sim``) and per concern:
``connection`` (flags, environment, login prompt), ``console`` (streams, colour), ``progress`` and
``account`` (applies), ``failures`` (errors → messages and exit codes), ``logs`` and ``redact``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from vastplan.cli.app import app
from vastplan.cli.console import Settings
from vastplan.cli.failures import EXIT_OK, report

__all__ = ["app", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (never raise, never print a traceback unasked)."""
    settings = Settings()
    command = typer.main.get_command(app)
    try:
        # standalone_mode=False: errors come back here instead of typer's own handling (exit code 2 for
        # usage errors, boxed tracebacks), so every failure ends the same way: a message and exit 1.
        result = command.main(
            args=list(sys.argv[1:] if argv is None else argv),
            prog_name="vastplan",
            standalone_mode=False,
            obj=settings,
        )
    except BaseException as exc:  # the top of the program: every failure ends here
        if isinstance(exc, SystemExit):
            raise
        return report(exc, debug=settings.debug)
    return result if isinstance(result, int) else EXIT_OK
