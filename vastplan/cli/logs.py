"""Logging for the command line: stderr only, level from ``-v``, every line redacted.

Default: warnings only (e.g. TLS verification turned off). ``-v``: what vastplan does (reads, steps).
``-vv``: everything, HTTP connection details of the libraries underneath included.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from vastplan.cli.redact import redact

_HANDLER_NAME = "vastplan-cli"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out known secrets: a library's debug line may quote a header."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes: while the progress bar runs, rich puts
    a proxy there that prints above the bar, and tests replace it."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def level_for(verbose: int) -> int:
    if verbose >= 2:
        return logging.DEBUG
    return logging.INFO if verbose == 1 else logging.WARNING


def configure(verbose: int) -> None:
    """Install (or re-level) one stderr handler on the root logger; safe to call more than once."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = CurrentStderrHandler()
        handler.set_name(_HANDLER_NAME)
        root.addHandler(handler)
    # Plain "WARNING: ..." by default; with -v, which logger spoke helps to follow what happened.
    shape = "%(levelname)s %(name)s: %(message)s" if verbose else "%(levelname)s: %(message)s"
    handler.setFormatter(RedactingFormatter(shape))
    level = level_for(verbose)
    root.setLevel(level)
    # Below -vv, keep libraries' chatter (urllib3 connection pools) out of -v.
    logging.getLogger("urllib3").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
