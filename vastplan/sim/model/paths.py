"""Element Store paths: normalisation and containment, shared by folders, views, quotas and snapshots."""

from __future__ import annotations

from vastplan.sim.errors import FieldErrors


def normalise(path: str, *, field: str = "path") -> str:
    """``/a//b/`` -> ``/a/b``; the root stays ``/``. Relative paths and ``..`` are refused."""
    if not path.startswith("/"):
        # VMS_API.md §4.1: a view path must start with "/" (TF validates the same client-side).
        raise FieldErrors.one(field, "Path must start with '/'.")
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise FieldErrors.one(field, "Path must not contain '.' or '..' components.")
    return "/" + "/".join(parts)


def is_under(path: str, root: str) -> bool:
    """True when ``path`` is ``root`` or inside it (both normalised)."""
    return root == "/" or path == root or path.startswith(root + "/")


def parents(path: str) -> list[str]:
    """Every ancestor of a normalised path, root first, the path itself last."""
    result = ["/"]
    current = ""
    for part in path.strip("/").split("/"):
        if part:
            current += "/" + part
            result.append(current)
    return result


def parent(path: str) -> str:
    """The directory that holds ``path`` (the root holds itself)."""
    head = path.rsplit("/", 1)[0]
    return head or "/"


def relative(path: str, root: str) -> str:
    """The part of ``path`` below ``root`` (both normalised, ``path`` under ``root``): ``""`` for the root itself,
    else ``"/sub/dir"``, ready to be appended to another directory."""
    if path == root:
        return ""
    return path if root == "/" else path[len(root) :]


def overlap(one: str, other: str) -> bool:
    """True when either normalised path is the other or inside it."""
    return is_under(one, other) or is_under(other, one)
