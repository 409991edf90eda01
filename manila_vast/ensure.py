"""``ensure_shares`` as a pure check over collections read once for all shares. No manila import.

MANILA.md §1.4 and §2.3 bug 12 set the rules this module follows:

- One read per collection (views, quotas, view policies) for all shares, never one per share; the caller
  reads, this module only looks things up in the :class:`LiveObjects` built from those reads.
- A share is never an exception for all: each gets a :class:`ShareCheck` that says whether it is in sync,
  what target entries would repair it, or why it is broken.
- A missing view, policy or quota is repaired; a share whose directory is gone is broken and is never
  re-created empty. A repair of a view or a quota declares the share's directory too
  (:attr:`ShareCheck.touches_directory`), so that the plan shows whether it still exists; shares in sync,
  and shares whose only repair is their policy, cost no per-share call.
- A policy that grants ``*`` (or whose squash lists do not follow ``vast_root_squash``) is cut back to the
  hosts it names, and the share asks manila to re-apply its rules (``reapply_access_rules``). Manila does
  not call ``update_access`` for a share without rules, so the world-open policy of such a share must be
  closed here, not left for a re-apply that never comes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from manila_vast.access import access_of_policy, policy_fields, policy_host_lists
from manila_vast.targets import GIB, Entry, Layout, policy_entry, quota_entry, view_entry

__all__ = [
    "EnsureShare",
    "LiveObjects",
    "ShareCheck",
    "check_share",
    "check_shares",
    "in_tenant",
    "used_bytes",
]

Record = Mapping[str, Any]


@dataclass(frozen=True)
class EnsureShare:
    """What ensure needs of a manila share instance."""

    instance_id: str
    size_gib: int
    share_proto: str = "NFS"
    #: The share's directory when it is not the layout's (a managed share); None: ``<root>/manila-<id>``.
    path: str | None = None

    def directory(self, layout: Layout) -> str:
        return self.path or layout.path(self.instance_id)


@dataclass(frozen=True)
class LiveObjects:
    """The live records of the backend, indexed the way shares find them (path, or policy name)."""

    views_by_path: Mapping[str, Record]
    quotas_by_path: Mapping[str, Record]
    policies_by_name: Mapping[str, Record]

    @classmethod
    def from_lists(
        cls, views: Iterable[Record], quotas: Iterable[Record], policies: Iterable[Record]
    ) -> LiveObjects:
        return cls(
            {str(v.get("path")): v for v in views},
            {str(q.get("path")): q for q in quotas},
            {str(p.get("name")): p for p in policies},
        )


@dataclass(frozen=True)
class ShareCheck:
    """The verdict on one share.

    ``repairs`` maps spec keys (``viewpolicies``, ``quotas``, ``views``) to the entries that bring the
    share back in line; empty when it is in sync. ``broken`` is the reason the share cannot be served.
    """

    instance_id: str
    repairs: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    #: The share's directory ("" when the share was not checked, e.g. a protocol it does not serve).
    path: str = ""
    reapply_access_rules: bool = False
    lowers_quota: bool = False
    notes: tuple[str, ...] = ()
    broken: str | None = None

    @property
    def in_sync(self) -> bool:
        return not self.repairs and self.broken is None

    @property
    def touches_directory(self) -> bool:
        """Whether the repairs create or change a view or a quota on the share's directory."""
        return "quotas" in self.repairs or "views" in self.repairs


def in_tenant(record: Record, tenant: str) -> bool:
    """Whether a live record belongs to ``tenant`` (records without ``tenant_name`` are taken as ours)."""
    name = record.get("tenant_name")
    return name is None or name == tenant


def check_shares(layout: Layout, shares: Iterable[EnsureShare], live: LiveObjects) -> list[ShareCheck]:
    return [check_share(layout, share, live) for share in shares]


def check_share(layout: Layout, share: EnsureShare, live: LiveObjects) -> ShareCheck:
    """Compare one share's view, quota and policy with the layout; say what to repair."""
    if str(share.share_proto).upper() != "NFS":
        return ShareCheck(share.instance_id, broken=f"protocol {share.share_proto} is not served (NFS only)")
    path = share.directory(layout)
    policy = live.policies_by_name.get(share.instance_id)
    quota = live.quotas_by_path.get(path)
    view = live.views_by_path.get(path)
    repairs: dict[str, tuple[Entry, ...]] = {}
    notes: list[str] = []

    policy_fix = _policy_repair(layout, share.instance_id, policy)
    if policy_fix is not None:
        repairs["viewpolicies"] = (policy_fix,)
        notes.append(
            "view policy missing" if policy is None else "view policy drifted (world-open or squash)"
        )
    quota_fix, lowers, quota_note = _quota_repair(layout, share, quota)
    if quota_fix is not None:
        repairs["quotas"] = (quota_fix,)
    if quota_note:
        notes.append(quota_note)
    view_fix = _view_repair(layout, share.instance_id, view, policy, path)
    if view_fix is not None:
        repairs["views"] = (view_fix,)
        notes.append("view missing" if view is None else "view does not export the share's policy over NFS")
    return ShareCheck(
        share.instance_id,
        path=path,
        repairs=repairs,
        reapply_access_rules=policy_fix is not None,
        lowers_quota=lowers,
        notes=tuple(notes),
    )


def _policy_repair(layout: Layout, instance_id: str, policy: Record | None) -> Entry | None:
    if policy is None:
        return policy_entry(layout, instance_id)
    kept = access_of_policy(policy)
    target = policy_fields(kept, root_squash=layout.root_squash)
    live_lists = policy_host_lists(policy)
    if all(live_lists[name] == frozenset(hosts) for name, hosts in target.items()):
        return None
    return policy_entry(layout, instance_id, kept)


def _quota_repair(layout: Layout, share: EnsureShare, quota: Record | None) -> tuple[Entry | None, bool, str]:
    """The quota entry to apply (or None), whether it lowers the limit, and a note."""
    wanted = int(share.size_gib) * GIB
    path = share.directory(layout)
    if wanted <= 0 and quota is not None:
        return None, False, ""  # manila sent no size: nothing to compare the quota with
    if quota is None:
        return quota_entry(layout, share.instance_id, share.size_gib, path=path), False, "quota missing"
    current = quota.get("hard_limit")
    if current == wanted:
        return None, False, ""
    if current and int(current) > wanted:
        used = used_bytes(quota)
        if used > wanted:
            # Lowering would cut below what is stored: leave it, and say so (MANILA.md §1.2, shrink).
            return None, False, f"quota is {current} bytes, above the share size, and usage {used} exceeds it"
        return (
            quota_entry(layout, share.instance_id, share.size_gib, path=path),
            True,
            "quota above the share size",
        )
    return (
        quota_entry(layout, share.instance_id, share.size_gib, path=path),
        False,
        "quota below the share size",
    )


def used_bytes(quota: Record) -> int:
    """What a quota reports as used: ``used_effective_capacity`` (the in-tree driver's choice), else
    ``used_capacity`` (VMS_API.md §4.3)."""
    for name in ("used_effective_capacity", "used_capacity"):
        value = quota.get(name)
        if value is not None:
            return int(value)
    return 0


def _view_repair(
    layout: Layout, instance_id: str, view: Record | None, policy: Record | None, path: str
) -> Entry | None:
    if view is None:
        return view_entry(layout, instance_id, path=path)
    protocols = set(view.get("protocols") or ())
    if "NFS" in protocols and _view_uses_policy(view, instance_id, policy):
        return None
    # Keep protocols someone added (NFS4, say) and add NFS back; only the policy link is forced.
    return view_entry(layout, instance_id, protocols | set(layout.protocols), path=path)


def _view_uses_policy(view: Record, instance_id: str, policy: Record | None) -> bool:
    if policy is not None and view.get("policy_id") is not None and policy.get("id") is not None:
        return bool(view.get("policy_id") == policy.get("id"))
    return bool(view.get("policy") == instance_id)
