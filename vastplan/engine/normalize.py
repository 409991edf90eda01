"""Value normalisers: one canonical form per meaning, so that equal meanings compare equal.

A stateless engine has no "value of the previous run" to fall back on when the VMS writes a value in another
form than the spec did (PRIOR_ART.md §1.1, "normalisation vs drift"), so every field that the VMS may echo
differently gets a normaliser. The kind modules pick which one applies to which field; nothing here knows a
kind.

Normalised values are immutable and JSON-able once thawed: sequences become tuples, mappings become
read-only mappings (:func:`freeze`); :func:`thaw` turns them back into plain lists and dicts.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from vastplan.spec.sizes import SizeError, parse_size

#: A normaliser maps a value as written by the spec or the VMS to its canonical form.
Normalizer = Callable[[Any], Any]


def freeze(value: Any) -> Any:
    """An immutable copy: lists and tuples become tuples, dicts become read-only mappings (recursively)."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain JSON data again: mappings become dicts, tuples become lists (recursively)."""
    if isinstance(value, Mapping):
        return {str(k): thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        return [thaw(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    """A total, type-aware sort and identity key for set members of any JSON type (objects included)."""
    return json.dumps(thaw(value), sort_keys=True, separators=(",", ":"), default=str)


def as_set(member: Normalizer | None = None) -> Normalizer:
    """A normaliser for unordered lists: members normalised, duplicates dropped, sorted; None is empty.

    Host lists and protocols are sets on the VMS (VMS_API.md §4.2: TF types host lists as sets, ANSIBLE
    compares them as sets), so ``[a, b]`` and ``[b, a]`` are one value and never a perpetual diff. Members
    may be objects (a quota's user rules): they are compared by their canonical JSON.
    """

    def normalize(value: Any) -> tuple[Any, ...]:
        if value is None:
            return ()
        items: Iterable[Any] = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
        members = {}
        for item in items:
            frozen = freeze(member(item) if member else item)
            members[_canonical(frozen)] = frozen
        return tuple(members[key] for key in sorted(members))

    return normalize


def host_entry(value: Any) -> Any:
    """A host rule in canonical spelling: IPv4/IPv6 addresses and CIDRs as :mod:`ipaddress` writes them.

    ``2001:DB8::/64`` and ``2001:db8::/64`` are the same rule. Netgroups (``@ng``), wildcards (``10.0.*.*``),
    ``*`` and the deny prefix ``~`` (VMS_API.md §4.2, KB-HOSTS) are kept, with the address part normalised.
    Host bits in a CIDR are kept as written: ``10.0.0.1/24`` is not silently turned into ``10.0.0.0/24``.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    prefix = "~" if text.startswith("~") else ""
    body = text[len(prefix) :].strip()
    try:
        if "/" in body:
            return prefix + str(ipaddress.ip_interface(body))
        return prefix + str(ipaddress.ip_address(body))
    except ValueError:
        return prefix + body


def size(value: Any) -> Any:
    """Bytes as an int: ``"10GiB"`` is ``10737418240`` (DESIGN §2), with the spec loader's own parser, so
    that the spec and the engine read units alike. Anything that is not a size is kept as it is."""
    if value is None or isinstance(value, bool):
        return value
    try:
        return parse_size(value)
    except SizeError:
        return value


def unset_if_zero(inner: Normalizer) -> Normalizer:
    """``None`` for ``0`` and ``None``: the VMS writes an unset quota limit either way (VMS_API.md §4.3,
    KB-QUOTA: "0 or null means do not enforce")."""

    def normalize(value: Any) -> Any:
        value = inner(value)
        return None if value in (None, 0) else value

    return normalize


def dir_path(value: Any) -> Any:
    """A directory path without a trailing slash (``/`` stays ``/``), doubled slashes collapsed."""
    if not isinstance(value, str):
        return value
    collapsed = re.sub("/+", "/", value.strip())
    return collapsed.rstrip("/") or "/"


def snapshot_path(value: Any) -> Any:
    """A snapshot path ends with ``/`` (VMS_API.md §4.4: CSI, TF and MCP all write it so)."""
    path = dir_path(value)
    if not isinstance(path, str):
        return path
    return path if path.endswith("/") else path + "/"


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION_UNIT_RE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_CLOCK_RE = re.compile(r"^\s*(?:(\d+)\s+)?(?:(\d+):)?(?:(\d+):)?(\d+)\s*$")


def duration(value: Any) -> Any:
    """Seconds as an int, from ``3600``, ``"3600"``, ``"1h"`` or ``"[DD ][HH:[MM:]]ss"`` (``"01:00:00"``).

    The VMS takes ``atime_frequency`` as ``300`` or ``00:00:30`` and ``grace_period`` as
    ``[DD] [HH:[MM:]]ss`` (VMS_API.md §4.2, §4.3); ANSIBLE normalises them before diffing.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return value
    unit = _DURATION_UNIT_RE.match(value)
    if unit:
        return int(unit.group(1)) * _DURATION_UNITS[unit.group(2).lower()]
    clock = _CLOCK_RE.match(value)
    if not clock:
        return value.strip()
    days, first, second, seconds = clock.groups()
    # "HH:MM:SS": first=HH, second=MM; "MM:SS": first=MM, second=None.
    hours, minutes = (first, second) if second is not None else (None, first)
    total = int(seconds) + 60 * int(minutes or 0) + 3600 * int(hours or 0) + 86400 * int(days or 0)
    return total


def timestamp(value: Any) -> Any:
    """An ISO 8601 time in UTC, ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``; naive times are UTC (clients send naive
    UTC, VMS_API.md §4.4). Unreadable text is kept as it is."""
    if not isinstance(value, str) or not value.strip():
        return value
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if parsed.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return parsed.strftime(pattern)


def identity(value: Any) -> Any:
    """The value itself, made immutable."""
    return freeze(value)


def project(live: Any, desired: Any) -> Any:
    """``live`` reduced to the keys ``desired`` mentions, recursively for nested objects.

    The VMS fills in default keys of nested objects (ANSIBLE's subset comparison, VMS_API.md §5.4); a key
    the spec does not write is not managed, exactly as a top-level field the spec does not write.
    """
    if isinstance(desired, Mapping) and isinstance(live, Mapping):
        return MappingProxyType({k: project(live.get(k), v) for k, v in desired.items()})
    return live


__all__ = [
    "Normalizer",
    "as_set",
    "dir_path",
    "duration",
    "freeze",
    "host_entry",
    "identity",
    "project",
    "size",
    "snapshot_path",
    "thaw",
    "timestamp",
    "unset_if_zero",
]
