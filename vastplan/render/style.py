"""ANSI colour for the text rendering, and nothing when colour is off.

Whether colour is wanted (a terminal, no ``NO_COLOR``) is the caller's decision (DESIGN §10); this module
only obeys it, so that no escape code ever reaches a file, a pipe or a review comment by accident.
"""

from __future__ import annotations

_CODES = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "magenta": "35", "cyan": "36"}

#: Colour of each action: green create, yellow update, red delete, magenta replace.
ACTION_STYLE = {"create": "green", "update": "yellow", "replace": "magenta", "delete": "red"}
#: Colour of a risk marker.
RISK_STYLE = {"data-loss": "red", "disruptive": "yellow", "safe": "green"}
#: Colour of a field line by its sign.
SIGN_STYLE = {"+": "green", "-": "red", "~": "yellow"}


class Painter:
    """Wraps text in ANSI codes when enabled; returns it untouched otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        codes = ";".join(_CODES[style] for style in styles if style in _CODES)
        if not self.enabled or not codes or not text:
            return text
        return f"\x1b[{codes}m{text}\x1b[0m"
