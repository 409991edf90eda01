"""Access to mountable snapshots (``snapshot_update_access``), as VAST can serve it. Pure; no manila import.

A VAST snapshot is reached read-only at ``<share directory>/.snapshot/<name>`` (VMS_API.md §4.4), through
the share's own view: whoever the share's view policy lets in can mount the snapshot's export, and nobody
else. A view policy has no per-directory rules, so VAST cannot let a host into ``.snapshot`` without letting
it into the share too; and VAST serves ``.snapshot`` read-only whatever the policy's level.

So a snapshot access rule is honoured, read-only whatever level it asks for (MANILA.md §1.6), when its host
is already let in by the share's policy: nothing on the cluster changes. A rule for a host the share does
not let in cannot be honoured without also opening the share's live data to it; it is refused with the
reason, rather than reported active while it does not work. Share types with
``snapshot_inherit_share_access_support=True`` state exactly this model, and manila then asks for no
snapshot rules at all.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from manila_vast.access import InvalidAccessRule, normalize_host, policy_host_lists, rule_key

__all__ = ["host_covered", "uncovered_snapshot_hosts"]

_EVERY_HOST = "*"


def _get(rule: Any, name: str) -> Any:
    try:
        return rule[name]
    except (KeyError, TypeError, IndexError):
        return getattr(rule, name, None)


def host_covered(host: str, granted: Iterable[str]) -> bool:
    """Whether the address or CIDR ``host`` lies inside one of the policy entries ``granted``."""
    network = ipaddress.ip_network(host, strict=False)
    for entry in granted:
        if entry == _EVERY_HOST:
            return True
        try:
            allowed = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue  # netgroups, wildcards: not something a host can be proven to be inside
        if allowed.version == network.version and network.subnet_of(allowed):  # type: ignore[arg-type]
            return True
    return False


def uncovered_snapshot_hosts(
    rules: Iterable[Any], policy: Mapping[str, Any] | None, *, allow_ipv6: bool = True
) -> dict[str, str]:
    """``{access_id: reason}`` for the snapshot rules that cannot be honoured: invalid ones, and hosts the
    share's policy (``policy``, None when it is missing) does not let in."""
    lists = policy_host_lists(policy or {})
    granted = lists["nfs_read_write"] | lists["nfs_read_only"]
    refused: dict[str, str] = {}
    for rule in rules:
        access_type = str(_get(rule, "access_type") or "").lower()
        if access_type != "ip":
            refused[rule_key(rule)] = f"access type {access_type or 'none'!r} is not supported: only 'ip' is"
            continue
        try:
            host = normalize_host(_get(rule, "access_to"), allow_ipv6=allow_ipv6)
        except InvalidAccessRule as exc:
            refused[rule_key(rule)] = str(exc)
            continue
        if not host_covered(host, granted):
            refused[rule_key(rule)] = (
                f"{host} has no access to the share; on VAST a snapshot is reached through the share's "
                "export, so grant the host access to the share (ro is enough)"
            )
    return refused
