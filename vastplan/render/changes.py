"""What every rendering agrees on: which changes are shown, in what order, and how they are named.

Order: riskiest first (data-loss, then disruptive, then safe), and within one risk the plan's own order
(by address). Reviewers read from the top and stop; what can lose data must be the first thing they see
(PRIOR_ART §4). Noops are never shown, only counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vastplan.planfile import RISK_ORDER
from vastplan.render import sizes
from vastplan.render.values import format_item, format_value, safe_text

#: The symbol of each action, Terraform's.
SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
VERBS = {
    "create": "will be created",
    "update": "will be updated in place",
    "replace": "will be replaced (deleted, then created)",
    "delete": "will be deleted",
}
#: Most member lines shown for one list or set field before "... and N more".
SET_ITEM_LIMIT = 25
#: A list value longer than this on one line is shown one member per line.
LIST_LINE_LIMIT = 80

Change = Mapping[str, Any]
Field = Mapping[str, Any]


def risk_rank(risk: str) -> int:
    """0 for safe, up to 2 for data-loss; unknown risks count as the worst."""
    return RISK_ORDER.index(risk) if risk in RISK_ORDER else len(RISK_ORDER)


def shown_changes(doc: Mapping[str, Any]) -> list[Change]:
    """The changes a rendering lists: every non-noop change, riskiest first, then in plan order."""
    changes = [change for change in doc["changes"] if change["action"] != "noop"]
    ordered = sorted(enumerate(changes), key=lambda pair: (-risk_rank(pair[1]["risk"]), pair[0]))
    return [change for _, change in ordered]


def summary_line(summary: Mapping[str, int]) -> str:
    """``Plan: 1 to create, 2 to update, 0 to replace, 1 to delete. 4 unchanged.``"""
    return (
        f"Plan: {summary['create']} to create, {summary['update']} to update, "
        f"{summary['replace']} to replace, {summary['delete']} to delete. {summary['noop']} unchanged."
    )


def changes_at_risk(doc: Mapping[str, Any], risk: str) -> list[Change]:
    """Non-noop changes of exactly ``risk``, in plan order."""
    return [change for change in doc["changes"] if change["action"] != "noop" and change["risk"] == risk]


def is_set_field(field: Field) -> bool:
    """Set-compared fields carry ``added``/``removed`` (docs/internals.md)."""
    return "added" in field or "removed" in field


def field_value(kind: str, name: str, value: Any) -> str:
    """A value of field ``name`` of ``kind``, with byte sizes shown human-readably."""
    return format_value(value, size=name in sizes.size_fields(kind))


def field_notes(field: Field) -> list[str]:
    """Markers after a field line: ``forces replacement`` and the field's risk when not safe."""
    notes = ["forces replacement"] if field.get("forces_replacement") else []
    if field.get("risk", "safe") != "safe":
        notes.append(str(field["risk"]))
    return notes


def set_lines(field: Field) -> tuple[list[tuple[str, str]], int]:
    """(sign, member) pairs of a set field, added first, and how many were left out."""
    pairs = [("+", format_item(item)) for item in field.get("added") or []]
    pairs += [("-", format_item(item)) for item in field.get("removed") or []]
    return pairs[:SET_ITEM_LIMIT], max(0, len(pairs) - SET_ITEM_LIMIT)


def object_lines(change: Change) -> list[tuple[str, int, str]]:
    """(sign, depth, text) lines of a created (``after``) or deleted (``before``) object.

    Depth 0 is ``name: value``; a list too long for one line becomes ``name:`` and one depth-1 line per
    member, because the members (hosts, mostly) are what a reviewer must read.
    """
    sign, values = ("+", change["after"]) if change["action"] == "create" else ("-", change["before"])
    values = values or {}
    lines: list[tuple[str, int, str]] = []
    for name in sorted(values):
        value = values[name]
        text = field_value(change["kind"], name, value)
        if not isinstance(value, list) or len(text) <= LIST_LINE_LIMIT:
            lines.append((sign, 0, f"{safe_text(name)}: {text}"))
            continue
        lines.append((sign, 0, f"{safe_text(name)}:"))
        lines += [(sign, 1, format_item(item)) for item in value[:SET_ITEM_LIMIT]]
        if len(value) > SET_ITEM_LIMIT:
            lines.append((" ", 1, f"… and {len(value) - SET_ITEM_LIMIT} more"))
    return lines


def cluster_text(cluster: Mapping[str, Any]) -> str:
    """``cluster "prod-1", VAST 5.3.0`` or ``VAST 5.3.0`` when the name is unknown (unescaped)."""
    version = f"VAST {cluster.get('version')}"
    name = cluster.get("name")
    return f'cluster "{name}", {version}' if name else version
