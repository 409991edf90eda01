"""IP ranges written as ``[["start", "end"], ...]``: VIP pool ``ip_ranges`` and tenant ``client_ip_ranges``."""

from __future__ import annotations

import ipaddress
from typing import Any

from vastplan.sim.errors import FieldErrors

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Range = tuple[Address, Address]


def parse_ranges(value: Any, field: str) -> list[Range]:
    """Check each pair is two addresses of one family, start <= end (VMS_API.md §4.7 ``[start_ip, end_ip]``)."""
    ranges: list[Range] = []
    for pair in value or []:
        if len(pair) != 2:
            raise FieldErrors.one(field, "Each range must be a [start, end] pair of IP addresses.")
        try:
            start, end = ipaddress.ip_address(pair[0]), ipaddress.ip_address(pair[1])
        except ValueError as exc:
            raise FieldErrors.one(field, f"Invalid IP address: {exc}") from exc
        if start.version != end.version or start > end:  # type: ignore[operator]
            raise FieldErrors.one(field, f"Invalid range {pair[0]}-{pair[1]}: start must not exceed end.")
        ranges.append((start, end))
    return ranges


def overlaps(first: list[Range], second: list[Range]) -> bool:
    return any(
        a_start.version == b_start.version and a_start <= b_end and b_start <= a_end  # type: ignore[operator]
        for a_start, a_end in first
        for b_start, b_end in second
    )


def summary(value: Any) -> str:
    """``192.0.2.1-192.0.2.4, 192.0.2.9-192.0.2.9`` for a list of pairs."""
    return ", ".join(f"{pair[0]}-{pair[1]}" for pair in value or [])
