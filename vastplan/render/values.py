"""How one value of a plan is shown: sizes, strings, references, long values.

Everything here returns text that is safe to print: control characters (ANSI escapes, newlines, bidi
overrides) in user-controlled values are shown as ``\\uXXXX`` and never reach the terminal or the review.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Longest rendering of one value before it is cut.
VALUE_LIMIT = 120
#: Longest free text (an address, a reason, a message) before it is cut.
TEXT_LIMIT = 300

# C0 and C1 controls, DEL, line/paragraph separators, and the bidi controls of "Trojan Source".
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PLAIN_TOKEN = re.compile(r"^[A-Za-z0-9_./:@*+,=%-]+$")
_BINARY_UNITS = (("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10))


def visible(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible ``\\uXXXX``."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters with an ellipsis and the full length stated."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def safe_text(text: object, limit: int = TEXT_LIMIT) -> str:
    """Free text from a plan, fit to print."""
    return truncate(visible(str(text)), limit)


def human_size(size: int) -> str:
    """``10 GiB (10737418240)``: binary units for reading, the exact byte count for checking."""
    for unit, factor in _BINARY_UNITS:
        if abs(size) >= factor:
            scaled = f"{size / factor:.2f}".rstrip("0").rstrip(".")
            return f"{scaled} {unit} ({size})"
    return f"{size} bytes"


def format_value(value: Any, *, size: bool = False) -> str:
    """One value as it appears after ``field:`` in a diff."""
    if size and isinstance(value, int) and not isinstance(value, bool):
        return human_size(value)
    if isinstance(value, dict) and set(value) == {"$ref"}:
        return f"(known after apply: {safe_text(value['$ref'], VALUE_LIMIT)})"
    return truncate(visible(_json(value)), VALUE_LIMIT)


def format_item(value: Any) -> str:
    """One member of a set-compared field: plain tokens (hosts, CIDRs, protocols) unquoted."""
    if isinstance(value, str) and _PLAIN_TOKEN.match(value):
        return truncate(value, VALUE_LIMIT)
    return format_value(value)


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    except (TypeError, ValueError):  # not JSON-able: a document that skipped validation
        return repr(value)
