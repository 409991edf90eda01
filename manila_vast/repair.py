"""``ensure_shares`` repairs, applied through the engine, with one share's failure kept to that share.
No manila import.

:mod:`manila_vast.ensure` says what each share needs; this module makes it so (MANILA.md §1.4):

- every repair goes into one target document, planned and applied together;
- a share whose directory the plan would create has lost its directory: it is left out and reported, never
  re-created empty (MANILA.md §2.3 bug 12);
- when the repairs fail together they are tried share by share, so that one broken share does not fail
  the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from manila_vast.backend import Backend, BackendError, changes_of
from manila_vast.ensure import ShareCheck
from manila_vast.targets import Layout, document, folder_entry, share_addresses
from vastplan.errors import VastplanError

__all__ = ["created_directories", "directory_owners", "refuse_new_directories", "repair", "repair_document"]

LOG = logging.getLogger(__name__)


def repair(backend: Backend, checks: Sequence[ShareCheck]) -> dict[str, str]:
    """Repair ``checks`` together, else one by one; ``{instance id: reason}`` for the shares left broken."""
    if not checks:
        return {}
    for check in checks:
        LOG.info("ensure_shares: repairing share %s: %s", check.instance_id, "; ".join(check.notes))
    try:
        return _repair_together(backend, checks, "ensure shares")
    except VastplanError as exc:
        if len(checks) == 1:
            return {checks[0].instance_id: str(exc)}
        LOG.warning("ensure_shares: repairing %d shares together failed (%s); one by one", len(checks), exc)
    failed: dict[str, str] = {}
    for check in checks:
        try:
            failed.update(_repair_together(backend, [check], f"ensure share {check.instance_id}"))
        except VastplanError as exc:
            failed[check.instance_id] = str(exc)
    return failed


def _repair_together(backend: Backend, checks: Sequence[ShareCheck], label: str) -> dict[str, str]:
    """Plan the repairs; leave out the shares whose directory is gone; apply the rest."""
    layout = backend.layout
    owners = directory_owners(layout, checks)
    plan = backend.preview(repair_document(layout, checks), label)
    gone = created_directories(plan, owners)
    rest = [c for c in checks if c.instance_id not in gone]
    if rest:
        backend.converge(
            repair_document(layout, rest),
            label,
            plan=None if gone else plan,
            data_loss_ok=[
                share_addresses(layout, c.instance_id, c.path or None)["quota"]
                for c in rest
                if c.lowers_quota
            ],
            before_apply=refuse_new_directories(owners, BackendError),
        )
    paths = {instance_id: path for path, instance_id in owners.items()}
    return {i: f"its directory {paths[i]} is gone; it is not re-created empty" for i in gone}


def directory_owners(layout: Layout, checks: Sequence[ShareCheck]) -> dict[str, str]:
    """``{directory: instance id}`` of the checked shares."""
    return {check.path or layout.path(check.instance_id): check.instance_id for check in checks}


def repair_document(layout: Layout, checks: Sequence[ShareCheck]) -> dict[str, Any]:
    """One target document holding every share's repairs."""
    lists: dict[str, list[dict[str, Any]]] = {"folders": [], "viewpolicies": [], "quotas": [], "views": []}
    for check in checks:
        if check.touches_directory:
            # Declared so that the plan says whether it still exists (a stat, never a create).
            lists["folders"].append(folder_entry(layout, check.instance_id, path=check.path or None))
        for key, entries in check.repairs.items():
            lists[key].extend(entries)
    return document(layout, **lists)


def created_directories(plan: Any, owners: Mapping[str, str]) -> set[str]:
    """Instance ids of the shares whose directory ``plan`` would create: directories that are gone.
    ``owners`` maps each share's directory to its instance id."""
    created = set()
    for change in changes_of(plan, kind="folder", action="create"):
        path = str((change.get("after") or {}).get("path") or "")
        if path in owners:
            created.add(owners[path])
    return created


def refuse_new_directories(
    owners: Mapping[str, str], error: Callable[[str], Exception]
) -> Callable[[Any], None]:
    """A ``before_apply`` check for :meth:`Backend.converge`: a plan that would create one of the shares'
    directories (``owners``: directory → instance id) is refused with ``error(reason)``."""

    def check(plan: Any) -> None:
        gone = sorted(created_directories(plan, owners))
        if gone:
            raise error(f"the directory of share {', '.join(gone)} is gone; it is not re-created empty")

    return check
