"""Checks on the paths a spec names: views, quotas, folders, snapshots and scope prefixes.

A path is part of an object's identity (``view[/projects/a]``), so it must have exactly one spelling:
absolute, no empty, ``.`` or ``..`` components, no control characters (NUL above all: the VMS is C
underneath). Views, quotas and folders take no trailing slash (the VMS wants ``/a/b`` for views,
VMS_API.md §4.1); snapshot paths are stored with one (§4.4: clients and the VMS use ``/a/b/``), so the loader
adds it when it is missing.
"""

from __future__ import annotations

import re

#: Longest path accepted (Linux's PATH_MAX).
MAX_PATH_LENGTH = 4096

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def path_problems(path: str, *, trailing_slash: bool = False) -> list[str]:
    """What is wrong with ``path`` (empty when nothing is). ``trailing_slash``: one is allowed."""
    if not path.startswith("/"):
        return [f"{path!r} is not an absolute path; it must start with '/'"]
    problems: list[str] = []
    control = _CONTROL_RE.search(path)
    if control:
        char = control.group()
        what = "a NUL byte" if char == "\0" else f"a control character (U+{ord(char):04X})"
        problems.append(f"path {path!r} contains {what}")
    if len(path) > MAX_PATH_LENGTH:
        problems.append(f"path is {len(path)} characters long; at most {MAX_PATH_LENGTH} are allowed")
    body = path[1:-1] if path.endswith("/") and path != "/" else path[1:]
    if path.endswith("/") and path != "/" and not trailing_slash:
        problems.append(f"path {path!r} ends with '/'; write {path.rstrip('/') or '/'!r}")
    components = body.split("/") if body else []
    if ".." in components:
        problems.append(f"path {path!r} has a '..' component; write the path it leads to")
    if "." in components:
        problems.append(f"path {path!r} has a '.' component; leave it out")
    if "" in components:
        problems.append(f"path {path!r} has an empty component ('//'); write single slashes")
    return problems


def snapshot_path(path: str) -> str:
    """A snapshot path as the VMS stores it: with a trailing slash."""
    return path if path.endswith("/") else path + "/"


__all__ = ["MAX_PATH_LENGTH", "path_problems", "snapshot_path"]
