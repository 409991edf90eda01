"""Snapshots — ``/snapshots/`` (VMS_API.md §4.4).

Identity: the name (unique cluster-wide: a duplicate is refused with 400 "This field must be unique.").
``path`` and ``tenant`` are create-only: a change replaces the snapshot, which deletes the old one.

Normalisation: the path ends with ``/`` (every client writes it so, VMS_API.md §4.4); ``expiration_time`` is
an ISO 8601 time in UTC.

Risk: deleting (or replacing) a snapshot is data-loss; so is moving its expiration earlier, or setting one
where there was none (the VMS deletes an expired snapshot by itself). Anything else is safe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from vastplan.engine import normalize as norm
from vastplan.engine.state import FieldChange, Risk
from vastplan.kinds.base import Kind


class SnapshotKind(Kind):
    name = "snapshot"
    rank = 5
    delete_risk: ClassVar[Risk] = "data-loss"

    def normalizer(self, name: str) -> norm.Normalizer:
        if name == "path":
            return norm.snapshot_path
        if name == "expiration_time":
            return norm.timestamp
        return super().normalizer(name)

    def field_risk(self, change: FieldChange) -> Risk:
        if change.name == "expiration_time" and _earlier(change.before, change.after):
            return "data-loss"
        return super().field_risk(change)


def _earlier(before: Any, after: Any) -> bool:
    """Whether the expiration moves earlier; None is "never expires"."""
    if after is None:
        return False
    if before is None:
        return True
    try:
        return datetime.fromisoformat(str(after).replace("Z", "+00:00")) < datetime.fromisoformat(
            str(before).replace("Z", "+00:00")
        )
    except ValueError:
        return False


KIND = SnapshotKind()
