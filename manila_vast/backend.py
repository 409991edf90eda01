"""The one module that talks to the cluster: vastplan's client for reads, its engine for every change.

DESIGN §9: "No REST code in the driver". Reads the driver needs and the engine does not model (the VIP
pool's addresses, quota usage, capacity metrics, the trash switch) are ``VmsClient.list``/``get`` calls;
every mutation is a target document planned and applied by :mod:`vastplan.api`. No manila import: the
driver turns the errors raised here into manila exceptions.

Errors::

    VastplanError                    (vastplan.errors)
    ├── vastplan's own trees          client (VmsError), spec (SpecError), engine (EngineError)
    └── BackendError                  a fact about the cluster that stops an operation
        ├── VipPoolError              the VIP pool is missing or has no addresses
        ├── TrashUnavailable          folder deletion needs "Trash Folder Access" enabled
        └── UnexpectedDataLoss        a plan would lose data the operation did not consent to
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests.adapters

from manila_vast.ensure import LiveObjects, in_tenant
from manila_vast.layout import expand_ip_ranges
from manila_vast.stats import CAPACITY_METRICS
from manila_vast.targets import Layout
from vastplan import api
from vastplan.client import ConnectionConfig, VmsClient
from vastplan.engine.errors import StalePlanError
from vastplan.errors import VastplanError

__all__ = [
    "Backend",
    "BackendError",
    "ConnectionSettings",
    "TrashUnavailable",
    "UnexpectedDataLoss",
    "VipPoolError",
    "connection_config",
]

LOG = logging.getLogger(__name__)

Record = dict[str, Any]

# A plan whose objects changed between planning and applying (another manila-share thread touched the
# same collection) is planned again, a few times: the engine refuses stale plans (DESIGN §5).
_STALE_RETRIES = 3


class BackendError(VastplanError):
    """A fact about the cluster that stops an operation; the message says what to fix."""


class VipPoolError(BackendError):
    """The VIP pool named by ``vast_vippool_name`` is missing or empty."""


class TrashUnavailable(BackendError):
    """Deleting a share's directory needs the trash API: VAST 4.7 or later, "Trash Folder Access" on."""


class UnexpectedDataLoss(BackendError):
    """A plan held data-loss changes beyond those the operation consented to; nothing was applied."""


@dataclass(frozen=True)
class ConnectionSettings:
    """How to reach the VMS, from the backend section (secrets never appear in ``repr``)."""

    host: str
    port: int = 443
    username: str | None = None
    password: str | None = None
    api_token: str | None = None
    verify_tls: bool = True
    ca_bundle: str | None = None
    timeout: float = 60.0

    def __repr__(self) -> str:
        return f"ConnectionSettings(host={self.host!r}, port={self.port}, username={self.username!r}, ...)"


def connection_config(settings: ConnectionSettings) -> ConnectionConfig:
    """The client's config: HTTPS to ``host:port``; an API token wins over user and password."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    credentials: dict[str, Any]
    if settings.api_token:
        credentials = {"api_token": settings.api_token}
    else:
        credentials = {"username": settings.username, "password": settings.password}
    return ConnectionConfig(
        endpoint=f"https://{host}:{settings.port}",
        verify_tls=settings.verify_tls,
        ca_bundle=settings.ca_bundle or None,
        read_timeout=settings.timeout,
        **credentials,
    )


class Backend:
    """One backend section's view of the cluster."""

    def __init__(
        self,
        client: VmsClient,
        layout: Layout,
        *,
        vippool: str,
        parallelism: int = 8,
    ) -> None:
        self.client = client
        self.layout = layout
        self.vippool = vippool
        self.parallelism = parallelism

    @classmethod
    def connect(
        cls,
        settings: ConnectionSettings,
        layout: Layout,
        *,
        vippool: str,
        parallelism: int = 8,
        adapter: requests.adapters.BaseAdapter | None = None,
    ) -> Backend:
        client = VmsClient(connection_config(settings), adapter=adapter)
        return cls(client, layout, vippool=vippool, parallelism=parallelism)

    # ------------------------------------------------------------------------------------------ reads

    def cluster_version(self) -> str:
        """The cluster's version; the first call also proves the address and the credentials work."""
        return ".".join(str(part) for part in self.client.cluster_version())

    def vips(self) -> list[str]:
        """Every address of the VIP pool, in pool order (VMS_API.md §4.7)."""
        pools = self.client.list("/vippools/", {"name": self.vippool})
        pool = next((p for p in pools if p.get("name") == self.vippool), None)
        if pool is None:
            raise VipPoolError(
                f"VIP pool {self.vippool!r} does not exist on {self.client.endpoint} (vast_vippool_name)"
            )
        vips = expand_ip_ranges(pool.get("ip_ranges") or [])
        if not vips:
            raise VipPoolError(f"VIP pool {self.vippool!r} has no addresses to export shares on")
        return vips

    def tenant_exists(self) -> bool:
        tenants = self.client.list("/tenants/", {"name__icontains": self.layout.tenant})
        return any(t.get("name") == self.layout.tenant for t in tenants)

    def quota(self, instance_id: str) -> Record | None:
        """The share's quota, by path (its identity, DESIGN §3), or None."""
        quotas = self.client.list("/quotas/", {"path": self.layout.path(instance_id)})
        return next((q for q in quotas if in_tenant(q, self.layout.tenant)), None)

    def backend_quotas(self) -> list[Record]:
        """Every quota of this backend's shares: one paginated list (``path__startswith``)."""
        return self._under_root("/quotas/")

    def live_objects(self) -> LiveObjects:
        """Views, quotas and view policies for all shares: one paginated list per collection.

        Policies are named by share instance id with no common prefix, so they are listed whole; views and
        quotas are filtered to the backend's directory (VMS_API.md §3.2 Django-style filters).
        """
        return LiveObjects.from_lists(
            self._under_root("/views/"), self._under_root("/quotas/"), self.client.list("/viewpolicies/")
        )

    def _under_root(self, collection: str) -> list[Record]:
        prefix = self.layout.path("")  # "/manila/manila-"
        records = self.client.list(collection, {"path__startswith": prefix})
        return [
            r
            for r in records
            if in_tenant(r, self.layout.tenant) and str(r.get("path", "")).startswith(prefix)
        ]

    def capacity_answer(self) -> Mapping[str, Any]:
        """The cluster's capacity samples of the last minute (VMS_API.md §4.10)."""
        answer = self.client.get(
            "/monitors/ad_hoc_query/",
            {"object_type": "cluster", "prop_list": list(CAPACITY_METRICS), "time_frame": "1m"},
        )
        return answer if isinstance(answer, Mapping) else {}

    def check_trash(self) -> None:
        """Raise :class:`TrashUnavailable` when "Trash Folder Access" is off (VMS_API.md §4.6, §4.9).

        The version gate (4.7) is the engine's: it refuses to plan a folder deletion on an older cluster.
        """
        clusters = self.client.list("/clusters/")
        if clusters and clusters[0].get("enable_trash") is False:
            raise TrashUnavailable(
                "Trash Folder Access is disabled on the cluster (VMS: Settings → Cluster → Features); "
                "enable it to delete shares"
            )

    # ---------------------------------------------------------------------------------------- changes

    def preview(self, doc: Mapping[str, Any], label: str) -> Any:
        """The plan of a target document, without applying it (read-only: refresh only)."""
        spec = api.load_documents([(label, dict(doc))])
        return api.plan(self.client, spec)

    def converge(
        self,
        doc: Mapping[str, Any],
        label: str,
        *,
        plan: Any = None,
        data_loss_ok: Iterable[str] = (),
        before_apply: Callable[[Any], None] | None = None,
    ) -> Any:
        """Plan ``doc`` and apply it when it changes something; return the plan.

        ``data_loss_ok`` names the addresses whose data-loss changes the caller has checked and consents
        to (a folder to trash, a snapshot to delete, a quota to lower after a usage check). Any other
        data-loss change stops the operation before anything is applied. ``before_apply`` sees a plan
        that changes something before it is applied, and may refuse it by raising. ``plan``, when given,
        is a fresh plan of ``doc`` to start from (it saves planning twice).
        """
        data_loss_ok = frozenset(data_loss_ok)
        for attempt in range(_STALE_RETRIES):
            if plan is None or attempt:
                plan = self.preview(doc, label)
            if not plan.has_changes:
                return plan
            if before_apply is not None:
                before_apply(plan)
            risky = data_loss_addresses(plan)
            unexpected = sorted(set(risky) - data_loss_ok)
            if unexpected:
                raise UnexpectedDataLoss(
                    f"{label}: the plan would also lose data at {', '.join(unexpected)}; nothing was changed"
                )
            try:
                api.apply(self.client, plan, allow_data_loss=bool(risky), parallelism=self.parallelism)
            except StalePlanError:
                if attempt + 1 == _STALE_RETRIES:
                    raise
                LOG.debug("%s: the cluster changed while planning; planning again", label)
                time.sleep(0.05 * (attempt + 1))
                continue
            return plan
        raise AssertionError("unreachable")  # pragma: no cover


def data_loss_addresses(plan: Any) -> list[str]:
    """The addresses of a plan's data-loss changes (``Plan.data_loss_changes``)."""
    return [_address_of(change) for change in getattr(plan, "data_loss_changes", ())]


def changes_of(plan: Any, *, kind: str | None = None, action: str | None = None) -> list[Mapping[str, Any]]:
    """The plan document's changes, filtered by kind and action (noops excluded)."""
    changes: Iterable[Mapping[str, Any]] = plan.doc.get("changes", [])
    return [
        c
        for c in changes
        if c.get("action") != "noop"
        and (kind is None or c.get("kind") == kind)
        and (action is None or c.get("action") == action)
    ]


def _address_of(change: Any) -> str:
    if isinstance(change, str):
        return change
    if isinstance(change, Mapping):
        return str(change.get("address"))
    return str(getattr(change, "address", change))
