"""The terminal rendering: Terraform's plan output, adapted to VAST objects.

::

    vastplan plan for https://vms.example.com (cluster "prod-1", VAST 5.3.0)

      # quota[/projects/alpha/data] will be updated in place: hard_limit lowered
      ~ quota[/projects/alpha/data]  ! data-loss
          ~ hard_limit: 10 GiB (10737418240) → 5 GiB (5368709120)  ! data-loss

    Plan: 0 to create, 1 to update, 0 to replace, 0 to delete. 4 unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vastplan.render.changes import (
    SYMBOLS,
    VERBS,
    Change,
    Field,
    changes_at_risk,
    cluster_text,
    field_notes,
    field_value,
    is_set_field,
    object_lines,
    set_lines,
    shown_changes,
    summary_line,
)
from vastplan.render.style import ACTION_STYLE, RISK_STYLE, SIGN_STYLE, Painter
from vastplan.render.values import safe_text

_INDENT = "  "
_FIELD_INDENT = "      "
_ITEM_INDENT = "          "


def render_text(doc: Mapping[str, Any], *, color: bool = False) -> str:
    """The plan as a terminal shows it; ANSI colour only when ``color`` is true."""
    paint = Painter(color)
    lines = [_header(doc), ""]
    shown = shown_changes(doc)
    if not shown:
        lines.append("No changes. The cluster matches the spec.")
        lines += _diagnostics(doc, paint)
        return "\n".join(lines)
    lines += ["vastplan will make these changes:", ""]
    for change in shown:
        lines += _change_block(change, paint) + [""]
    lines += _diagnostics(doc, paint, trailing_blank=True)
    lines.append(paint(summary_line(doc["summary"]), "bold"))
    lines += _data_loss_warning(doc, paint)
    lines += ["", f"Plan digest: {safe_text(doc['plan_digest'])}"]
    return "\n".join(lines)


def _header(doc: Mapping[str, Any]) -> str:
    return f"vastplan plan for {safe_text(doc['endpoint'])} ({safe_text(cluster_text(doc['cluster']))})"


def _change_block(change: Change, paint: Painter) -> list[str]:
    action, address = change["action"], safe_text(change["address"])
    comment = f"# {address} {VERBS[action]}"
    if change.get("reason"):
        comment += f": {safe_text(change['reason'])}"
    title = f"{paint(SYMBOLS[action], ACTION_STYLE[action], 'bold')} {paint(address, 'bold')}"
    if change["risk"] != "safe":
        title += "  " + _risk_marker(change["risk"], paint)
    return [_INDENT + comment, _INDENT + title] + _field_lines(change, paint)


def _risk_marker(risk: str, paint: Painter) -> str:
    return paint(f"! {safe_text(risk)}", RISK_STYLE.get(risk, "red"), "bold")


def _field_lines(change: Change, paint: Painter) -> list[str]:
    if change["action"] in ("create", "delete"):
        return [
            f"{_ITEM_INDENT if depth else _FIELD_INDENT}{paint(sign, SIGN_STYLE.get(sign, ''))} {text}"
            for sign, depth, text in object_lines(change)
        ]
    lines: list[str] = []
    for field in change["fields"]:
        lines += _updated_field(change["kind"], field, paint)
    return lines


def _updated_field(kind: str, field: Field, paint: Painter) -> list[str]:
    name = safe_text(field["name"])
    notes = "".join(f"  {_note(note, paint)}" for note in field_notes(field))
    sign = paint("~", SIGN_STYLE["~"])
    if not is_set_field(field):
        before = field_value(kind, field["name"], field["before"])
        after = field_value(kind, field["name"], field["after"])
        return [f"{_FIELD_INDENT}{sign} {name}: {before} → {after}{notes}"]
    pairs, more = set_lines(field)
    lines = [f"{_FIELD_INDENT}{sign} {name}:{notes}"]
    lines += [f"{_ITEM_INDENT}{paint(item_sign, SIGN_STYLE[item_sign])} {item}" for item_sign, item in pairs]
    if more:
        lines.append(f"{_ITEM_INDENT}… and {more} more")
    return lines


def _note(note: str, paint: Painter) -> str:
    if note == "forces replacement":
        return paint("(forces replacement)", "magenta")
    return _risk_marker(note, paint)


def _diagnostics(doc: Mapping[str, Any], paint: Painter, *, trailing_blank: bool = False) -> list[str]:
    diagnostics = doc.get("diagnostics") or []
    if not diagnostics:
        return []
    lines = [] if trailing_blank else [""]
    styles = {"error": "red", "warning": "yellow", "info": "cyan"}
    for diagnostic in diagnostics:
        label = paint(
            f"{safe_text(diagnostic['severity']).capitalize()}:", styles.get(diagnostic["severity"], "bold")
        )
        where = f" {safe_text(diagnostic['address'])}:" if diagnostic.get("address") else ""
        lines.append(f"{label}{where} {safe_text(diagnostic['message'])}")
    return lines + ([""] if trailing_blank else [])


def _data_loss_warning(doc: Mapping[str, Any], paint: Painter) -> list[str]:
    risky = changes_at_risk(doc, "data-loss")
    if not risky:
        return []
    noun = "change" if len(risky) == 1 else "changes"
    lines = ["", paint(f"Warning: {len(risky)} {noun} can lose data:", "red", "bold")]
    for change in risky:
        reason = f": {safe_text(change['reason'])}" if change.get("reason") else ""
        lines.append(f"{_INDENT}{SYMBOLS[change['action']]} {safe_text(change['address'])}{reason}")
    lines.append(
        f"vastplan apply refuses to run {'it' if len(risky) == 1 else 'them'} unless given --allow-data-loss."
    )
    return lines
