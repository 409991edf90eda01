"""A share created from a snapshot: the clone stream's name, and what its state means. Pure; no manila import.

VAST copies a snapshot into a new directory with a global snapshot stream (``POST /snapshots/{id}/clone/``,
VMS_API.md §4.5): the destination must not exist beforehand, the stream creates it and copies in the
background, and once it has finished it is stopped and deleted with ``remove_dir: false`` (the teardown
vast-csi and VAST's MCP server use), leaving the directory as an ordinary one.

The driver names the stream after the new share instance, so that every later call (``get_share_status``,
a retried create, ``delete_share``) finds it from the share alone, without storing anything.

States (VMS_API.md §4.5): ``Completed`` (or ``status.state`` ``FINISHED``) is done; ``Initializing``,
``Syncing``, ``Finalizing`` and ``Active`` are running; ``Suspended`` (vast-csi's failure state), a stream
stopped before it completed, and anything called failed or error is a failure: the copy will not finish. An
unknown state counts as running: the next poll looks again.

Teardown order (VMS_API.md §4.5, as VAST's MCP server does it): a stream that has not completed is stopped
first; a completed one is deleted directly (there is nothing to stop).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["STREAM_PREFIX", "Phase", "StreamStatus", "stream_name", "stream_status"]

#: Streams of this driver are named ``manila-clone-<share instance id>``.
STREAM_PREFIX = "manila-clone-"

Phase = Literal["done", "running", "failed"]

_DONE = frozenset({"completed", "finished", "done"})
_FAILED = frozenset({"suspended", "stopped", "failed", "error", "aborted", "cancelled", "canceled"})


def stream_name(instance_id: str) -> str:
    return f"{STREAM_PREFIX}{instance_id}"


@dataclass(frozen=True)
class StreamStatus:
    """Where a clone stream is: ``phase``, the VMS's own words for it, and the copy's progress (percent)."""

    phase: Phase
    state: str
    progress: int | None = None

    @property
    def progress_text(self) -> str | None:
        """Manila's ``progress`` field (``"42%"``), when the stream reports one."""
        return None if self.progress is None else f"{self.progress}%"


def stream_status(record: Mapping[str, Any]) -> StreamStatus:
    """Read a ``/globalsnapstreams/`` record."""
    state = str(record.get("state") or "")
    inner = record.get("status")
    inner_state = str(inner.get("state") or "") if isinstance(inner, Mapping) else ""
    words = {state.lower(), inner_state.lower(), str(record.get("external_state") or "").lower()} - {""}
    progress = _percent(record.get("sync_progress"))
    described = state or inner_state or "unknown"
    if words & _FAILED:
        return StreamStatus("failed", described, progress)
    if words & _DONE:
        return StreamStatus("done", described, 100)
    return StreamStatus("running", described, progress)


def _percent(value: Any) -> int | None:
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return None
    return max(0, min(number, 100))
