"""The progress bar of an apply, fed by the engine's events (DESIGN §6).

Shown on stderr, on a terminal only, and only when there are more than a few steps: a bar that flashes
for two steps is noise, and a bar in a CI log is a wall of redraws. Every event is also logged (``-v``).
Events arrive from the executor's worker threads; rich's Progress locks its own state.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

from vastplan.cli.console import Settings, color_enabled, is_terminal

if TYPE_CHECKING:  # typing.Self is 3.11+
    from typing_extensions import Self

log = logging.getLogger(__name__)

#: Applies with at most this many steps get no bar: they finish before one would be useful.
FEW_STEPS = 3

_FINISHED = frozenset({"done", "failed"})


class ApplyProgress:
    """A context manager whose :meth:`on_event` is the ``on_event`` callback of ``api.apply``."""

    def __init__(self, total: int, settings: Settings) -> None:
        self.total = total
        self.settings = settings
        self.enabled = total > FEW_STEPS and is_terminal(sys.stderr)
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Self:
        if self.enabled:
            self._start_bar()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def on_event(self, event: Any) -> None:
        # INFO, not WARNING: the final account reports failures, and a log line would tear the bar.
        log.info(
            "step %s %s %s%s",
            event.step_id,
            event.address,
            event.type,
            f": {event.message}" if event.message else "",
        )
        if self._bar is None:
            return
        if event.type == "started":
            self._bar.update(self._task, description=f"{event.address}")
        elif event.type in _FINISHED:
            self._bar.advance(self._task)

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=sys.stderr, no_color=not color_enabled(self.settings, sys.stderr))
        # transient: the bar leaves the screen when done, and the account of every step takes its place.
        self._bar = Progress(
            TextColumn("Applying"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            # markup=False: an address such as view[t:/a] is not a rich markup tag.
            TextColumn("{task.description}", markup=False),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("", total=self.total)
        self._bar.start()
