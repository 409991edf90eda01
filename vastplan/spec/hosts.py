"""Host entries of view policy host lists (``nfs_read_write``, ``nfs_root_squash``, ``trash_access``, ...).

What the VMS accepts (VMS_API.md §4.2):

- ``*``: every host;
- an IPv4 or IPv6 address (``10.0.0.5``, ``2001:db8::5``);
- a CIDR network, IPv4 or IPv6 (``10.0.0.0/24``, ``2001:db8::/64``). Host bits must be zero: ``10.0.0.1/24``
  is refused with the network it should be, since it almost always means a typo in a rule meant to be exact;
- an IPv4 address with ``*`` for whole octets (``10.0.*.*``);
- a netgroup, ``@name``;
- a deny rule: ``~`` before an address, network or octet wildcard (``~10.0.0.7``).

Entries are kept as written; the kind module compares host lists as sets.
"""

from __future__ import annotations

import ipaddress
import re

_NETGROUP_RE = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9._-]*$")
_OCTET_RE = re.compile(r"^(0|[1-9][0-9]{0,2})$")
_FORMS = (
    "an IP address, a CIDR network (10.0.0.0/24), '*', an IPv4 wildcard (10.0.*.*), a netgroup (@name), "
    "or one of these but '*' and netgroups with '~' before it to deny"
)


def host_problem(entry: str) -> str | None:
    """Why ``entry`` is not a valid host entry, or None when it is."""
    if not entry:
        return "a host entry must not be empty"
    if entry != entry.strip():
        return f"host entry {entry!r} has spaces around it"
    if entry == "*":
        return None
    if entry.startswith("@"):
        return None if _NETGROUP_RE.match(entry) else f"{entry!r} is not a valid netgroup name"
    body = entry.removeprefix("~")
    if body in ("", "*") or body.startswith(("~", "@")):
        return f"{entry!r} is not a valid deny rule; '~' goes before an address, network or wildcard"
    return _address_problem(body, entry)


def _address_problem(body: str, entry: str) -> str | None:
    if "*" in body:
        return (
            None
            if _is_octet_wildcard(body)
            else f"{entry!r} is not a valid wildcard: use '*' for whole IPv4 octets, as in 10.0.*.*"
        )
    if "/" in body:
        return _network_problem(body, entry)
    try:
        ipaddress.ip_address(body)
    except ValueError:
        return f"{entry!r} is not a valid host entry; expected {_FORMS}"
    return None


def _network_problem(body: str, entry: str) -> str | None:
    try:
        ipaddress.ip_network(body, strict=True)
    except ValueError:
        try:
            network = ipaddress.ip_network(body, strict=False)
        except ValueError:
            return f"{entry!r} is not a valid CIDR network"
        prefix = "~" if entry.startswith("~") else ""
        return f"{entry!r} has host bits set; the network is {prefix}{network}"
    return None


def _is_octet_wildcard(body: str) -> bool:
    octets = body.split(".")
    if len(octets) != 4:
        return False
    return all(octet == "*" or (_OCTET_RE.match(octet) is not None and int(octet) <= 255) for octet in octets)


__all__ = ["host_problem"]
