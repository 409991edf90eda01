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
_DECIMAL_UNITS = (("PB", 10**15), ("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("KB", 10**3))


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
    """``10 GiB (10737418240)``: a unit for reading, the exact byte count for checking.

    Binary units, unless the size is an exact number of decimal ones and not of binary ones: a spec that
    says ``1TB`` reads back as ``1 TB``, not as ``931.32 GiB``.
    """
    binary, decimal = _largest(size, _BINARY_UNITS), _largest(size, _DECIMAL_UNITS)
    unit = binary if _exact(size, binary) or not _exact(size, decimal) else decimal
    if unit is None:
        return f"{size} bytes"
    name, factor = unit
    scaled = f"{size / factor:.2f}".rstrip("0").rstrip(".")
    return f"{scaled} {name} ({size})"


def _largest(size: int, units: tuple[tuple[str, int], ...]) -> tuple[str, int] | None:
    """The largest unit of ``units`` not above ``size``: the one a person would read it in."""
    return next((unit for unit in units if abs(size) >= unit[1]), None)


def _exact(size: int, unit: tuple[str, int] | None) -> bool:
    """Whether ``unit`` shows ``size`` exactly with at most two decimals."""
    return unit is not None and (size * 100) % unit[1] == 0


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
