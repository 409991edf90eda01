"""The review rendering: Markdown for a comment on a change request (GitHub, GitLab, Gitea).

Layout: a title with the summary, a table of counts and max risk, the data-loss and disruptive changes
listed up front, every change in a collapsed ``<details>`` block with a ``diff`` code block, and the
digests last so that a reviewer can approve one (``--expect-digest``).

Every text that comes from the plan is escaped for where it lands: inside HTML blocks (``<summary>``)
Markdown is not parsed, so only HTML is escaped; in paragraphs both Markdown punctuation and HTML are;
inside code fences nothing is, and the fence is made longer than any run of backticks in its content.

Comment hosts cut long comments (GitHub at 65,536 characters), so the output is kept under
:data:`LIMIT`: the details of the least risky changes are dropped first, and a note says how many.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vastplan.render.changes import (
    SYMBOLS,
    Change,
    Field,
    changes_at_risk,
    cluster_text,
    field_notes,
    field_value,
    is_set_field,
    object_lines,
    risk_rank,
    set_lines,
    shown_changes,
    summary_line,
)
from vastplan.render.values import safe_text

#: Most characters of one rendering, below GitHub's 65,536 with room for a bot's own header.
LIMIT = 65_000
# Room kept for the note that says what was left out.
_NOTE_ROOM = 400
# Punctuation that can start emphasis, code, links, tables, strikethrough or math in the middle of a line.
# Plan text never starts a line here, so block markers ("#", "-", "1.", ">") need no escape.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$])")
_RISK_TITLES = {
    "data-loss": "Data loss: `vastplan apply` refuses these unless given `--allow-data-loss`",
    "disruptive": "Disruptive: clients may lose access while these run",
}


def html_text(text: object) -> str:
    """Plan text for inside an HTML block, where Markdown is not parsed."""
    return html.escape(safe_text(text), quote=True)


def md_text(text: object) -> str:
    """Plan text for a Markdown paragraph: no emphasis, links, tables or HTML can come out of it."""
    return html.escape(_MD_PUNCTUATION.sub(r"\\\1", safe_text(text)), quote=True)


def code(text: object) -> str:
    """Inline code for plan text: ``<code>`` rather than backticks, which the text itself may hold."""
    return f"<code>{md_text(text)}</code>"


@dataclass(frozen=True)
class _Detail:
    index: int
    risk: str
    text: str


def render_markdown(doc: Mapping[str, Any]) -> str:
    """The plan as a review comment, at most :data:`LIMIT` characters."""
    head = _head(doc)
    shown = shown_changes(doc)
    if not shown:
        return (head + "No changes. The cluster matches the spec.\n\n" + _diagnostics(doc)).rstrip("\n")
    care = _care_lines(doc)
    details = [_Detail(index, change["risk"], _detail(change)) for index, change in enumerate(shown)]
    foot = _diagnostics(doc) + _foot(doc)
    return _fit(head, care, details, foot)


# --- the parts ------------------------------------------------------------------------------------


def _head(doc: Mapping[str, Any]) -> str:
    summary = doc["summary"]
    changed = sum(summary[action] for action in ("create", "update", "replace", "delete"))
    title = summary_line(summary).removeprefix("Plan: ") if changed else "no changes"
    rows = [
        "| create | update | replace | delete | unchanged | max risk |",
        "|---:|---:|---:|---:|---:|:---|",
        (
            f"| {summary['create']} | {summary['update']} | {summary['replace']} | {summary['delete']} "
            f"| {summary['noop']} | **{md_text(doc['max_risk'])}** |"
        ),
    ]
    where = f"{code(doc['endpoint'])} ({md_text(cluster_text(doc['cluster']))})"
    return f"## vastplan plan: {title}\n\n{where}\n\n" + "\n".join(rows) + "\n\n"


def _care_lines(doc: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for risk in ("data-loss", "disruptive"):
        risky = changes_at_risk(doc, risk)
        if risky:
            lines += [f"**{_RISK_TITLES[risk]}**", ""] if not lines else ["", f"**{_RISK_TITLES[risk]}**", ""]
            lines += [_care_line(change) for change in risky]
    return (["### Changes that need care", ""] + lines) if lines else []


def _care_line(change: Change) -> str:
    reason = f": {md_text(change['reason'])}" if change.get("reason") else ""
    return f"- {change['action']} {code(change['address'])}{reason}"


def _detail(change: Change) -> str:
    action = change["action"]
    summary = (
        f"<code>{html.escape(SYMBOLS[action])}</code> <code>{html_text(change['address'])}</code> {action}"
    )
    if change["risk"] != "safe":
        summary += f", <b>{html_text(change['risk'])}</b>"
    # "Reason:" first, so that no plan text ever starts a line (where "#", "-" or "1." would format it).
    reason = f"Reason: {md_text(change['reason'])}\n\n" if change.get("reason") else ""
    return (
        f"<details><summary>{summary}</summary>\n\n{reason}{_fenced('diff', _diff_lines(change))}\n\n"
        "</details>\n\n"
    )


def _diff_lines(change: Change) -> list[str]:
    if change["action"] in ("create", "delete"):
        return [f"{sign} {'    ' * depth}{text}" for sign, depth, text in object_lines(change)]
    lines: list[str] = []
    for field in change["fields"]:
        lines += _field_diff(change["kind"], field)
    return lines or ["  (no field differences recorded)"]


def _field_diff(kind: str, field: Field) -> list[str]:
    name = safe_text(field["name"])
    notes = field_notes(field)
    comment = f"  # {', '.join(notes)}" if notes else ""
    if not is_set_field(field):
        return [
            f"- {name}: {field_value(kind, field['name'], field['before'])}",
            f"+ {name}: {field_value(kind, field['name'], field['after'])}{comment}",
        ]
    pairs, more = set_lines(field)
    lines = [f"  {name}:{comment}"] + [f"{sign}   {item}" for sign, item in pairs]
    return lines + ([f"    … and {more} more"] if more else [])


def _fenced(language: str, lines: list[str]) -> str:
    body = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def _diagnostics(doc: Mapping[str, Any]) -> str:
    diagnostics = doc.get("diagnostics") or []
    if not diagnostics:
        return ""
    lines = ["### Diagnostics", ""]
    for diagnostic in diagnostics:
        where = f" {code(diagnostic['address'])}" if diagnostic.get("address") else ""
        lines.append(f"- **{md_text(diagnostic['severity'])}**{where}: {md_text(diagnostic['message'])}")
    return "\n".join(lines) + "\n\n"


def _foot(doc: Mapping[str, Any]) -> str:
    digest = code(doc["plan_digest"])
    return (
        "---\n\n"
        f"**Plan digest** {digest}\n\n"
        f"To apply exactly this plan: <code>vastplan apply plan.json --expect-digest "
        f"{md_text(doc['plan_digest'])}</code>\n\n"
        f"<sub>observed_digest {code(doc['observed_digest'])} · spec_digest {code(doc['spec_digest'])} · "
        f"{md_text(doc['generator'])} · {md_text(doc['created_at'])}</sub>"
    )


# --- the size limit -------------------------------------------------------------------------------


def _fit(head: str, care: list[str], details: list[_Detail], foot: str) -> str:
    care_text = "\n".join(care) + "\n\n" if care else ""
    body_length = len(head) + len(care_text) + len(foot) + len("### All changes\n\n")
    total = body_length + sum(len(detail.text) for detail in details)
    if total <= LIMIT:
        return _assemble(head, care_text, [detail.text for detail in details], "", foot)
    budget = LIMIT - _NOTE_ROOM
    # Least risky first, and among equals the last ones first, so that what stays is the top of the list.
    dropped: set[int] = set()
    for detail in sorted(details, key=lambda item: (risk_rank(item.risk), -item.index)):
        if total <= budget:
            break
        dropped.add(detail.index)
        total -= len(detail.text)
    care_text = _cut_care(care, budget - (total - len(care_text))) if total > budget else care_text
    kept = [detail.text for detail in details if detail.index not in dropped]
    return _assemble(head, care_text, kept, _note(len(dropped), len(details)), foot)


def _cut_care(care: list[str], room: int) -> str:
    kept: list[str] = []
    used = 0
    for line in care:
        if used + len(line) + 1 > room - 100:
            kept.append(f"- … and {len(care) - len(kept)} more lines left out: see `vastplan show plan.json`")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept) + "\n\n"


def _note(dropped: int, total: int) -> str:
    if not dropped:
        return ""
    return (
        f"> **Note:** {dropped} of {total} changes are not detailed here, to keep this comment under "
        f"{LIMIT:,} characters (the least risky were left out first). "
        "See every change with `vastplan show plan.json`.\n\n"
    )


def _assemble(head: str, care_text: str, details: list[str], note: str, foot: str) -> str:
    section = "### All changes\n\n" if details or note else ""
    return head + care_text + section + note + "".join(details) + foot
