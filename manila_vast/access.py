"""Manila access rules → the host lists of a share's view policy. Pure; no manila import.

The contract (MANILA.md §1.3, DESIGN §9) and how this module meets it:

- The policy always equals ``access_rules``: :func:`policy_fields_from_rules` derives every host list from
  the full rule set, never from the add/delete deltas, so recovery, adds and denies in one call, and level
  changes (``update_rules``) all converge (the in-tree bugs 2, 3 and 4 of MANILA.md §2.3).
- CIDRs stay CIDRs (VAST host lists take subnets natively, VMS_API.md §4.2); a single address is written
  bare. ``10.0.0.0/24`` is one entry, not 254 (in-tree bug 1), and ``0.0.0.0/0`` is simply ``0.0.0.0/0``.
- ``*`` is never written (in-tree bug 5): a share without rules has empty lists and nobody can mount it
  ("hosts not covered by RW or RO cannot access the view", VMS_API.md §4.2).
- Squash is explicit (in-tree bug 6): every granted host is listed in ``nfs_no_squash`` (the default, like
  manila's reference NFS helper exporting with ``no_root_squash``), or in ``nfs_root_squash`` when
  ``vast_root_squash`` is set; ``nfs_all_squash`` is always empty.
- An invalid rule is reported under its ``access_id`` (in-tree bug 7) and the valid ones are still applied.

Public equivalents of the in-tree module's helpers (documented in docs/manila.md):

=============================================  ============================================================
in-tree ``manila.share.drivers.vastdata``       here
=============================================  ============================================================
``validate_access_rule(rule)``                 :func:`check_access_rule` (returns the normalised entry)
``policy_payload_from_rules(rules, policy,     :func:`policy_fields_from_rules` (no live policy needed:
action)``                                      the result is the whole target, not a delta)
=============================================  ============================================================
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ACCESS_LEVELS",
    "POLICY_HOST_FIELDS",
    "HostAccess",
    "InvalidAccessRule",
    "RuleSort",
    "access_of_policy",
    "check_access_rule",
    "normalize_host",
    "policy_fields",
    "policy_fields_from_rules",
    "policy_host_lists",
    "rule_key",
    "sort_access_rules",
]

#: Manila access level → the view-policy list that grants it (MANILA.md §2.1).
ACCESS_LEVELS: Mapping[str, str] = {"rw": "nfs_read_write", "ro": "nfs_read_only"}

#: Every host list of a view policy that the driver owns (VMS_FIELDS.md, viewpolicies).
POLICY_HOST_FIELDS: tuple[str, ...] = (
    "nfs_read_write",
    "nfs_read_only",
    "nfs_root_squash",
    "nfs_no_squash",
    "nfs_all_squash",
)

# The VAST wildcard for "every host" (VMS_API.md §4.2); the driver never writes it and removes it on sight.
_EVERY_HOST = "*"


class InvalidAccessRule(ValueError):
    """A rule the driver cannot apply; ``str()`` says why, in words fit for the rule's error log."""


@dataclass(frozen=True)
class HostAccess:
    """Who may mount the share: normalised host entries per level (disjoint: read-write wins)."""

    read_write: frozenset[str] = frozenset()
    read_only: frozenset[str] = frozenset()

    @property
    def hosts(self) -> frozenset[str]:
        return self.read_write | self.read_only


@dataclass(frozen=True)
class RuleSort:
    """The valid rules as host access, and the invalid ones as ``{access_id: reason}``."""

    access: HostAccess
    errors: Mapping[str, str] = field(default_factory=dict)


def _get(rule: Any, name: str) -> Any:
    """A rule field: manila passes DB models (item access) or plain dicts."""
    try:
        return rule[name]
    except (KeyError, TypeError, IndexError):
        return getattr(rule, name, None)


def rule_key(rule: Any) -> str:
    """The key manila resolves rule updates by: ``access_id`` (MANILA.md §1.3), not the mapping ``id``.

    Test doubles that carry no ``access_id`` (``fake_share.fake_access``) fall back to ``id``.
    """
    return str(_get(rule, "access_id") or _get(rule, "id"))


def normalize_host(access_to: str, *, allow_ipv6: bool = True) -> str:
    """``"10.0.0.7"`` → ``"10.0.0.7"``; ``"10.0.0.7/32"`` → ``"10.0.0.7"``; ``"10.0.0.9/24"`` →
    ``"10.0.0.0/24"``; ``"2001:DB8::/64"`` → ``"2001:db8::/64"``.

    Host bits below the prefix are dropped (the in-tree driver tolerated them too), so that a rule and the
    policy entry it produces always compare equal.
    """
    text = str(access_to or "").strip()
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise InvalidAccessRule(f"{text!r} is not an IP address or CIDR") from None
    if network.version == 6 and not allow_ipv6:
        raise InvalidAccessRule(f"{text!r} is IPv6, which this backend does not serve")
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return str(network)


def check_access_rule(rule: Any, *, allow_ipv6: bool = True) -> tuple[str, str]:
    """Validate one rule; return ``(level, host)``, e.g. ``("ro", "10.0.0.0/24")``.

    Raises :class:`InvalidAccessRule` for a type other than ``ip`` (VAST NFS policies list hosts, not
    users or certificates), a level other than ``rw``/``ro``, or an address that does not parse.
    """
    access_type = str(_get(rule, "access_type") or "").lower()
    if access_type != "ip":
        raise InvalidAccessRule(f"access type {access_type or 'none'!r} is not supported: only 'ip' is")
    level = str(_get(rule, "access_level") or "").lower()
    if level not in ACCESS_LEVELS:
        raise InvalidAccessRule(f"access level {level or 'none'!r} is not supported: use 'rw' or 'ro'")
    return level, normalize_host(_get(rule, "access_to"), allow_ipv6=allow_ipv6)


def sort_access_rules(rules: Iterable[Any], *, allow_ipv6: bool = True) -> RuleSort:
    """Split ``access_rules`` into the host access they grant and the rules that are invalid."""
    levels: dict[str, set[str]] = {"rw": set(), "ro": set()}
    errors: dict[str, str] = {}
    for rule in rules:
        try:
            level, host = check_access_rule(rule, allow_ipv6=allow_ipv6)
        except InvalidAccessRule as exc:
            errors[rule_key(rule)] = str(exc)
            continue
        levels[level].add(host)
    read_write = frozenset(levels["rw"])
    # A host granted both levels gets read-write, the level some rule asked for; manila's API refuses two
    # rules for the same address, so this happens only with overlapping test data.
    return RuleSort(HostAccess(read_write, frozenset(levels["ro"]) - read_write), errors)


def policy_fields(access: HostAccess, *, root_squash: bool) -> dict[str, list[str]]:
    """The five NFS host lists of a policy granting ``access``, sorted for stable plans."""
    granted = _sorted_hosts(access.hosts)
    return {
        "nfs_read_write": _sorted_hosts(access.read_write),
        "nfs_read_only": _sorted_hosts(access.read_only),
        "nfs_root_squash": granted if root_squash else [],
        "nfs_no_squash": [] if root_squash else granted,
        "nfs_all_squash": [],
    }


def policy_fields_from_rules(
    rules: Iterable[Any], *, root_squash: bool, allow_ipv6: bool = True
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The policy's host lists for the full rule set, and ``{access_id: reason}`` for invalid rules."""
    sorted_rules = sort_access_rules(rules, allow_ipv6=allow_ipv6)
    return policy_fields(sorted_rules.access, root_squash=root_squash), dict(sorted_rules.errors)


def policy_host_lists(record: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """A live policy's host lists as sets (absent or null lists are empty)."""
    return {name: frozenset(str(h) for h in (record.get(name) or ())) for name in POLICY_HOST_FIELDS}


def access_of_policy(record: Mapping[str, Any]) -> HostAccess:
    """The access a live policy grants, minus ``*``: what ``ensure_shares`` keeps of a drifted policy.

    Entries the driver would not write itself (netgroups, wildcards, deny rules) are kept as they are:
    the re-applied access rules replace them moments later.
    """
    lists = policy_host_lists(record)
    read_write = lists["nfs_read_write"] - {_EVERY_HOST}
    return HostAccess(read_write, lists["nfs_read_only"] - {_EVERY_HOST} - read_write)


def _sorted_hosts(hosts: Iterable[str]) -> list[str]:
    return sorted(hosts, key=_host_order)


def _host_order(host: str) -> tuple[int, int, int, str]:
    try:
        network = ipaddress.ip_network(host, strict=False)
    except ValueError:
        return (9, 0, 0, host)  # netgroups and wildcards after addresses
    return (network.version, int(network.network_address), network.prefixlen, host)
