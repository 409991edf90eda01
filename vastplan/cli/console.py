"""Where output goes, and whether it is coloured.

Results (plans, renderings, exported specs, the account of an apply) go to stdout so that they can be
piped or redirected; notes, warnings, prompts, progress and errors go to stderr. Colour is used only
when the stream is a terminal, never with ``NO_COLOR`` set (https://no-color.org) and never with
``--no-color``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

import typer

from vastplan.cli.redact import redact


@dataclass
class Settings:
    """Options every command shares, whether given before or after the command name."""

    verbose: int = 0
    debug: bool = False
    no_color: bool = False

    def merge(self, *, verbose: int, debug: bool, no_color: bool) -> None:
        self.verbose = max(self.verbose, verbose)
        self.debug = self.debug or debug
        self.no_color = self.no_color or no_color


def settings_of(ctx: typer.Context) -> Settings:
    """The run's settings: main() puts them in the context; a bare app (in tests) gets fresh ones."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


def color_enabled(settings: Settings, stream: TextIO) -> bool:
    if settings.no_color or os.environ.get("NO_COLOR"):
        return False
    return is_terminal(stream)


def emit(text: str) -> None:
    """Write a result to stdout, ending with exactly one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def note(text: str) -> None:
    """A message for the person at the terminal (stderr), kept out of piped results."""
    sys.stderr.write(redact(text) + "\n")
    sys.stderr.flush()
