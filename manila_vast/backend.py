"""The one module that talks to the cluster: vastplan's client for reads, its engine for every change.

DESIGN §9: "No REST code in the driver". Reads the driver needs and the engine does not model (the VIP
pool's addresses, quota usage, capacity metrics, the trash switch, whether a directory exists, snapshot and
stream records) are ``VmsClient`` calls; every change of declarative state (policies, quotas, views,
folders, snapshots) is a target document planned and applied by :mod:`vastplan.api`.

One change is an action, not a state, and goes through the client here: cloning a snapshot into a new
directory (``POST /snapshots/{id}/clone/``, a global snapshot stream, VMS_API.md §4.5), and stopping and
deleting that stream once it has copied everything. A stream is a process that ends; declaring it in a spec
would make the engine's verification (re-plan equals nothing) depend on how far the copy got, and deleting
it is part of finishing the clone, not a change an operator reviews. See docs/manila.md.

No manila import: the driver turns the errors raised here into manila exceptions.

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

from manila_vast.clones import stream_status
from manila_vast.ensure import LiveObjects, in_tenant
from manila_vast.layout import expand_ip_ranges
from manila_vast.stats import CAPACITY_METRICS
from manila_vast.targets import Layout
from vastplan import api
from vastplan.client import ConnectionConfig, VmsClient
from vastplan.client.errors import VmsBadRequest, VmsNotFound
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
        self._tenant_id: int | None = None

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

    def tenant_id(self) -> int:
        """The id of the backend's tenant (read once: ids do not change)."""
        if self._tenant_id is None:
            tenants = self.client.list("/tenants/", {"name__icontains": self.layout.tenant})
            tenant = next((t for t in tenants if t.get("name") == self.layout.tenant), None)
            if tenant is None:
                raise BackendError(f"tenant {self.layout.tenant!r} does not exist on {self.client.endpoint}")
            self._tenant_id = int(tenant["id"])
        return self._tenant_id

    def quota(self, instance_id: str, path: str | None = None) -> Record | None:
        """The share's quota, by path (its identity, DESIGN §3), or None."""
        return self.quota_on(path or self.layout.path(instance_id))

    def quota_on(self, path: str) -> Record | None:
        quotas = self.client.list("/quotas/", {"path": path})
        return next((q for q in quotas if in_tenant(q, self.layout.tenant) and q.get("path") == path), None)

    def view_on(self, path: str) -> Record | None:
        views = self.client.list("/views/", {"path": path})
        return next((v for v in views if in_tenant(v, self.layout.tenant) and v.get("path") == path), None)

    def policy(self, name: str) -> Record | None:
        """A view policy by name (names are unique across tenants, VMS_API.md §4.2)."""
        policies = self.client.list("/viewpolicies/", {"name": name})
        return next((p for p in policies if p.get("name") == name), None)

    def directory_exists(self, path: str) -> bool:
        """Whether ``path`` is a directory of the backend's tenant (``stat_path``, VMS_API.md §4.6)."""
        try:
            answer = self.client.post("/folders/stat_path/", {"path": path, "tenant_id": self.tenant_id()})
        except VmsNotFound:
            return False
        except VmsBadRequest as exc:
            if "no such directory" in str(exc.detail or exc).lower():
                return False
            raise
        return not isinstance(answer, Mapping) or answer.get("is_directory") is not False

    def snapshot(self, reference: str) -> Record | None:
        """A snapshot by name, or by id when ``reference`` is a number (what ``provider_location`` holds)."""
        if reference.isdigit():
            try:
                record = self.client.get(f"/snapshots/{int(reference)}/")
            except VmsNotFound:
                record = None
            if isinstance(record, Mapping):
                return dict(record)
        snapshots = self.client.list("/snapshots/", {"name": reference})
        return next((s for s in snapshots if s.get("name") == reference), None)

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
        # "/manila/": shares are the directories below the root export, whether created here
        # (manila-<id>) or taken over by manage_existing (any name).
        prefix = self.layout.root.rstrip("/") + "/"
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

    # ------------------------------------------------------------------------- snapshot clone streams

    def clone_snapshot(self, snapshot: Mapping[str, Any], name: str, destination: str) -> Record:
        """Start copying ``snapshot`` into ``destination``, a directory that must not exist: one global
        snapshot stream (``POST /snapshots/{id}/clone/``, VMS_API.md §4.5). The VMS's answer (the stream
        record) is returned."""
        body = {
            "name": name,
            "loanee_root_path": destination.rstrip("/") + "/",  # stream paths end with "/" (§4.5, MCP)
            "loanee_tenant_id": self.tenant_id(),
            "enabled": True,
        }
        answer = self.client.post(f"/snapshots/{int(snapshot['id'])}/clone/", body)
        return dict(answer) if isinstance(answer, Mapping) else {}

    def stream(self, name: str) -> Record | None:
        """The global snapshot stream named ``name``, or None (also when the cluster has no streams API)."""
        try:
            streams = self.client.list("/globalsnapstreams/", {"name": name})
        except VmsNotFound:
            return None
        return next((s for s in streams if s.get("name") == name), None)

    def finish_stream(self, record: Mapping[str, Any]) -> None:
        """Remove a stream, keeping the directory it filled (``remove_dir: false``): stopped first unless it
        has completed (VMS_API.md §4.5 teardown). A stream already gone (404) is done."""
        stream_id = int(record["id"])
        status = stream_status(record)
        try:
            if status.phase != "done" and status.state.lower() != "stopped":
                self.client.patch(f"/globalsnapstreams/{stream_id}/stop/")
            self.client.delete(f"/globalsnapstreams/{stream_id}/", json={"remove_dir": False})
        except VmsNotFound:
            LOG.debug("stream %s is already gone", stream_id)

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
