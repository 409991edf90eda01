"""The directory tree of each tenant, the trash API, and per-path data usage (VMS_API.md §4.6).

Only directories are modelled: a path exists or it does not. Data is a byte count per path, set through the
control API (``POST /_sim/usage``); a quota or view reports the sum over its subtree. A snapshot keeps a copy of
its subtree (directories and byte counts) as it was when taken, and a clone lays that copy out at its
destination (VMS_API.md §4.5).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from vastplan.sim.errors import BadRequest, NotFound, PlainTextError
from vastplan.sim.model import paths
from vastplan.sim.state import Record

if TYPE_CHECKING:
    from vastplan.sim.backend import SimBackend

# VMS_API.md §2.2: the trash API (delete_folder) needs VMS 4.7.0 or later; clients gate on it.
TRASH_API_SINCE = (4, 7, 0)
DEFAULT_MODE = 0o755


class FileSystem:
    """Directories per tenant id; every method takes the backend lock."""

    def __init__(self, backend: SimBackend) -> None:
        self.backend = backend
        # Subtree totals per tenant, rebuilt after any change: a listing of N quotas would otherwise scan
        # the whole tree once per quota (quadratic at benchmark sizes). Keyed on the state object too,
        # because loading a state dump replaces it wholesale.
        self._changes = 0
        self._totals: dict[int, tuple[Any, int, Counter[str], Counter[str]]] = {}

    def _changed(self) -> None:
        self._changes += 1

    def _valid_totals(self, tenant_id: int) -> tuple[Counter[str], Counter[str]] | None:
        cached = self._totals.get(tenant_id)
        if cached is not None and cached[0] is self.backend.state and cached[1] == self._changes:
            return cached[2], cached[3]
        return None

    def _count_new_directory(self, tenant_id: int, directory: str) -> None:
        """Keep cached totals current on the common path (a create) instead of rebuilding them."""
        totals = self._valid_totals(tenant_id)
        if totals is not None:
            for ancestor in paths.parents(directory):
                totals[1][ancestor] += 1

    def _count_usage_change(self, tenant_id: int, directory: str, delta: int) -> None:
        totals = self._valid_totals(tenant_id)
        if totals is not None:
            for ancestor in paths.parents(directory):
                totals[0][ancestor] += delta

    def _tree(self, tenant_id: int) -> dict[str, Record]:
        tree = self.backend.state.filesystem.get(tenant_id)
        if tree is None:
            raise NotFound(f"Tenant {tenant_id} does not exist.")
        return tree

    def _meta(self, mode: int | None, user: str | None = None, group: str | None = None) -> Record:
        now = self.backend.now_iso()
        return {
            "mode": DEFAULT_MODE if mode is None else mode,
            "owning_user": user or "root",
            "owning_group": group or "root",
            "atime": now,
            "mtime": now,
            "ctime": now,
        }

    def ensure_root(self, tenant_id: int) -> None:
        with self.backend.lock:
            self.backend.state.filesystem.setdefault(tenant_id, {"/": self._meta(DEFAULT_MODE)})
            self.backend.state.usage.setdefault(tenant_id, {})
            self._changed()

    def drop_tenant(self, tenant_id: int) -> None:
        with self.backend.lock:
            self.backend.state.filesystem.pop(tenant_id, None)
            self.backend.state.usage.pop(tenant_id, None)
            self._changed()

    def exists(self, tenant_id: int, path: str) -> bool:
        with self.backend.lock:
            return paths.normalise(path) in self.backend.state.filesystem.get(tenant_id, {})

    def makedirs(
        self,
        tenant_id: int,
        path: str,
        *,
        mode: int | None = None,
        user: str | None = None,
        group: str | None = None,
    ) -> None:
        """Create ``path`` and its missing parents (``create_dir``, VMS_API.md §4.1) [INFERRED: parents too]."""
        with self.backend.lock:
            tree = self._tree(tenant_id)
            for step in paths.parents(paths.normalise(path)):
                if step not in tree:
                    tree[step] = self._meta(mode, user, group)
                    self._count_new_directory(tenant_id, step)

    # -- the folders API (VMS_API.md §4.6) -------------------------------------------------------------------

    def create_folder(
        self,
        tenant_id: int,
        path: str,
        *,
        mode: int | None = None,
        user: str | None = None,
        group: str | None = None,
    ) -> None:
        with self.backend.lock:
            directory = paths.normalise(path)
            if directory in self._tree(tenant_id):
                # [INFERRED] creating an existing folder is refused; the VMS's text is not known.
                raise BadRequest(f"Folder {directory} already exists.")
            loan = self.backend.streams.loan_holding(tenant_id, directory)
            if loan is not None:
                raise BadRequest(_read_only(directory, loan))
            self.makedirs(tenant_id, directory, mode=mode, user=user, group=group)

    def delete_folder(self, tenant_id: int, path: str) -> None:
        """Move a directory tree to the trash: it leaves the tree at once, with its data."""
        with self.backend.lock:
            if self.backend.cluster.version_tuple() < TRASH_API_SINCE:
                # [INFERRED] before 4.7 the endpoint does not exist (§2.2), hence a 404.
                raise NotFound()
            if not self.backend.cluster.trash_enabled():
                # VMS_API.md §4.6 [READ MANILA/CSI tests]: "trash folder disabled", 400 (plain text [INFERRED]).
                raise PlainTextError("trash folder disabled")
            directory = paths.normalise(path)
            tree = self._tree(tenant_id)
            if directory not in tree:
                # VMS_API.md §4.6: "no such directory", 400 (plain text [INFERRED]); clients treat it as done.
                raise PlainTextError(f"no such directory: {directory}")
            if directory == "/":
                raise PlainTextError("cannot delete the root directory")  # [INFERRED]
            held = self.backend.snapshots.under(tenant_id, directory)
            if held:
                # VMS_API.md §4.4 [READ CSI]: trash deletion of a path that still has snapshots is refused
                # (VAST limitation ORION-135599); text [INFERRED].
                raise PlainTextError(f"cannot delete {directory}: it has {len(held)} snapshot(s)")
            loan = self.backend.streams.loan_touching(tenant_id, directory)
            if loan is not None:
                # [INFERRED] the destination of an unfinished clone is read-only until it synced (§4.5 loan);
                # clients stop and delete the stream first (CSI's teardown order, §5.2).
                raise PlainTextError(
                    f"cannot delete {directory}: {loan['loanee_root_path']} is the destination of global "
                    f"snapshot stream {loan['name']}, which has not finished"
                )
            self.remove_tree(tenant_id, directory)
            self.backend.state.trash.append(
                {"tenant_id": tenant_id, "path": directory, "deleted": self.backend.now_iso()}
            )

    def remove_tree(self, tenant_id: int, directory: str) -> None:
        """Drop a directory, everything below it and their data (no checks: callers check first)."""
        with self.backend.lock:
            tree = self._tree(tenant_id)
            for key in [key for key in tree if paths.is_under(key, directory)]:
                del tree[key]
            usage = self.backend.state.usage.setdefault(tenant_id, {})
            for key in [key for key in usage if paths.is_under(key, directory)]:
                del usage[key]
            self._changed()

    # -- snapshot contents and clones (VMS_API.md §4.4, §4.5) ------------------------------------------------

    def capture(self, tenant_id: int, path: str) -> Record:
        """The subtree under ``path`` as a snapshot keeps it: directories (mode, owners) and byte counts, keyed
        by their place below ``path`` (``""`` is ``path`` itself)."""
        with self.backend.lock:
            root = paths.normalise(path)
            tree = self.backend.state.filesystem.get(tenant_id, {})
            usage = self.backend.state.usage.get(tenant_id, {})
            return {
                "dirs": {
                    paths.relative(key, root): {
                        "mode": meta["mode"],
                        "owning_user": meta["owning_user"],
                        "owning_group": meta["owning_group"],
                    }
                    for key, meta in tree.items()
                    if paths.is_under(key, root)
                },
                "bytes": {
                    paths.relative(key, root): count
                    for key, count in usage.items()
                    if paths.is_under(key, root)
                },
            }

    def lay_out(self, tenant_id: int, destination: str, captured: Record) -> None:
        """Create ``destination`` (a path that does not exist; its missing parents too) holding a captured
        subtree: its directories and the same byte count per directory."""
        with self.backend.lock:
            tree = self._tree(tenant_id)
            self.makedirs(tenant_id, paths.parent(destination))
            dirs = captured.get("dirs") or {"": {}}
            for suffix in sorted(dirs):
                meta = dirs[suffix]
                tree[destination + suffix] = self._meta(
                    meta.get("mode"), meta.get("owning_user"), meta.get("owning_group")
                )
            if destination not in tree:
                tree[destination] = self._meta(None)
            usage = self.backend.state.usage.setdefault(tenant_id, {})
            for suffix, count in (captured.get("bytes") or {}).items():
                usage[destination + suffix] = int(count)
            self._changed()

    def stat_path(self, tenant_id: int, path: str) -> Record:
        """The stat of a directory, in the shape of the spec's stat_path response (§4.6)."""
        with self.backend.lock:
            directory = paths.normalise(path)
            tree = self._tree(tenant_id)
            meta = tree.get(directory)
            if meta is None:
                # [INFERRED] the same answer as delete_folder for a missing path (§4.6).
                raise PlainTextError(f"no such directory: {directory}")
            children = [key for key in tree if key != directory and paths.parent(key) == directory]
            return {
                "is_directory": True,
                "owning_user": meta["owning_user"],
                "owning_uid": 0 if meta["owning_user"] == "root" else None,
                "owning_group": meta["owning_group"],
                "owning_gid": 0 if meta["owning_group"] == "root" else None,
                "children": len(children),
                "atime": meta["atime"],
                "mtime": meta["mtime"],
                "ctime": meta["ctime"],
                "has_default_acl": False,
                "smb_readonly_flag": False,
                "abac_tags": [],
            }

    # -- usage -----------------------------------------------------------------------------------------------

    def set_usage(self, tenant_id: int, path: str, used_bytes: int) -> None:
        with self.backend.lock:
            directory = paths.normalise(path)
            if directory not in self._tree(tenant_id):
                raise PlainTextError(f"no such directory: {directory}")
            loan = self.backend.streams.loan_holding(tenant_id, directory)
            if loan is not None:
                raise PlainTextError(_read_only(directory, loan))
            usage = self.backend.state.usage.setdefault(tenant_id, {})
            self._count_usage_change(tenant_id, directory, used_bytes - usage.get(directory, 0))
            usage[directory] = used_bytes

    def used_bytes(self, tenant_id: int, path: str) -> int:
        with self.backend.lock:
            return self._subtree_totals(tenant_id)[0][paths.normalise(path)]

    def inode_count(self, tenant_id: int, path: str) -> int:
        """Directories in the subtree, the root included (the simulator has no files)."""
        with self.backend.lock:
            return self._subtree_totals(tenant_id)[1][paths.normalise(path)]

    def _subtree_totals(self, tenant_id: int) -> tuple[Counter[str], Counter[str]]:
        """Bytes and directories below every directory (itself included), in one pass over the tree."""
        totals = self._valid_totals(tenant_id)
        if totals is not None:
            return totals
        state = self.backend.state
        used: Counter[str] = Counter()
        inodes: Counter[str] = Counter()
        for key, count in state.usage.get(tenant_id, {}).items():
            for ancestor in paths.parents(key):
                used[ancestor] += count
        for key in state.filesystem.get(tenant_id, {}):
            for ancestor in paths.parents(key):
                inodes[ancestor] += 1
        self._totals[tenant_id] = (state, self._changes, used, inodes)
        return used, inodes

    def total_used(self) -> int:
        with self.backend.lock:
            return sum(sum(usage.values()) for usage in self.backend.state.usage.values())


def _read_only(directory: str, loan: Record) -> str:
    """[INFERRED] a clone's destination is a read-only loan of the snapshot until its stream finished."""
    return (
        f"{directory} is read-only: it is in the destination of global snapshot stream {loan['name']}, "
        "which has not finished"
    )
