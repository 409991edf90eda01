"""Cluster versions: fuzzy parsing of ``sys_version`` and the table of version-gated features.

The VMS reports its release in ``GET /versions/?status=success`` as ``[0].sys_version``, written like
``5.0.0-25`` or ``5.0.0.25``; clients parse it fuzzily (VMS_API.md §2.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vastplan.client.errors import VmsProtocolError

__all__ = ["FEATURES", "Feature", "format_version", "parse_version"]

_SEPARATORS = re.compile(r"[.\-_+ ]")
_LEADING_DIGITS = re.compile(r"\d+")


def parse_version(text: str) -> tuple[int, ...]:
    """``"5.0.0-25"`` → ``(5, 0, 0, 25)``; ``"v4.7.0"`` → ``(4, 7, 0)``; ``"5.3.0-sp2"`` → ``(5, 3, 0)``.

    Components are split on ``.``, ``-``, ``_``, ``+``; each contributes its leading digits; the first
    component without any ends the version (build tags such as ``sp2`` or ``rc1`` are not ordered).
    """
    stripped = str(text).strip().lstrip("vV")
    parts: list[int] = []
    for component in _SEPARATORS.split(stripped):
        match = _LEADING_DIGITS.match(component)
        if not match:
            break
        parts.append(int(match.group()))
        if match.end() != len(component):
            break  # "0rc1": keep the 0, stop before the tag
    if not parts:
        raise VmsProtocolError(f"cannot read the cluster version {text!r}")
    return tuple(parts)


def format_version(parts: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in parts)


@dataclass(frozen=True)
class Feature:
    """A capability that needs a minimum VAST release."""

    description: str
    minimum: tuple[int, ...]


#: Features gated on the cluster version, by key (VMS_API.md §2.2, §4.6, §4.5).
FEATURES: dict[str, Feature] = {
    # DELETE /folders/delete_folder/ — MANILA and CSI call it only from 4.7.0 on.
    "trash_api": Feature("the trash API (folder deletion)", (4, 7)),
    # POST /snapshots/{id}/clone/ (global snapstreams) — CSI gates it at 4.6.0.
    "snapshot_clone": Feature("snapshot clones (global snapstreams)", (4, 6)),
}
