"""The whole state of one simulated cluster, as plain JSON-able data, and its (de)serialisation.

Everything the backend knows lives in one :class:`ClusterState`, so that a dump (``GET /_sim/state``), a load
(``PUT /_sim/state``) and the ``sim://FILE`` persistence are one ``to_json``/``from_json`` away. Records are
plain dicts holding the fields a client set plus the server-assigned ones (id, guid, created); the fields a
response derives (names of related objects, usage, counts) are computed when a record is rendered.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from vastplan.sim.errors import FieldErrors

Record = dict[str, Any]

# Collections addressed as /<name>/ and /<name>/<id>/; the order is the dependency order.
COLLECTIONS = ("tenants", "vippools", "viewpolicies", "views", "quotas", "snapshots")
# Every table of named objects: the collections above, plus global snapshot streams, which have endpoints of
# their own (VMS_API.md §4.5) rather than the generic CRUD. Async tasks (§3.1) are kept apart, in ``tasks``:
# they are a log of work done, not objects a client manages, and their names repeat.
TABLES = (*COLLECTIONS, "globalsnapstreams")
STATE_FORMAT = 1


def default_clone_pace() -> Record:
    """How fast new snapshot clones sync (``POST /_sim/clones``): by default at once."""
    return {"pace": "instant", "reads": 1}


@dataclass
class ClusterState:
    """All simulated objects. Keys of ``tables`` are collection names; ids are ints."""

    tables: dict[str, dict[int, Record]] = field(default_factory=lambda: {name: {} for name in TABLES})
    next_ids: dict[str, int] = field(default_factory=lambda: {name: 1 for name in TABLES})
    # The single cluster record (/clusters/1/) and the version history (/versions/), newest last.
    cluster: Record = field(default_factory=dict)
    versions: list[Record] = field(default_factory=list)
    # Directory tree per tenant id: path -> metadata. "/" always exists (VMS_API.md §4.6).
    filesystem: dict[int, dict[str, Record]] = field(default_factory=dict)
    # Data bytes per tenant id and path, set by POST /_sim/usage; quotas and views sum their subtree.
    usage: dict[int, dict[str, int]] = field(default_factory=dict)
    # Folders removed by delete_folder, newest last (the trash empties in the background on a real VMS).
    trash: list[Record] = field(default_factory=list)
    # Login users (salted password hashes only), API tokens (hashes only), JWT signing settings.
    users: dict[str, Record] = field(default_factory=dict)
    api_tokens: dict[str, Record] = field(default_factory=dict)
    auth: Record = field(default_factory=dict)
    # Async tasks (/vtasks/) by id, and the next task id.
    tasks: dict[int, Record] = field(default_factory=dict)
    next_task_id: int = 1
    # The pace of snapshot clones created from now on (a test knob, see vastplan.sim.model.streams).
    clones: Record = field(default_factory=default_clone_pace)

    def to_json(self) -> Record:
        """A deep copy as JSON-able data (int keys become strings)."""
        return copy.deepcopy(
            {
                "format": STATE_FORMAT,
                "tables": {name: {str(k): v for k, v in rows.items()} for name, rows in self.tables.items()},
                "next_ids": self.next_ids,
                "cluster": self.cluster,
                "versions": self.versions,
                "filesystem": {str(k): v for k, v in self.filesystem.items()},
                "usage": {str(k): v for k, v in self.usage.items()},
                "trash": self.trash,
                "users": self.users,
                "api_tokens": self.api_tokens,
                "auth": self.auth,
                "tasks": {str(k): v for k, v in self.tasks.items()},
                "next_task_id": self.next_task_id,
                "clones": self.clones,
            }
        )

    @classmethod
    def from_json(cls, data: Any) -> ClusterState:
        """Rebuild a state from :meth:`to_json` output; a malformed document raises :class:`FieldErrors`."""
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise FieldErrors.one(
                "format", f"Expected a simulator state document with format {STATE_FORMAT}."
            )
        try:
            data = copy.deepcopy(data)
            tables = {name: {int(k): v for k, v in data["tables"].get(name, {}).items()} for name in TABLES}
            return cls(
                tables=tables,
                next_ids={name: int(data["next_ids"].get(name, 1)) for name in TABLES},
                cluster=dict(data["cluster"]),
                versions=list(data["versions"]),
                filesystem={int(k): dict(v) for k, v in data["filesystem"].items()},
                usage={int(k): {p: int(n) for p, n in v.items()} for k, v in data["usage"].items()},
                trash=list(data.get("trash", [])),
                users=dict(data["users"]),
                api_tokens=dict(data.get("api_tokens", {})),
                auth=dict(data["auth"]),
                # Dumps made before snapshot clones existed have no tasks and no pace: none, and the default one.
                tasks={int(k): v for k, v in (data.get("tasks") or {}).items()},
                next_task_id=int(data.get("next_task_id", 1)),
                clones=dict(data.get("clones") or default_clone_pace()),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise FieldErrors.one("state", f"Malformed simulator state: {exc!r}") from exc
