"""VMS duration strings: ``"300"`` (seconds) or ``[DD] [HH:[MM:]]ss`` (VMS_API.md §4.2 atime_frequency,
§4.3 grace_period)."""

from __future__ import annotations

import re

_HMS = re.compile(r"^(?:(\d+) )?(?:(\d+):)?(?:(\d+):)?(\d+)$")


def duration_seconds(text: str) -> int | None:
    """``"300"`` or ``"00:00:30"`` (or ``"1 00:00:00"``) in seconds; None when unreadable (§4.2 atime_frequency)."""
    match = _HMS.match(text.strip())
    if not match:
        return None
    days, first, second, last = (int(part) if part else 0 for part in match.groups())
    if match.group(3) is None and match.group(2) is not None:
        # "MM:SS": the first group was minutes.
        first, second = 0, first
    return ((days * 24 + first) * 60 + second) * 60 + last


def pretty_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"
