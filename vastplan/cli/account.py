"""The account of an apply: every step, done, failed (with the VMS's own text) or not started (DESIGN §6).

Printed to stdout after the progress bar has gone, whether apply succeeded or stopped, so that a person
or a CI log can see exactly what changed; planning again continues from there.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from vastplan.cli.console import Settings, color_enabled, emit

if TYPE_CHECKING:
    from vastplan.engine.execution.report import ApplyReport, StepResult

_COLORS = {"done": "green", "failed": "red", "not_started": "yellow"}
_WIDTH = len("not started")


def account_lines(report: ApplyReport, *, color: bool = False) -> list[str]:
    verdict = "Apply complete" if report.ok else "Apply stopped"
    lines = ["", f"{verdict}: {report.summary_line()}."]  # a blank line parts it from the plan above
    lines.extend(_step_line(result, color) for result in report.results)
    return lines


def _step_line(result: StepResult, color: bool) -> str:
    status = result.status.replace("_", " ").ljust(_WIDTH)
    if color:
        status = typer.style(status, fg=_COLORS.get(result.status))
    line = f"  {status}  step {result.id}: {result.action} {result.address} ({result.method} {result.path})"
    if result.error:
        line += f"\n{'':{_WIDTH + 4}}{result.error}"
    return line


def print_account(report: ApplyReport, settings: Settings) -> None:
    emit("\n".join(account_lines(report, color=color_enabled(settings, sys.stdout))))
