"""Progress events of an apply, delivered to a caller's callback (DESIGN §6).

The callback runs on the worker thread of the step, but never two at a time: a progress bar or a list need
no lock of their own. A callback that raises is logged and ignored; a broken progress display must not
break an apply halfway through.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["ApplyEvent", "EventSink", "EventType"]

log = logging.getLogger("vastplan.engine.executor")

EventType = Literal["started", "done", "failed", "retried", "recovered"]


@dataclass(frozen=True)
class ApplyEvent:
    """One thing that happened to one step.

    ``type``: ``started`` (before the first send), ``retried`` (a send failed in a way worth another try;
    ``message`` says why and how long the executor waits), ``recovered`` (an unknown outcome was settled:
    the object was found, or a repeat was answered "already done"), ``done``, ``failed`` (``message`` is the
    error). ``attempt`` is how many times the step's request had been sent when the event was emitted.
    """

    type: EventType
    step_id: int
    address: str
    message: str
    attempt: int


class EventSink:
    """Builds events and hands them to the callback, one at a time, swallowing what it raises."""

    def __init__(self, callback: Callable[[ApplyEvent], object] | None) -> None:
        self._callback = callback
        self._lock = threading.Lock()

    def emit(self, type: EventType, step_id: int, address: str, message: str, attempt: int) -> None:
        if self._callback is None:
            return
        event = ApplyEvent(type, step_id, address, message, attempt)
        with self._lock:
            try:
                self._callback(event)
            except Exception:
                log.warning(
                    "the on_event callback raised on the %s event of step %d; apply goes on",
                    type,
                    step_id,
                    exc_info=True,
                )
