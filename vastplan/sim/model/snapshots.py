"""Snapshots (VMS_API.md §4.4): unique names, an existing path (stored with a trailing "/"), expiry.

A snapshot keeps what its path held when it was taken (directories and byte counts, in the row's ``captured``,
never returned): a clone of it (VMS_API.md §4.5, :mod:`vastplan.sim.model.streams`) lays that out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, ClassVar

from vastplan.sim.errors import BadRequest, FieldErrors
from vastplan.sim.model import paths
from vastplan.sim.model.base import Collection, RecordTest
from vastplan.sim.state import Record


def parse_time(text: str, field: str) -> float:
    """ISO 8601 to epoch seconds; naive times are UTC (CSI sends naive UTC, VMS_API.md §4.4)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise FieldErrors.one(
            field, "Datetime has wrong format. Use YYYY-MM-DDThh:mm[:ss[.uuuuuu]][Z]."
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


class Snapshots(Collection):
    name = "snapshots"
    label = "snapshot"
    # VMS_API.md §4.4 [READ CSI]: a duplicate name gets 400 {"name": ["This field must be unique."]};
    # clients look snapshots up by name alone, so cluster-wide [INFERRED scope].
    unique_fields = ("name",)
    defaults: ClassVar[Mapping[str, Any]] = {"indestructible": False, "locked": False}

    # -- expiry: [INFERRED] the VMS removes a snapshot once its expiration_time passed (§4.4, CSI relies on it)

    def purge_expired(self) -> None:
        now = self.backend.clock()
        for obj_id, row in list(self.rows.items()):
            expires = row.get("expiration_time")
            if expires and parse_time(expires, "expiration_time") <= now:
                if self.backend.streams.holding(obj_id):
                    # VMS_API.md §4.4 [INFERRED]: an expired snapshot goes once no unfinished clone uses it
                    # (CSI: "deleted as soon as the snapshot stream is stopped").
                    continue
                del self.rows[obj_id]

    def row(self, obj_id: int) -> Record:
        with self.backend.lock:
            self.purge_expired()
            return super().row(obj_id)

    def find(self, **criteria: Any) -> list[Record]:
        with self.backend.lock:
            self.purge_expired()
            return super().find(**criteria)

    def list_rendered(self) -> list[Record]:
        with self.backend.lock:
            self.purge_expired()
            return super().list_rendered()

    def select(self, tests: Sequence[RecordTest], visible: Callable[[Record], bool]) -> list[Record]:
        with self.backend.lock:
            self.purge_expired()
            return super().select(tests, visible)

    def under(self, tenant_id: int, root: str) -> list[Record]:
        """Snapshots whose path is ``root`` or below it."""
        return [
            row
            for row in self.find(tenant_id=tenant_id)
            if paths.is_under(paths.normalise(row["path"]), root)
        ]

    # -- rules -----------------------------------------------------------------------------------------------

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        if old is None:
            directory = paths.normalise(row["path"])
            if not self.backend.fs.exists(row["tenant_id"], directory):
                # Brief + VMS_API.md §4.4: a snapshot needs an existing path [INFERRED text].
                raise FieldErrors.one("path", f"Path {row['path']} does not exist.")
            # VMS_API.md §4.4: snapshot paths end with "/" (CSI, TF and MCP send it so) [INFERRED: stored so].
            row["path"] = directory.rstrip("/") + "/"
        expires = row.get("expiration_time")
        if expires is not None:
            when = parse_time(expires, "expiration_time")
            shortened = (
                old is not None
                and old.get("indestructible")
                and old.get("expiration_time")
                and when < parse_time(old["expiration_time"], "expiration_time")
            )
            if shortened:
                # VMS_API.md §4.4: expiration_time cannot be shortened when indestructible.
                raise FieldErrors.one(
                    "expiration_time", "Cannot shorten the expiration time of an indestructible snapshot."
                )
        if old is not None and old.get("indestructible") and not row.get("indestructible"):
            # [INFERRED] indestructibility is one-way, like the other protection flags (§6).
            raise FieldErrors.one("indestructible", "An indestructible snapshot cannot be made destructible.")

    def after_create(self, row: Record) -> None:
        # What a clone of this snapshot will hold (VMS_API.md §4.5): the path's contents now.
        row["captured"] = self.backend.fs.capture(row["tenant_id"], row["path"])

    def check_delete(self, row: Record, params: Mapping[str, str]) -> None:
        held = self.backend.streams.holding(row["id"])
        if held:
            # [INFERRED] the source of an unfinished clone stays until the stream finished or was stopped
            # (§4.4, §4.5); CSI checks for unfinished streams before it deletes a snapshot.
            raise BadRequest(
                f"Snapshot {row['name']} is the source of global snapshot stream {held[0]['name']}, which has "
                "not finished; stop the stream or wait for it to complete."
            )
        if row.get("indestructible"):
            # [INFERRED] an indestructible snapshot goes only when it expires (§4.4).
            raise BadRequest(
                f"Snapshot {row['name']} is indestructible and cannot be deleted before it expires."
            )

    def computed(self, row: Record) -> Record:
        values = super().computed(row)
        values.update(
            {
                # VMS_API.md §4.4: state values SUCCEED, CREATING, ...; the simulator's snapshots are instant.
                "state": "SUCCEED",
                "type": "SNAPSHOT",
                "eta_sec": 0,
                "subsystem_related": False,
                "aggr_phys_estimation": 0,
                "unique_phys_estimation": 0,
            }
        )
        return values
