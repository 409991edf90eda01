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
from collections.abc import Callable, Sequence
from typing import Any

from manila_vast.backend import Backend, BackendError, changes_of
from manila_vast.ensure import ShareCheck
from manila_vast.targets import Layout, document, folder_entry, share_addresses
from vastplan.errors import VastplanError

__all__ = ["created_directories", "refuse_new_directories", "repair", "repair_document"]

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
    plan = backend.preview(repair_document(layout, checks), label)
    gone = created_directories(layout, plan)
    rest = [c for c in checks if c.instance_id not in gone]
    if rest:
        backend.converge(
            repair_document(layout, rest),
            label,
            plan=None if gone else plan,
            data_loss_ok=[share_addresses(layout, c.instance_id)["quota"] for c in rest if c.lowers_quota],
            before_apply=refuse_new_directories(layout, BackendError),
        )
    return {i: f"its directory {layout.path(i)} is gone; it is not re-created empty" for i in gone}


def repair_document(layout: Layout, checks: Sequence[ShareCheck]) -> dict[str, Any]:
    """One target document holding every share's repairs."""
    lists: dict[str, list[dict[str, Any]]] = {"folders": [], "viewpolicies": [], "quotas": [], "views": []}
    for check in checks:
        if check.touches_directory:
            # Declared so that the plan says whether it still exists (a stat, never a create).
            lists["folders"].append(folder_entry(layout, check.instance_id))
        for key, entries in check.repairs.items():
            lists[key].extend(entries)
    return document(layout, **lists)


def created_directories(layout: Layout, plan: Any) -> set[str]:
    """Instance ids of the shares whose directory ``plan`` would create: directories that are gone."""
    prefix = layout.path("")
    created = set()
    for change in changes_of(plan, kind="folder", action="create"):
        path = str((change.get("after") or {}).get("path") or "")
        if path.startswith(prefix):
            created.add(path[len(prefix) :])
    return created


def refuse_new_directories(layout: Layout, error: Callable[[str], Exception]) -> Callable[[Any], None]:
    """A ``before_apply`` check for :meth:`Backend.converge`: a plan that would create a share's
    directory is refused with ``error(reason)``."""

    def check(plan: Any) -> None:
        gone = sorted(created_directories(layout, plan))
        if gone:
            raise error(f"the directory of share {', '.join(gone)} is gone; it is not re-created empty")

    return check
