"""What the command line reads from a plan document (the dict of docs/internals.md), and telling a plan
file from a spec file.

The engine answers the same questions on its ``Plan`` object; a plan read back from a file is a plain
document, so the command line asks the document, and the two paths cannot disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PlanDoc = dict[str, Any]


def doc_of(plan_or_doc: Any) -> PlanDoc:
    """The plan document of an engine ``Plan`` or of a document read from a file."""
    doc = getattr(plan_or_doc, "doc", plan_or_doc)
    if not isinstance(doc, dict):
        raise TypeError(f"not a plan document: {type(doc).__name__}")
    return doc


def pending_changes(doc: PlanDoc) -> list[dict[str, Any]]:
    return [c for c in doc.get("changes", []) if c.get("action") != "noop"]


def has_changes(doc: PlanDoc) -> bool:
    return bool(pending_changes(doc))


def data_loss_changes(doc: PlanDoc) -> list[dict[str, Any]]:
    return [c for c in pending_changes(doc) if c.get("risk") == "data-loss"]


def step_count(doc: PlanDoc) -> int:
    return len(doc.get("steps", []))


def is_plan_file(paths: list[Path]) -> bool:
    """Whether ``apply``'s arguments name one saved plan rather than spec files.

    A plan is one JSON file with ``format_version``. A lone ``*.json`` that is not a spec (specs have
    ``version``) also counts as a plan, so that a damaged or missing plan file is reported as one by the
    plan reader instead of as a puzzling YAML error.
    """
    if len(paths) != 1:
        return False
    content = _json_object(paths[0])
    if content is not None and "format_version" in content:
        return True
    return paths[0].suffix.lower() == ".json" and (content is None or "version" not in content)


def _json_object(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
