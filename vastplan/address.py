"""Object addresses: ``kind[key]``, the one way every stage names an object.

An address is what a user reads in a plan and writes in a review comment, so it is short and stable:

- name-identified kinds: ``tenant[t2]``, ``viewpolicy[alpha-ro]``, ``snapshot[alpha-before-upgrade]``;
- path-identified kinds (unique per tenant): ``view[/projects/alpha/data]``, and with the tenant when it is
  not the cluster's default tenant: ``view[t2:/projects/alpha/data]``.

View policy and snapshot names are unique across tenants on the VMS (VMS_API.md §4.2, §4.4), so their
addresses never carry a tenant. Sorting by address is the tie-break wherever order is free (DESIGN §3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The tenant every cluster has (id 1); objects in it carry no tenant prefix in their address.
DEFAULT_TENANT = "default"

#: Kinds in creation order; deletion runs in reverse (DESIGN §3).
KIND_ORDER: tuple[str, ...] = ("tenant", "viewpolicy", "folder", "quota", "view", "snapshot")

#: Top-level spec keys (DESIGN §4) and the kind each holds.
SPEC_KEYS: dict[str, str] = {
    "tenants": "tenant",
    "viewpolicies": "viewpolicy",
    "folders": "folder",
    "quotas": "quota",
    "views": "view",
    "snapshots": "snapshot",
}

#: Kinds identified by (tenant, path); every other kind is identified by its name.
PATH_KINDS: frozenset[str] = frozenset({"folder", "quota", "view"})

#: Every kind an address may name, including the read-only vippool data source.
ALL_KINDS: frozenset[str] = frozenset(KIND_ORDER) | {"vippool"}

_ADDRESS_RE = re.compile(r"^(?P<kind>[a-z]+)\[(?P<key>.+)\]$")


class AddressError(ValueError):
    """A string that is not a valid address."""


@dataclass(frozen=True, order=True)
class Address:
    """A parsed address. ``tenant`` is set only for path kinds."""

    kind: str
    key: str
    tenant: str | None = None

    def __str__(self) -> str:
        if self.kind in PATH_KINDS and self.tenant and self.tenant != DEFAULT_TENANT:
            return f"{self.kind}[{self.tenant}:{self.key}]"
        return f"{self.kind}[{self.key}]"


def make_address(kind: str, *, name: str | None = None, path: str | None = None,
                 tenant: str | None = None) -> str:
    """The address of an object of ``kind`` given its identity fields."""
    if kind not in ALL_KINDS:
        raise AddressError(f"unknown kind {kind!r}")
    if kind in PATH_KINDS:
        if not path:
            raise AddressError(f"a {kind} is identified by its path, and none was given")
        return str(Address(kind, path, tenant or DEFAULT_TENANT))
    if not name:
        raise AddressError(f"a {kind} is identified by its name, and none was given")
    return str(Address(kind, name))


def parse_address(text: str) -> Address:
    """Parse ``kind[key]`` / ``kind[tenant:/path]``; raise :class:`AddressError` on anything else."""
    match = _ADDRESS_RE.match(text)
    if not match or match["kind"] not in ALL_KINDS:
        raise AddressError(f"{text!r} is not an address (expected kind[key], e.g. view[/projects/a])")
    kind, key = match["kind"], match["key"]
    if kind not in PATH_KINDS:
        return Address(kind, key)
    tenant, sep, path = key.partition(":/")
    if sep:
        return Address(kind, "/" + path, tenant)
    return Address(kind, key, DEFAULT_TENANT)
