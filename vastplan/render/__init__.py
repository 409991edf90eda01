"""Renderings of a plan document: ``text`` for a terminal, ``markdown`` for a review, ``json`` for tools.

Each takes a valid plan document (see :func:`vastplan.planfile.validate_plan`) and returns a string with no
trailing newline; none prints or writes anything. Changes are listed riskiest first, then by address;
noops are counted, never listed. Text from the plan is escaped wherever it lands, so a hostile name cannot
colour a terminal or break a review comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from vastplan.render.json import render_json
from vastplan.render.markdown import render_markdown
from vastplan.render.text import render_text

__all__ = ["Format", "render", "render_json", "render_markdown", "render_text"]

Format = Literal["text", "markdown", "json"]


def render(doc: Mapping[str, Any], fmt: Format, *, color: bool = False) -> str:
    """``doc`` rendered as ``fmt``. ``color`` adds ANSI colour to ``text`` and is ignored otherwise."""
    if fmt == "text":
        return render_text(doc, color=color)
    if fmt == "markdown":
        return render_markdown(doc)
    if fmt == "json":
        return render_json(doc)
    raise ValueError(f"unknown plan format {fmt!r}: expected text, markdown or json")
