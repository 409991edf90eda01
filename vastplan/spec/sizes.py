"""Sizes in bytes: ``10737418240``, ``"10GiB"``, ``"500GB"``, ``"1.5TiB"``.

The VMS stores quota limits as integers of bytes (VMS_FIELDS.md, /quotas/ ``hard_limit``/``soft_limit``), so a
size is turned into an exact int once, in the loader, and compared as bytes everywhere after it
(``"10GiB"`` equals ``10737418240``).

- Units: ``B``; decimal ``KB MB GB TB PB`` (powers of 1000); binary ``KiB MiB GiB TiB PiB`` (powers of 1024).
  Case does not matter (``10gib`` is ``10GiB``): there are no bits here to confuse with bytes.
- A number may have a fraction (``1.5TiB``) as long as the result is a whole number of bytes: ``1.1GiB`` is
  1181116006.4 bytes and is refused rather than rounded, since a rounded limit would never equal what the
  user wrote.
- Whitespace between number and unit is allowed (``10 GiB``); a plain number string is bytes (``"1024"``).
- Negative sizes, NaN, booleans and sizes above 2**63 - 1 (the VMS's int64) are refused.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from decimal import Decimal, localcontext

#: Every unit and its factor, in the spelling the docs use.
UNITS: Mapping[str, int] = {
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "TB": 1000**4,
    "PB": 1000**5,
    "KiB": 1024,
    "MiB": 1024**2,
    "GiB": 1024**3,
    "TiB": 1024**4,
    "PiB": 1024**5,
}

#: Largest size the VMS can store (a signed 64-bit integer).
MAX_SIZE = 2**63 - 1

_BY_LOWER = {unit.lower(): unit for unit in UNITS}
_SIZE_RE = re.compile(r"^\s*(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[A-Za-z]*)\s*$")
_HINT = "write bytes (1073741824) or a number with a unit (10GiB, 500GB, 1.5TiB)"
_BINARY = ("PiB", "TiB", "GiB", "MiB", "KiB")
_DECIMAL = ("PB", "TB", "GB", "MB", "KB")


class SizeError(ValueError):
    """A value that is not a size; the message says why, for a user."""


def parse_size(value: object) -> int:
    """The number of bytes ``value`` stands for; :class:`SizeError` when it is not a size."""
    if isinstance(value, bool):
        raise SizeError(f"{str(value).lower()} is not a size; {_HINT}")
    if isinstance(value, int):
        return _checked(value, repr(value))
    if isinstance(value, float):
        return _from_float(value)
    if isinstance(value, str):
        return _from_text(value)
    raise SizeError(f"{value!r} is not a size; {_HINT}")


def _checked(number: int, shown: str) -> int:
    if number < 0:
        raise SizeError(f"{shown} is negative; a size is 0 or more bytes")
    if number > MAX_SIZE:
        raise SizeError(f"{shown} is larger than the VMS can store (at most {MAX_SIZE} bytes)")
    return number


def _from_float(value: float) -> int:
    if not math.isfinite(value):
        raise SizeError(f"{value} is not a size; {_HINT}")
    if not value.is_integer():
        raise SizeError(f"{value} is not a whole number of bytes")
    return _checked(int(value), repr(value))


def _from_text(text: str) -> int:
    if text.strip().startswith("-"):
        raise SizeError(f"{text!r} is negative; a size is 0 or more bytes")
    match = _SIZE_RE.match(text)
    if not match or len(match["number"]) > 40:
        raise SizeError(f"{text!r} is not a size; {_HINT}")
    factor = _factor(match["unit"] or "B", text)
    with localcontext() as context:
        context.prec = 80  # exact for every number the regex and the length cap let through
        total = Decimal(match["number"]) * factor
        if total > MAX_SIZE:  # checked first: "too large" is the more useful news than "a fraction"
            raise SizeError(f"{text!r} is larger than the VMS can store (at most {MAX_SIZE} bytes)")
        if total != total.to_integral_value():
            raise SizeError(
                f"{text!r} is {total.normalize():f} bytes, not a whole number; write the bytes or "
                "a unit that divides evenly"
            )
        return _checked(int(total), repr(text))


def _factor(unit: str, text: str) -> int:
    canonical = _BY_LOWER.get(unit.lower())
    if canonical is not None:
        return UNITS[canonical]
    close = difflib.get_close_matches(unit.lower(), list(_BY_LOWER), n=1, cutoff=0.6)
    hint = f"; did you mean {_BY_LOWER[close[0]]!r}?" if close else ""
    raise SizeError(f"unknown unit {unit!r} in {text!r}: use one of {', '.join(UNITS)}{hint}")


def format_size(size: int, *, binary: bool = True) -> str:
    """``size`` with the largest unit that divides it exactly (``10737418240`` -> ``"10GiB"``), so that
    :func:`parse_size` gives ``size`` back. Binary units by default; ``binary=False`` uses KB, MB, ..."""
    if size < 0:
        raise ValueError("a size is 0 or more bytes")
    for unit in _BINARY if binary else _DECIMAL:
        if size and size % UNITS[unit] == 0:
            return f"{size // UNITS[unit]}{unit}"
    return f"{size}B"


def describe_size(size: int) -> str:
    """``size`` written the shortest exact way, binary or decimal units (``10GB``, ``20GiB``, ``1000B``)."""
    return min(format_size(size), format_size(size, binary=False), key=len)


__all__ = ["MAX_SIZE", "UNITS", "SizeError", "describe_size", "format_size", "parse_size"]
