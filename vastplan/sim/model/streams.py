"""Global snapshot streams, ``/globalsnapstreams/`` (VMS_API.md §4.5): local snapshot clones.

``POST /snapshots/{id}/clone/`` (or ``POST /globalsnapstreams/`` with ``loanee_snapshot_id``) creates a stream
that clones the snapshot to ``loanee_root_path`` in ``loanee_tenant_id``. The destination must not exist
(§4.1, §4.5: "the snapshot stream action will detect folder already exist and will be rejected"); the stream
creates it, with the directories and byte counts the source path had when the snapshot was taken, at once: the
clone is readable straight away as a loan of the snapshot, and read-only until the stream finished [INFERRED].

Life of a stream, ``state`` / ``status.state``:

    Initializing / RUNNING  ->  Syncing / RUNNING  ->  Completed / FINISHED     (§4.5 [READ CSI, MCP])
    paused (``enabled`` false): state unchanged / PAUSED                        [INFERRED]
    stopped before completing:  Stopped / STOPPED                               [INFERRED]

An unfinished stream (Initializing or Syncing, paused or not) holds its source snapshot: the snapshot can be
neither deleted nor expired (§4.4: CSI relies on an expiring source snapshot going once its stream stopped or
finished) [INFERRED], and its destination is read-only. Deleting a stream needs it finished or stopped first
(the teardown order of CSI and MCP, §4.5) [INFERRED]; ``remove_dir`` removes the destination with it.

Pace, a test knob (``POST /_sim/clones``, kept in the state; each stream keeps the pace it was created with):

    instant (default)  the stream completes as soon as the request that started it (clone, resume) has answered;
                       that answer still shows it Initializing with a RUNNING task, as a VMS's would
    reads, N           it completes on the Nth read: each GET of the stream (alone, in a list, or through its
                       clone task in /vtasks/) moves it one step (Syncing, sync_progress k*100/N)
    manual             it stays Syncing until ``POST /_sim/clones/{id}/complete``

A paused stream does not move.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

from vastplan.sim.errors import BadRequest, FieldErrors, NotFound
from vastplan.sim.model import paths, tasks
from vastplan.sim.model.base import Collection, invalid_pk
from vastplan.sim.state import Record

INITIALIZING = "Initializing"
SYNCING = "Syncing"
COMPLETED = "Completed"
STOPPED = "Stopped"
# VMS_API.md §4.5 [READ CSI-NEW]: running states include Initializing and Syncing; the target is Completed.
RUNNING_STATES = (INITIALIZING, SYNCING)

PACES = ("instant", "reads", "manual")
# VMS_API.md §2.2 [READ CSI]: clients create global snapshot streams only on VMS 4.6.0 and later.
CLONE_SINCE = (4, 6, 0)


class Streams(Collection):
    name = "globalsnapstreams"
    label = "global snapshot stream"
    # The stream's tenant is its loanee (destination) tenant, kept as `tenant_id` in the row (not returned).
    tenant_mode: ClassVar[Literal["required", "optional", "none"]] = "none"
    # [INFERRED] names are unique: CSI looks streams up by name (§5.2) and names them after the volume.
    unique_fields = ("name",)

    # -- creating --------------------------------------------------------------------------------------------

    def check_available(self) -> None:
        if self.backend.cluster.version_tuple() < CLONE_SINCE:
            # [INFERRED] before 4.6 the endpoints do not exist (§2.2), hence a 404.
            raise NotFound()

    def clone(self, snapshot_id: int, data: Mapping[str, Any], *, loanee_tenant_id: int | None) -> Record:
        """``POST /snapshots/{id}/clone/``: the new stream, rendered, with its ``async_task``."""
        with self.backend.lock:
            self.check_available()
            return self._create(self.backend.snapshots.row(snapshot_id), data, loanee_tenant_id)

    def create_local(self, data: Mapping[str, Any], *, loanee_tenant_id: int | None) -> Record:
        """``POST /globalsnapstreams/`` for a local snapshot (``loanee_snapshot_id``)."""
        with self.backend.lock:
            self.check_available()
            found = self.backend.snapshots.find(id=data["loanee_snapshot_id"])
            if not found:
                raise FieldErrors.one("loanee_snapshot_id", invalid_pk(data["loanee_snapshot_id"]))
            return self._create(found[0], data, loanee_tenant_id)

    def _create(self, snapshot: Record, data: Mapping[str, Any], loanee_tenant_id: int | None) -> Record:
        # [INFERRED] without loanee_tenant_id the clone lands in the snapshot's own tenant.
        tenant_id = snapshot["tenant_id"] if loanee_tenant_id is None else loanee_tenant_id
        if tenant_id not in self.backend.state.tables["tenants"]:
            raise FieldErrors.one("loanee_tenant_id", invalid_pk(tenant_id))
        destination = _destination(data["loanee_root_path"])
        pace = self.backend.state.clones
        row: Record = {
            "name": data["name"],
            # [INFERRED] background copy is on unless asked otherwise (CSI always sends enabled: true).
            "enabled": True if data.get("enabled") is None else bool(data["enabled"]),
            # VMS_API.md §4.5 [READ MCP]: stream paths end with "/", like snapshot paths.
            "loanee_root_path": destination + "/",
            # VMS_API.md §3.2 [READ CSI]: streams of a snapshot are found with loanee_snapshot__id=<snapshot id>.
            "loanee_snapshot_id": snapshot["id"],
            "loanee_snapshot": snapshot["name"],
            "source_snapshot": snapshot["name"],
            "source_path": snapshot["path"],
            "tenant_id": tenant_id,
            "owner_tenant_id": snapshot["tenant_id"],
            "phase": INITIALIZING,
            "progress": 0,
            "reads_seen": 0,
            "pace": pace["pace"],
            "reads_wanted": pace["reads"],
        }
        self.check_unique(row, None)
        fs = self.backend.fs
        if fs.exists(tenant_id, destination):
            # VMS_API.md §4.1/§4.5 [READ CSI]: the destination must not exist (text [INFERRED]).
            raise FieldErrors.one(
                "loanee_root_path",
                f"Path {destination} already exists; a clone's destination must not exist.",
            )
        loan = self.loan_holding(tenant_id, destination)
        if loan is not None:
            # [INFERRED] the destination of an unfinished clone is read-only: no clone lands inside it.
            raise FieldErrors.one(
                "loanee_root_path",
                f"Path {destination} is inside the destination of global snapshot stream {loan['name']}, "
                "which has not finished.",
            )
        row["id"] = self.backend.new_id(self.name)
        row["guid"] = str(uuid.uuid4())
        row["created"] = self.backend.now_iso()
        self.rows[row["id"]] = row
        # [INFERRED] a snapshot taken before the simulator kept contents clones what its path holds now.
        captured = snapshot.get("captured") or fs.capture(snapshot["tenant_id"], snapshot["path"])
        fs.lay_out(tenant_id, destination, captured)
        task = self.backend.tasks.start(tasks.CLONE_TASK, stream_id=row["id"])
        row["clone_task_id"] = task["id"]
        # VMS_API.md §3.1: the answer is the stream object plus its async_task.
        answer = {**self.render(row), "async_task": self.backend.tasks.render(task)}
        self._kick(row)
        return answer

    # -- reading ---------------------------------------------------------------------------------------------

    def visible_rows(self, tenant_id: int | None) -> list[Record]:
        """Stored streams in id order; a tenant-scoped caller sees its loanee tenant's only [INFERRED]."""
        with self.backend.lock:
            return [
                row
                for _, row in sorted(self.rows.items())
                if tenant_id is None or row.get("tenant_id") == tenant_id
            ]

    def observe(self, rows: Iterable[Record]) -> None:
        """A client read these streams: each running, enabled one moves one step at its pace."""
        with self.backend.lock:
            for row in rows:
                self._step(row)

    def observe_ids(self, ids: Iterable[Any]) -> None:
        with self.backend.lock:
            self.observe(self.rows[obj_id] for obj_id in ids if obj_id in self.rows)

    def _step(self, row: Record) -> None:
        if row["phase"] not in RUNNING_STATES or not row.get("enabled"):
            return
        pace = row.get("pace", "instant")
        if pace == "manual":
            row["phase"] = SYNCING
            return
        if pace == "reads":
            row["reads_seen"] = row.get("reads_seen", 0) + 1
            wanted = max(1, int(row.get("reads_wanted") or 1))
            if row["reads_seen"] < wanted:
                row["phase"] = SYNCING
                row["progress"] = row["reads_seen"] * 100 // wanted
                return
        self._finish(row)

    def _kick(self, row: Record) -> None:
        """After answering the request that made ``row`` runnable: an instant stream completes now."""
        if row.get("pace", "instant") == "instant" and row.get("enabled") and row["phase"] in RUNNING_STATES:
            self._finish(row)

    def _finish(self, row: Record) -> None:
        row["phase"] = COMPLETED
        row["progress"] = 100
        self.backend.tasks.finish(row.get("clone_task_id"), tasks.COMPLETED)

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        cluster = self.backend.state.cluster.get("name")
        phase = row["phase"]
        values.update(
            {
                "state": phase,
                # VMS_API.md §4.5 [READ CSI]: status.state FINISHED means the copy is done; the other values
                # are [INFERRED].
                "status": {"state": _status(row)},
                "sync_progress": 100 if phase == COMPLETED else int(row.get("progress", 0)),
                "bw": 0,
                # A local clone: the cluster is both ends [INFERRED].
                "source_cluster": cluster,
                "target_cluster": cluster,
                "loanee_tenant": self._tenant_ref(row.get("tenant_id")),
                "owner_tenant": self._tenant_ref(row.get("owner_tenant_id")),
                "view_replication_enabled": False,
            }
        )
        return values

    def _tenant_ref(self, tenant_id: Any) -> Record | None:
        # VMS_API.md §4.5: loanee_tenant / owner_tenant are objects; the spec gives them `guid` and `name`.
        tenant = self.backend.state.tables["tenants"].get(tenant_id) if isinstance(tenant_id, int) else None
        return {"guid": tenant["guid"], "name": tenant["name"]} if tenant else None

    # -- changing --------------------------------------------------------------------------------------------

    def update(self, obj_id: int, changes: Mapping[str, Any]) -> Record:
        """``PATCH /globalsnapstreams/{id}/`` (``name``, ``enabled``); pause and resume set ``enabled``."""
        with self.backend.lock:
            row = self.row(obj_id)
            for key, value in changes.items():
                if value is None:
                    raise FieldErrors.one(key, "This field may not be null.")
            if "name" in changes and changes["name"] == "":
                raise FieldErrors.one("name", "This field may not be blank.")
            if "enabled" in changes and changes["enabled"] != row.get("enabled"):
                self._check_running(row, "paused or resumed")
            self.check_unique({**row, **changes}, obj_id)
            row.update(changes)
            answer = self.render(row)
            if changes.get("enabled"):
                self._kick(row)
            return answer

    def pause(self, obj_id: int, enabled: bool = False) -> Record:
        with self.backend.lock:
            self._check_running(self.row(obj_id), "paused or resumed")
            return self.update(obj_id, {"enabled": enabled})

    def stop(self, obj_id: int) -> Record:
        """``PATCH .../stop``: the rendered stop task. Stopping a stopped stream is harmless [INFERRED]."""
        with self.backend.lock:
            row = self.row(obj_id)
            if row["phase"] == COMPLETED:
                # [INFERRED] MCP checks state != Completed before it stops a stream (§4.5).
                raise BadRequest(
                    f"Global snapshot stream {row['name']} has completed; there is nothing to stop."
                )
            if row["phase"] in RUNNING_STATES:
                row["phase"] = STOPPED
                self.backend.tasks.finish(row.get("clone_task_id"), tasks.FAILED)
            return self.backend.tasks.render(self.backend.tasks.start(tasks.STOP_TASK, done=True))

    def remove(self, obj_id: int, *, remove_dir: bool) -> Record:
        """``DELETE /globalsnapstreams/{id}/``: the rendered delete task."""
        with self.backend.lock:
            row = self.row(obj_id)
            self._check_finished(row)
            if remove_dir:
                self._remove_destination(row)
            del self.rows[obj_id]
            return self.backend.tasks.render(self.backend.tasks.start(tasks.DELETE_TASK, done=True))

    def delete(self, obj_id: int, params: Mapping[str, str] | None = None) -> None:
        self.remove(obj_id, remove_dir=False)

    def _remove_destination(self, row: Record) -> None:
        tenant_id = row["tenant_id"]
        destination = paths.normalise(row["loanee_root_path"])
        if not self.backend.fs.exists(tenant_id, destination):
            return  # already gone (e.g. deleted through the trash): nothing to remove
        held = self.backend.snapshots.under(tenant_id, destination)
        if held:
            # [INFERRED] the same rule as delete_folder (§4.4: no data removal under snapshots).
            raise BadRequest(
                f"Cannot remove {destination}: it has {len(held)} snapshot(s); delete them first."
            )
        self.backend.fs.remove_tree(tenant_id, destination)

    @staticmethod
    def _check_running(row: Record, action: str) -> None:
        if row["phase"] not in RUNNING_STATES:
            # [INFERRED] only a running stream can be paused or resumed.
            raise BadRequest(
                f"Global snapshot stream {row['name']} is {row['phase']}; only a running stream can be {action}."
            )

    @staticmethod
    def _check_finished(row: Record) -> None:
        if row["phase"] in RUNNING_STATES:
            # [INFERRED] CSI and MCP stop an unfinished stream before deleting it (§4.5); the simulator insists.
            raise BadRequest(
                f"Global snapshot stream {row['name']} is still running ({row['phase']}); "
                "stop it before deleting it."
            )

    # -- what other families ask -----------------------------------------------------------------------------

    def holding(self, snapshot_id: int) -> list[Record]:
        """Unfinished streams cloning this snapshot."""
        with self.backend.lock:
            return [
                row
                for _, row in sorted(self.rows.items())
                if row.get("loanee_snapshot_id") == snapshot_id and row["phase"] in RUNNING_STATES
            ]

    def loan_holding(self, tenant_id: int, path: str) -> Record | None:
        """The unfinished stream whose (read-only) destination is ``path`` or holds it, if any."""
        with self.backend.lock:
            for row in self._unfinished(tenant_id):
                if paths.is_under(path, paths.normalise(row["loanee_root_path"])):
                    return row
            return None

    def loan_touching(self, tenant_id: int, path: str) -> Record | None:
        """The unfinished stream whose destination is ``path``, holds it, or lies under it, if any."""
        with self.backend.lock:
            for row in self._unfinished(tenant_id):
                if paths.overlap(path, paths.normalise(row["loanee_root_path"])):
                    return row
            return None

    def _unfinished(self, tenant_id: int) -> list[Record]:
        return [
            row
            for _, row in sorted(self.rows.items())
            if row.get("tenant_id") == tenant_id and row["phase"] in RUNNING_STATES
        ]

    # -- the control API (POST /_sim/clones...) --------------------------------------------------------------

    def set_pace(self, pace: str, reads: int | None) -> Record:
        with self.backend.lock:
            if pace not in PACES:
                raise FieldErrors.one("pace", f'"{pace}" is not a valid choice.')
            if pace == "reads" and reads is None:
                raise FieldErrors.one("reads", 'This field is required when pace is "reads".')
            if reads is not None and reads < 1:
                raise FieldErrors.one("reads", "Ensure this value is greater than or equal to 1.")
            self.backend.state.clones = {"pace": pace, "reads": reads if reads is not None else 1}
            return dict(self.backend.state.clones)

    def complete(self, obj_id: int) -> Record:
        """Finish a running stream now (paused or not); the rendered stream."""
        with self.backend.lock:
            row = self.row(obj_id)
            self._check_running(row, "completed")
            self._finish(row)
            return self.render(row)

    def set_progress(self, obj_id: int, progress: int) -> Record:
        """Hold a running stream in Syncing at ``progress`` percent; the rendered stream."""
        with self.backend.lock:
            row = self.row(obj_id)
            self._check_running(row, "moved")
            if not 0 <= progress <= 99:
                raise FieldErrors.one("sync_progress", "Ensure this value is between 0 and 99.")
            row["phase"] = SYNCING
            row["progress"] = progress
            return self.render(row)


def _destination(path: Any) -> str:
    """The normalised destination: an absolute path, not the root (VMS_API.md §4.5)."""
    directory = paths.normalise(str(path), field="loanee_root_path")
    if directory == "/":
        # [INFERRED] a clone cannot replace a tenant's root directory (it always exists).
        raise FieldErrors.one("loanee_root_path", "A clone's destination cannot be the root directory.")
    return directory


def _status(row: Record) -> str:
    if row["phase"] == COMPLETED:
        return "FINISHED"
    if row["phase"] == STOPPED:
        return "STOPPED"
    return "RUNNING" if row.get("enabled") else "PAUSED"
