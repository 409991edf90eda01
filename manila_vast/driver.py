"""``VASTShareDriver``: manila's share-driver interface over vastplan's plan/apply engine.

A thin adapter (DESIGN §9). Each operation turns manila's objects into a target document
(:mod:`manila_vast.targets`), has :class:`manila_vast.backend.Backend` plan and apply it, and turns the
outcome back into what manila expects (MANILA.md §1). Errors of the cluster or of the engine become
:class:`manila_vast.exceptions.VastBackendError`; their messages never hold a credential.

Tests and tools may pass ``vms_adapter=`` (a ``requests`` transport, such as the simulator's) to the
constructor: ``importutils.import_object(path, configuration=..., vms_adapter=sim.adapter())``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from manila import exception
from manila.share import driver
from oslo_log import log as logging
from oslo_utils import timeutils

from manila_vast import DRIVER_VERSION
from manila_vast.access import sort_access_rules
from manila_vast.backend import Backend, ConnectionSettings, changes_of
from manila_vast.clones import stream_name, stream_status
from manila_vast.ensure import EnsureShare, ShareCheck, check_shares, in_tenant, used_bytes
from manila_vast.exceptions import VastBackendError
from manila_vast.layout import (
    LayoutError,
    export_locations,
    ip_versions,
    normalize_root,
    share_directory,
    snapshot_directory,
    vips_digest,
)
from manila_vast.manage import ManageRefusal, managed_directory, managed_size, managed_snapshot_name
from manila_vast.options import VAST_OPTS
from manila_vast.repair import refuse_new_directories, repair
from manila_vast.snapshot_access import uncovered_snapshot_hosts
from manila_vast.stats import Reservations, StatsError, capability_stats, last_sample, provisioned_bytes
from manila_vast.targets import (
    GIB,
    Layout,
    access_document,
    create_share_document,
    delete_share_document,
    delete_snapshot_document,
    existing_directory_document,
    resize_document,
    share_addresses,
    snapshot_address,
    snapshot_document,
)
from vastplan.address import DEFAULT_TENANT
from vastplan.client import VmsAuthError, VmsBadRequest, VmsConnectionError, VmsError
from vastplan.errors import VastplanError

LOG = logging.getLogger(__name__)

__all__ = ["VASTShareDriver"]

_VENDOR = "VAST STORAGE"  # as the in-tree driver reports it (MANILA.md §2.2 test_update_share_stats)
_PROTOCOL = "NFS"


@contextlib.contextmanager
def _backend_errors(what: str) -> Iterator[None]:
    """Turn vastplan's and the backend's errors into :class:`VastBackendError` naming the operation."""
    try:
        yield
    except (VastplanError, LayoutError, StatsError) as exc:
        raise VastBackendError(msg=f"{what}: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "trash folder disabled" in text.lower():
        return "Trash Folder Access is disabled on the cluster (VMS: Settings → Cluster → Features)"
    return text


class VASTShareDriver(driver.ShareDriver):  # type: ignore[misc]  # manila is untyped
    """NFS shares on a VAST cluster; ``driver_handles_share_servers = False``."""

    VERSION = DRIVER_VERSION

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._vms_adapter = kwargs.pop("vms_adapter", None)
        super().__init__(False, *args, config_opts=[VAST_OPTS], **kwargs)
        # IPv6 rules reach the driver only when this is set (MANILA.md §1.3, access.py _filter_ipv6_rules).
        self.ipv6_implemented = True
        self._backend: Backend | None = None
        self._vips: list[str] | None = None

    # ------------------------------------------------------------------------------------ setup

    def _option(self, name: str) -> Any:
        return self.configuration.safe_get(name)

    def _required(self, name: str) -> Any:
        value = self._option(name)
        if value in (None, ""):
            raise exception.BadConfigurationException(
                reason=f"{name} must be set in the [{self._section}] section of manila.conf"
            )
        return value

    @property
    def _section(self) -> str:
        return getattr(self.configuration, "config_group", None) or "DEFAULT"

    def do_setup(self, context: Any) -> None:
        """Read the backend section and open a client (nothing is sent until ``check_for_setup_error``)."""
        host = self._required("vast_mgmt_host")
        vippool = self._required("vast_vippool_name")
        token = self._option("vast_api_token") or None
        user, password = self._option("vast_mgmt_user"), self._option("vast_mgmt_password")
        if not token and not (user and password):
            raise exception.BadConfigurationException(
                reason=f"give vast_mgmt_user and vast_mgmt_password, or vast_api_token, in the "
                f"[{self._section}] section of manila.conf"
            )
        try:
            layout = Layout(
                root=normalize_root(self._option("vast_root_export") or ""),
                tenant=self._option("vast_tenant_name") or DEFAULT_TENANT,
                root_squash=bool(self._option("vast_root_squash")),
            )
        except LayoutError as exc:
            raise exception.BadConfigurationException(reason=str(exc)) from None
        settings = ConnectionSettings(
            host=host,
            port=int(self._option("vast_mgmt_port") or 443),
            username=user,
            password=password,
            api_token=token,
            verify_tls=self._option("vast_ssl_cert_verify") is not False,
            ca_bundle=self._option("vast_ssl_cert_path"),
            timeout=float(self._option("vast_mgmt_timeout") or 60.0),
        )
        try:
            self._backend = Backend.connect(
                settings,
                layout,
                vippool=vippool,
                parallelism=int(self._option("vast_apply_parallelism") or 8),
                adapter=self._vms_adapter,
            )
        except VmsError as exc:
            raise exception.BadConfigurationException(reason=str(exc)) from None
        LOG.info(
            "VAST backend [%s]: VMS %s, VIP pool %s, shares under %s (tenant %s)",
            self._section,
            host,
            vippool,
            layout.root,
            layout.tenant,
        )

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise VastBackendError(msg="the driver is not set up (do_setup has not run)")
        return self._backend

    @property
    def layout(self) -> Layout:
        return self.backend.layout

    def check_for_setup_error(self) -> None:
        """Prove the VMS answers, accepts the credentials, and has the VIP pool (and the tenant)."""
        endpoint = self.backend.client.endpoint
        with _backend_errors(f"checking the VMS at {endpoint}"):
            try:
                version = self.backend.cluster_version()
            except VmsAuthError as exc:
                raise VastBackendError(
                    msg=f"the VMS at {endpoint} refused the credentials (vast_mgmt_user/vast_mgmt_password "
                    f"or vast_api_token): {exc.detail or exc.status}"
                ) from None
            except VmsConnectionError as exc:
                raise VastBackendError(msg=f"cannot reach the VMS at {endpoint}: {exc}") from None
            self._vips = self.backend.vips()
            if self.layout.tenant != DEFAULT_TENANT and not self.backend.tenant_exists():
                raise VastBackendError(
                    msg=f"tenant {self.layout.tenant!r} (vast_tenant_name) does not exist on {endpoint}"
                )
            if not self.backend.client.supports("trash_api"):
                LOG.warning(
                    "VAST %s is older than 4.7: shares can be created but not deleted "
                    "(deleting a share's directory needs the trash API)",
                    version,
                )
        LOG.info(
            "VAST backend [%s]: VAST %s at %s, %d export addresses",
            self._section,
            version,
            endpoint,
            len(self._vips),
        )

    def get_network_allocations_number(self) -> int:
        return 0

    # ---------------------------------------------------------------------------------- shares

    def _current_vips(self) -> list[str]:
        self._vips = self.backend.vips()
        return self._vips

    def _directory(self, share: Any) -> str:
        """The share's directory: from the export locations the driver wrote for it (a managed share keeps
        its own directory), else the layout's ``/<root>/manila-<instance id>``."""
        return share_directory(self.layout.root, str(share["id"]), _get(share, "export_locations"))

    def _export_locations(
        self, instance_id: str, vips: Sequence[str], path: str | None = None
    ) -> list[dict[str, Any]]:
        return export_locations(vips, path or self.layout.path(instance_id))

    @staticmethod
    def _check_protocol(share: Any) -> None:
        if str(share["share_proto"]).upper() != _PROTOCOL:
            raise exception.InvalidShare(reason=f"protocol {share['share_proto']} is not supported: only NFS")

    def create_share(self, context: Any, share: Any, share_server: Any = None) -> list[dict[str, Any]]:
        """Policy (no hosts), quota (creating the directory), view; export locations from the pool."""
        self._check_protocol(share)
        instance_id = share["id"]
        with _backend_errors(f"creating share {instance_id}"):
            vips = self._current_vips()  # before any change: a broken pool fails the create cleanly
            doc = create_share_document(self.layout, instance_id, int(share["size"]))
            self.backend.converge(doc, f"create share {instance_id}")
        return self._export_locations(instance_id, vips)

    def delete_share(self, context: Any, share: Any, share_server: Any = None) -> None:
        """View, quota, policy, then the directory through the trash; a share already gone is done."""
        instance_id = share["id"]
        path = self._directory(share)
        addresses = share_addresses(self.layout, instance_id, path)

        def check_trash(plan: Any) -> None:
            if changes_of(plan, kind="folder", action="delete"):
                self.backend.check_trash()

        with _backend_errors(f"deleting share {instance_id}"):
            if _get(share, "snapshot_id"):
                # A share created from a snapshot may still have its clone stream (deleted while
                # creating_from_snapshot, or after the copy failed): stop it first, keeping the directory
                # for the trash below.
                leftover = self.backend.stream(stream_name(instance_id))
                if leftover is not None:
                    LOG.info("Share %s: removing its clone stream %s", instance_id, leftover.get("name"))
                    self.backend.finish_stream(leftover)
            self.backend.converge(
                delete_share_document(self.layout, instance_id, path),
                f"delete share {instance_id}",
                data_loss_ok=addresses.values(),
                before_apply=check_trash,
            )

    def extend_share(self, share: Any, new_size: int, share_server: Any = None) -> None:
        self._resize(share, new_size, shrink=False)

    def shrink_share(self, share: Any, new_size: int, share_server: Any = None) -> None:
        self._resize(share, new_size, shrink=True)

    def _resize(self, share: Any, new_size: int, *, shrink: bool) -> None:
        """Set the quota's hard limit. Lowering it is a data-loss change in the engine: the driver
        consents only after checking that usage fits (MANILA.md §1.2, ``ShareShrinkingPossibleDataLoss``)."""
        instance_id = share["id"]
        path = self._directory(share)

        def not_found(reason: str) -> Exception:
            LOG.error("Share %s: %s", instance_id, reason)
            error: Exception = exception.ShareResourceNotFound(share_id=instance_id)
            return error

        with _backend_errors(f"resizing share {instance_id} to {new_size} GiB"):
            consent: list[str] = []
            if shrink:
                quota = self.backend.quota(instance_id, path)
                if quota is None:
                    raise not_found("it has no quota to shrink")
                if used_bytes(quota) > int(new_size) * GIB:
                    raise exception.ShareShrinkingPossibleDataLoss(share_id=instance_id)
                consent.append(share_addresses(self.layout, instance_id, path)["quota"])
            self.backend.converge(
                resize_document(self.layout, instance_id, new_size, path),
                f"resize share {instance_id}",
                data_loss_ok=consent,
                before_apply=refuse_new_directories({path: instance_id}, not_found),
            )

    # ---------------------------------------------------------------------------------- access

    def update_access(
        self,
        context: Any,
        share: Any,
        access_rules: Sequence[Any],
        add_rules: Sequence[Any] | None,
        delete_rules: Sequence[Any] | None,
        update_rules: Sequence[Any] | None = None,
        share_server: Any = None,
    ) -> dict[str, dict[str, str]]:
        """Make the share's policy equal ``access_rules`` (MANILA.md §1.3): the deltas are not needed,
        since the whole target is computed every time; invalid rules come back as ``error`` by
        ``access_id`` and the valid ones are applied."""
        self._check_protocol(share)
        instance_id = share["id"]
        sorted_rules = sort_access_rules(access_rules, allow_ipv6=self.ipv6_implemented)
        for access_id, reason in sorted_rules.errors.items():
            LOG.warning("Share %s: access rule %s is not applied: %s", instance_id, access_id, reason)
        with _backend_errors(f"updating access to share {instance_id}"):
            self.backend.converge(
                access_document(self.layout, instance_id, sorted_rules.access),
                f"access to share {instance_id}",
            )
        return {access_id: {"state": "error"} for access_id in sorted_rules.errors}

    # ------------------------------------------------------------------------------- snapshots

    def create_snapshot(self, context: Any, snapshot: Any, share_server: Any = None) -> dict[str, Any]:
        """A VAST snapshot of the share's directory, named as manila names it; its name is returned as
        ``provider_location`` so that deletion finds it by what was stored, not by recomputing. The export
        locations are the snapshot's read-only ``.snapshot`` directory (stored by manila when the share
        type has ``mount_snapshot_support``)."""
        name = snapshot["name"]
        path = self._snapshot_share_directory(snapshot)
        with _backend_errors(f"creating snapshot {name}"):
            vips = self._current_vips()
            doc = snapshot_document(self.layout, name, snapshot["share_instance_id"], path)
            self.backend.converge(doc, f"create snapshot {name}")
        return {"provider_location": name, "export_locations": self._snapshot_locations(vips, path, name)}

    def _snapshot_share_directory(self, snapshot: Any) -> str:
        parent = _get(snapshot, "share")
        locations = _get(parent, "export_locations") if parent is not None else None
        return share_directory(self.layout.root, str(snapshot["share_instance_id"]), locations)

    @staticmethod
    def _snapshot_locations(vips: Sequence[str], directory: str, name: str) -> list[dict[str, Any]]:
        """``<vip>:<share directory>/.snapshot/<name>`` for every VIP: read-only by VAST's design."""
        return export_locations(vips, snapshot_directory(directory, name))

    def delete_snapshot(self, context: Any, snapshot: Any, share_server: Any = None) -> None:
        name = _get(snapshot, "provider_location") or snapshot["name"]
        with _backend_errors(f"deleting snapshot {name}"):
            self.backend.converge(
                delete_snapshot_document(self.layout, name),
                f"delete snapshot {name}",
                data_loss_ok=[snapshot_address(name)],
            )

    def snapshot_update_access(
        self,
        context: Any,
        snapshot: Any,
        access_rules: Sequence[Any],
        add_rules: Sequence[Any] | None,
        delete_rules: Sequence[Any] | None,
        share_server: Any = None,
    ) -> None:
        """Access to a mountable snapshot (MANILA.md §1.6), read-only whatever level is asked.

        The snapshot is served through the share's own export (``.snapshot``), so the hosts the share lets
        in already reach it, read-only; nothing on the cluster changes. A rule for a host the share does not
        let in cannot be honoured without opening the share to it: the call is refused with the reason
        (manila then marks the new rules ``error``). Removing a rule never fails. See
        :mod:`manila_vast.snapshot_access`."""
        instance_id = str(snapshot["share_instance_id"])
        # Full sync when both delta lists are empty; otherwise only the new rules need checking.
        checked = list(add_rules or ()) if (add_rules or delete_rules) else list(access_rules)
        if not checked:
            return
        with _backend_errors(f"checking access to snapshot {snapshot['name']}"):
            policy = self.backend.policy(instance_id)
        refused = uncovered_snapshot_hosts(checked, policy, allow_ipv6=self.ipv6_implemented)
        if refused:
            reasons = "; ".join(f"rule {key}: {why}" for key, why in sorted(refused.items()))
            raise exception.InvalidSnapshotAccess(
                reason=f"snapshot {snapshot['name']} of share {instance_id}: {reasons}"
            )

    # ------------------------------------------------------------------------- from a snapshot

    def create_share_from_snapshot(
        self,
        context: Any,
        share: Any,
        snapshot: Any,
        share_server: Any = None,
        parent_share: Any = None,
    ) -> dict[str, Any]:
        """Clone the snapshot into the new share's directory (a global snapshot stream; the directory must
        not exist), then the share's policy, quota and view through plan + apply.

        When the copy has finished at once, the stream is removed and the share is ``available``; otherwise
        it is ``creating_from_snapshot`` and :meth:`get_share_status` finishes it (MANILA.md §1.2)."""
        self._check_protocol(share)
        instance_id = str(share["id"])
        destination = self.layout.path(instance_id)
        name = stream_name(instance_id)
        with _backend_errors(f"creating share {instance_id} from snapshot {snapshot['name']}"):
            vips = self._current_vips()
            # A stream of this name is this share's clone, started by an earlier attempt: carry on with it.
            stream = self.backend.stream(name)
            if stream is not None and not _same_path(stream.get("loanee_root_path"), destination):
                raise exception.InvalidShare(
                    reason=f"a clone stream named {name} already copies into {stream.get('loanee_root_path')}, "
                    f"not into {destination}"
                )
            if stream is None:
                stream = self._start_clone(snapshot, name, destination)
            doc = existing_directory_document(self.layout, instance_id, int(share["size"]), destination)
            self.backend.converge(doc, f"create share {instance_id} from a snapshot")
            # Read again: the answer to the clone shows the stream as it started.
            current = self.backend.stream(name) or stream
            return self._clone_result(instance_id, current, vips, raise_on_failure=True)

    def _start_clone(self, snapshot: Any, name: str, destination: str) -> dict[str, Any]:
        source = self._source_snapshot(snapshot)
        refusal = (
            f"cannot clone snapshot {source.get('name')} into {destination}: the directory already exists, "
            "and a snapshot is only cloned into a new directory"
        )
        if self.backend.directory_exists(destination):
            raise exception.InvalidShare(reason=refusal)
        LOG.info("Cloning snapshot %s (%s) into %s", source.get("name"), source.get("path"), destination)
        try:
            return self.backend.clone_snapshot(source, name, destination)
        except VmsBadRequest as exc:
            if "exist" in str(exc.detail or "").lower():  # made in between: the VMS refuses it too
                raise exception.InvalidShare(reason=f"{refusal} ({exc.detail})") from None
            raise

    def _source_snapshot(self, snapshot: Any) -> dict[str, Any]:
        """The VAST snapshot behind a manila snapshot: by ``provider_location`` (name or id), else by name;
        it must be a snapshot of a share of this backend."""
        reference = str(_get(snapshot, "provider_location") or snapshot["name"])
        record = self.backend.snapshot(reference)
        if record is None:
            raise exception.InvalidShareSnapshot(
                reason=f"snapshot {reference} does not exist on the VAST cluster of this backend"
            )
        path = "/" + str(record.get("path") or "").strip("/")
        if not in_tenant(record, self.layout.tenant) or not path.startswith(self.layout.root + "/"):
            raise exception.InvalidShareSnapshot(
                reason=f"snapshot {reference} ({record.get('tenant_name')}:{path}) is not a snapshot of a "
                f"share of this backend (tenant {self.layout.tenant}, {self.layout.root})"
            )
        return record

    def _clone_result(
        self,
        instance_id: str,
        stream: Mapping[str, Any],
        vips: Sequence[str],
        *,
        raise_on_failure: bool = False,
    ) -> dict[str, Any]:
        """What manila gets for a share whose clone stream is ``stream``: finished → the stream removed and
        ``available``; failed → ``error`` (the stream kept for inspection; deleting the share removes it);
        still copying → ``creating_from_snapshot`` with the progress."""
        status = stream_status(stream)
        locations = self._export_locations(instance_id, vips)
        if status.phase == "done":
            if stream.get("id") is not None:
                self.backend.finish_stream(stream)
            LOG.info("Share %s: the snapshot is copied; stream %s removed", instance_id, stream.get("name"))
            return {"status": "available", "export_locations": locations}
        if status.phase == "failed":
            reason = f"the clone stream {stream.get('name')} failed (state {status.state})"
            LOG.error("Share %s: %s; the stream is kept for inspection", instance_id, reason)
            if raise_on_failure:
                raise VastBackendError(msg=f"creating share {instance_id} from a snapshot: {reason}")
            return {"status": "error"}
        result: dict[str, Any] = {"status": "creating_from_snapshot", "export_locations": locations}
        if status.progress_text is not None:
            result["progress"] = status.progress_text
        return result

    def get_share_status(self, share: Any, share_server: Any = None) -> dict[str, Any]:
        """Polled by manila for shares ``creating_from_snapshot``: finished → stream removed, ``available``
        with export locations; failed → ``error``; still copying → unchanged, with the progress."""
        instance_id = str(share["id"])
        name = stream_name(instance_id)
        try:
            vips = self._current_vips()
            record = self.backend.stream(name)
            if record is None:
                # Finished and removed earlier (an answer lost after the cleanup), or never started.
                if self.backend.directory_exists(self.layout.path(instance_id)):
                    return {
                        "status": "available",
                        "export_locations": self._export_locations(instance_id, vips),
                    }
                LOG.error("Share %s: no clone stream %s and no directory", instance_id, name)
                return {"status": "error"}
            return self._clone_result(instance_id, record, vips)
        except (VastplanError, LayoutError) as exc:
            # The cluster did not answer: not a failed copy. Ask again at the next poll.
            LOG.warning("Share %s: cannot read its clone stream now: %s", instance_id, exc)
            return {"status": _get(share, "status") or "creating_from_snapshot"}

    # ---------------------------------------------------------------------------- manage

    def manage_existing(self, share: Any, driver_options: Mapping[str, Any] | None) -> dict[str, Any]:
        """Take over the export ``<vip>:/<root>/<dir>`` (the admin's export path): size from its quota,
        rounded up to GiB (or ``--driver-options size=<GiB>``), then the policy, quota and view named for
        the share. See :mod:`manila_vast.manage`."""
        instance_id = str(share["id"])
        if str(share["share_proto"]).upper() != _PROTOCOL:
            raise exception.ManageInvalidShare(
                reason=f"protocol {share['share_proto']} is not supported: only NFS"
            )
        locations = _get(share, "export_locations") or []
        if not locations:
            raise exception.ManageInvalidShare(reason="no export path given")
        first = locations[0]
        location = str(first.get("path") if isinstance(first, Mapping) else getattr(first, "path", first))
        with _backend_errors(f"managing {location} as share {instance_id}"):
            vips = self._current_vips()
            try:
                directory = managed_directory(self.layout, location, vips, vippool=self.backend.vippool)
                if not self.backend.directory_exists(directory):
                    raise ManageRefusal(
                        f"{directory} does not exist on the VAST cluster (tenant {self.layout.tenant})"
                    )
                quota = self.backend.quota_on(directory)
                view = self.backend.view_on(directory)
                size = managed_size(directory, quota, driver_options or {}, view)
            except ManageRefusal as exc:
                raise exception.ManageInvalidShare(reason=str(exc)) from None
            protocols = set(view.get("protocols") or ()) | set(self.layout.protocols) if view else None
            self.backend.converge(
                existing_directory_document(self.layout, instance_id, size.size_gib, directory, protocols),
                f"manage {directory} as share {instance_id}",
                data_loss_ok=[share_addresses(self.layout, instance_id, directory)["quota"]]
                if size.lowers_limit
                else [],
            )
        LOG.info("Share %s: took over %s (%d GiB)", instance_id, directory, size.size_gib)
        return {
            "size": size.size_gib,
            "export_locations": self._export_locations(instance_id, vips, directory),
        }

    def unmanage(self, share: Any) -> None:
        """Forget the share: everything stays on the cluster as it is."""
        LOG.info("Share %s: unmanaged; %s is left as it is", share["id"], self._directory(share))

    def manage_existing_snapshot(
        self, snapshot: Any, driver_options: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Take over the VAST snapshot named (or numbered) by ``provider_location``; it must be a snapshot
        of the share's directory. Its size is reported as the share's (a snapshot holds at most what the
        share's quota allowed; VAST reports no size of its own)."""
        reference = str(_get(snapshot, "provider_location") or "").strip()
        if not reference:
            raise exception.ManageInvalidShareSnapshot(
                reason="give the VAST snapshot's name or id as the provider location"
            )
        parent = _get(snapshot, "share")
        instance_id = str(snapshot["share_instance_id"])
        directory = self._snapshot_share_directory(snapshot)
        with _backend_errors(f"managing snapshot {reference}"):
            vips = self._current_vips()
            record = self.backend.snapshot(reference)
        try:
            name = managed_snapshot_name(
                reference, record, layout=self.layout, directory=directory, share_id=instance_id
            )
        except ManageRefusal as exc:
            raise exception.ManageInvalidShareSnapshot(reason=str(exc)) from None
        update: dict[str, Any] = {
            "provider_location": name,
            "export_locations": self._snapshot_locations(vips, directory, name),
        }
        size = _get(parent, "size") if parent is not None else None
        if size:
            update["size"] = int(size)
        return update

    def unmanage_snapshot(self, snapshot: Any) -> None:
        """Forget the snapshot: it stays on the cluster."""
        LOG.info("Snapshot %s: unmanaged; left on the cluster", _get(snapshot, "provider_location"))

    # ---------------------------------------------------------------------------------- ensure

    def ensure_shares(self, context: Any, shares: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """All shares at once (MANILA.md §1.4): one read per collection, a status per share, never one
        exception for all; repairs planned and applied together; ``reapply_access_rules`` where the
        policy was missing or drifted."""
        wanted = [
            EnsureShare(
                s["id"],
                int(s.get("size") or 0),
                s.get("share_proto") or _PROTOCOL,
                path=self._directory(s),
            )
            for s in shares
        ]
        try:
            vips = self._current_vips()
            live = self.backend.live_objects()
        except (VastplanError, LayoutError) as exc:
            LOG.error(
                "ensure_shares: cannot read the VAST backend, marking %d shares as error: %s",
                len(wanted),
                exc,
            )
            return {share.instance_id: {"status": "error"} for share in wanted}
        checks = check_shares(self.layout, wanted, live)
        broken = {c.instance_id: c.broken for c in checks if c.broken}
        broken.update(repair(self.backend, [c for c in checks if c.repairs and c.instance_id not in broken]))
        return {c.instance_id: self._ensure_result(c, broken.get(c.instance_id), vips) for c in checks}

    def _ensure_result(self, check: ShareCheck, broken: str | None, vips: Sequence[str]) -> dict[str, Any]:
        if broken:
            LOG.error("ensure_shares: share %s is broken: %s", check.instance_id, broken)
            return {"status": "error"}
        return {
            "status": "available",
            "export_locations": self._export_locations(check.instance_id, vips, check.path or None),
            "reapply_access_rules": check.reapply_access_rules,
        }

    def get_backend_info(self, context: Any) -> dict[str, Any]:
        """Everything whose change should re-run ``ensure_shares`` (MANILA.md §1.4): the driver version,
        where the VMS is, the pool and its addresses, the root path, the tenant and the squash policy."""
        with _backend_errors("reading the backend info"):
            vips = self._current_vips()
        return {
            "vast_driver_version": self.VERSION,
            "vast_mgmt_host": self._option("vast_mgmt_host"),
            "vast_mgmt_port": self._option("vast_mgmt_port"),
            "vast_vippool_name": self._option("vast_vippool_name"),
            "vast_vips": vips_digest(vips),
            "vast_root_export": self.layout.root,
            "vast_tenant_name": self.layout.tenant,
            "vast_root_squash": self.layout.root_squash,
            "vast_protocols": _PROTOCOL,
        }

    # ----------------------------------------------------------------------------- statistics

    def get_configured_ip_versions(self) -> list[int]:
        """The IP versions of the VIP pool's addresses (export locations exist only for those)."""
        if self._vips is None and self._backend is not None:
            with contextlib.suppress(VastplanError, LayoutError):
                self._current_vips()
        return ip_versions(self._vips) if self._vips else [4]

    def _update_share_stats(self, data: dict[str, Any] | None = None) -> None:
        with _backend_errors("reading capacity"):
            sample = last_sample(self.backend.capacity_answer())
            provisioned = provisioned_bytes(self.backend.backend_quotas())
            self._current_vips()
        reservations = Reservations(
            share_percentage=int(self._option("reserved_share_percentage") or 0),
            snapshot_percentage=self._option("reserved_share_from_snapshot_percentage"),
            extend_percentage=self._option("reserved_share_extend_percentage"),
            max_over_subscription_ratio=float(self._option("max_over_subscription_ratio") or 20.0),
        )
        stats = {
            "share_backend_name": self._option("share_backend_name") or self.__class__.__name__,
            "vendor_name": _VENDOR,
            "driver_version": self.VERSION,
            "storage_protocol": _PROTOCOL,
            **capability_stats(
                sample,
                provisioned=provisioned,
                reservations=reservations,
                clone_support=self.backend.client.supports("snapshot_clone"),
            ),
        }
        super()._update_share_stats(stats)

    def update_share_usage_size(
        self, context: Any, shares: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Used space of every share from one list of the backend's quotas (MANILA.md §1.2): one paginated
        ``GET /quotas/`` whatever the number of shares."""
        with _backend_errors("reading share usage"):
            quotas = {q.get("path"): q for q in self.backend.backend_quotas()}
        now = timeutils.utcnow()
        updates = []
        for share in shares:
            quota = quotas.get(self._directory(share))
            if quota is not None:
                updates.append({"id": share["id"], "used_size": used_bytes(quota) / GIB, "gathered_at": now})
        return updates


def _same_path(a: Any, b: str) -> bool:
    return "/" + str(a or "").strip("/") == "/" + b.strip("/")


def _get(obj: Any, name: str) -> Any:
    try:
        return obj[name]
    except (KeyError, TypeError, AttributeError):
        return getattr(obj, name, None)
