"""Errors → messages and exit codes: the one place where the command line decides how a run ends.

Exit codes (DESIGN §10): 0 success, 1 any error, 2 changes present (``plan --detailed-exitcode`` only),
130 interrupted (Ctrl-C, the shell's convention for SIGINT).

Every error a user can cause derives from :class:`~vastplan.errors.VastplanError`, whose ``str()`` is a
terminal-ready message; it is printed as one paragraph with no traceback. Anything else is a bug: a
short "internal error" line, and the traceback only with ``--debug``.
"""

from __future__ import annotations

import sys
import traceback
from typing import TextIO

import typer

from vastplan.cli.redact import redact
from vastplan.errors import VastplanError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130


class CliError(VastplanError):
    """A user error the command line itself detects (no terminal to confirm on, conflicting options)."""


def report(exc: BaseException, *, debug: bool, stream: TextIO | None = None) -> int:
    """Print ``exc`` for a person and return the exit code it stands for."""
    out = stream or sys.stderr
    if isinstance(exc, VastplanError):
        _print_error(str(exc), out)
        if debug:
            _print_traceback(exc, out)
        return EXIT_ERROR
    if isinstance(exc, typer.TyperException):
        # Usage errors (unknown option, bad --format value): the parser's own message names the flag.
        show = getattr(exc, "show", None)
        if callable(show):
            show(file=out)
        else:
            _print_error(exc.format_message(), out)
        return EXIT_ERROR
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        out.write("\nInterrupted.\n")
        return EXIT_INTERRUPTED
    _print_error(f"internal error: {type(exc).__name__}: {exc}", out)
    if debug:
        _print_traceback(exc, out)
    else:
        out.write(
            "This is a bug in vastplan. Run the command again with --debug to see the traceback, "
            "and include it when you report the bug.\n"
        )
    return EXIT_ERROR


def _print_error(message: str, out: TextIO) -> None:
    # Errors promise never to carry a secret; redacting again costs nothing and catches a slip.
    out.write(f"Error: {redact(message).rstrip()}\n")


def _print_traceback(exc: BaseException, out: TextIO) -> None:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    out.write(redact(text))
