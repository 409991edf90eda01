"""Async tasks, ``/vtasks/`` (VMS_API.md §3.1): what a snapshot clone, a stream stop or a stream delete hands
back as ``async_task``.

A task is RUNNING until the work it stands for ends, then COMPLETED or FAILED (the spec's ``state`` enum). The
clone task of a stream follows its stream: COMPLETED when the stream completes, FAILED when it is stopped first
[INFERRED]. Stop and delete tasks are done by the time they are answered (the simulator acts at once).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Literal

from vastplan.sim.model.base import Collection
from vastplan.sim.state import Record

RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"

# [INFERRED] task names; the VMS's own are not known.
CLONE_TASK = "Snapshot clone"
STOP_TASK = "Stop global snapshot stream"
DELETE_TASK = "Delete global snapshot stream"


class Tasks(Collection):
    name = "vtasks"
    label = "task"
    tenant_mode: ClassVar[Literal["required", "optional", "none"]] = "none"

    @property
    def rows(self) -> dict[int, Record]:
        # Kept beside the tables of named objects, not among them (see vastplan.sim.state).
        return self.backend.state.tasks

    def _new_id(self) -> int:
        state = self.backend.state
        obj_id = max(state.next_task_id, max(state.tasks, default=0) + 1)
        state.next_task_id = obj_id + 1
        return obj_id

    def start(self, name: str, *, stream_id: int | None = None, done: bool = False) -> Record:
        """A new task, RUNNING (or COMPLETED at once with ``done``); returns the stored row."""
        with self.backend.lock:
            now = self.backend.now_iso()
            obj_id = self._new_id()
            row: Record = {
                "id": obj_id,
                "guid": str(uuid.uuid4()),
                "created": now,
                "name": name,
                "state": RUNNING,
                "start_time": now,
                "started_at": self.backend.clock(),
                "stream_id": stream_id,
            }
            self.rows[obj_id] = row
            if done:
                self.finish(obj_id, COMPLETED)
            return row

    def finish(self, task_id: Any, state: str) -> None:
        """End a running task (a task that ended already, or a missing one, is left alone)."""
        with self.backend.lock:
            row = self.rows.get(task_id) if isinstance(task_id, int) else None
            if row is None or row["state"] != RUNNING:
                return
            row["state"] = state
            row["end_time"] = self.backend.now_iso()
            row["ended_at"] = self.backend.clock()

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        ended = row.get("ended_at")
        elapsed = (ended if ended is not None else self.backend.clock()) - row.get("started_at", 0)
        values["execution_time"] = max(0, int(elapsed))
        return values
