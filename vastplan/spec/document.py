"""A parsed spec document and where its values came from.

Every later stage reports problems by JSON pointer (RFC 6901, ``/views/0/protocols``); this module turns a
pointer back into a line of the source file. The YAML reader records the line of every value it builds (of
the key, for mapping members, since that is the line a user looks for); values built in memory have no lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


def escape_token(token: str | int) -> str:
    """One pointer reference token: ``~`` and ``/`` escaped as RFC 6901 says."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, *tokens: str | int) -> str:
    """``pointer_join("/views", 0, "path")`` -> ``/views/0/path``."""
    return pointer + "".join("/" + escape_token(token) for token in tokens)


def pointer_of(path: Sequence[str | int]) -> str:
    """The pointer of a path of keys and indexes (as jsonschema reports them)."""
    return pointer_join("", *path)


def pointer_parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""


@dataclass(frozen=True)
class SourceDocument:
    """One document: the name a user knows it by, its data, and the line of each pointer when known."""

    name: str
    data: Any
    lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, pointer: str) -> int | None:
        """The line of ``pointer``, or of its nearest ancestor with a known line (values reached through a
        YAML alias have no line of their own)."""
        while True:
            line = self.lines.get(pointer)
            if line is not None or not pointer:
                return line
            pointer = pointer_parent(pointer)


__all__ = ["SourceDocument", "escape_token", "pointer_join", "pointer_of", "pointer_parent"]
