"""The directory tree of each tenant, the trash API, and per-path data usage (VMS_API.md §4.6).

Only directories are modelled: a path exists or it does not. Data is a byte count per path, set through the
control API (``POST /_sim/usage``); a quota or view reports the sum over its subtree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    def drop_tenant(self, tenant_id: int) -> None:
        with self.backend.lock:
            self.backend.state.filesystem.pop(tenant_id, None)
            self.backend.state.usage.pop(tenant_id, None)

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
            for key in [key for key in tree if paths.is_under(key, directory)]:
                del tree[key]
            usage = self.backend.state.usage.setdefault(tenant_id, {})
            for key in [key for key in usage if paths.is_under(key, directory)]:
                del usage[key]
            self.backend.state.trash.append(
                {"tenant_id": tenant_id, "path": directory, "deleted": self.backend.now_iso()}
            )

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
            self.backend.state.usage.setdefault(tenant_id, {})[directory] = used_bytes

    def used_bytes(self, tenant_id: int, path: str) -> int:
        with self.backend.lock:
            root = paths.normalise(path)
            usage = self.backend.state.usage.get(tenant_id, {})
            return sum(count for key, count in usage.items() if paths.is_under(key, root))

    def inode_count(self, tenant_id: int, path: str) -> int:
        """Directories in the subtree, the root included (the simulator has no files)."""
        with self.backend.lock:
            root = paths.normalise(path)
            tree = self.backend.state.filesystem.get(tenant_id, {})
            return sum(1 for key in tree if paths.is_under(key, root))

    def total_used(self) -> int:
        with self.backend.lock:
            return sum(sum(usage.values()) for usage in self.backend.state.usage.values())
