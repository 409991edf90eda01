"""Asking a person before changing a cluster.

On a terminal, apply shows the plan and waits for the literal word ``yes`` (anything else cancels, as in
Terraform: a stray Enter must not change a cluster). Without a terminal nobody can answer, so apply needs
``--auto-approve``; it checks that before it contacts the cluster, so a CI job fails fast and changes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from vastplan.cli.console import is_terminal
from vastplan.cli.failures import CliError

NO_TERMINAL = (
    "apply needs a confirmation, and there is no terminal to ask on (stdin is not a terminal). "
    "Review the plan (vastplan plan, or vastplan show PLAN.json), then run apply again with --auto-approve."
)


class Cancelled(CliError):
    """The person at the terminal did not type yes."""


def require_way_to_confirm(auto_approve: bool) -> None:
    if not auto_approve and not is_terminal(sys.stdin):
        raise CliError(NO_TERMINAL)


def ask(question: str, read: Callable[[], str] | None = None) -> None:
    """Raise :class:`Cancelled` unless the answer is ``yes``. The prompt goes to stderr, so that it shows
    even when stdout is piped into a log."""
    sys.stderr.write(f"\n{question}\nOnly 'yes' will be accepted.\nType yes to apply: ")
    sys.stderr.flush()
    answer = (read or sys.stdin.readline)()  # "" at end of input: cancelled
    if answer.strip() != "yes":
        raise Cancelled("apply cancelled: nothing was changed")
