"""python-manilaclient against the stack's manila-api, and waits on what manila reports.

noauthv2: the token is ``USER:PROJECT``; the API is reached without a project id in its URLs. Every wait
fails at once, with manila's user messages about the resource, when the resource lands in an error state
that was not asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

MICROVERSION = "2.86"  # the ensure-shares service action (2.86) is the newest call used
USER, PROJECT = "e2e-admin", "e2e-project"
TIMEOUT = 90.0
POLL = 0.5


def make_client(api_url: str) -> Any:
    from manilaclient import api_versions
    from manilaclient import client as manila_client

    return manila_client.Client(
        api_versions.APIVersion(MICROVERSION),
        input_auth_token=f"{USER}:{PROJECT}",
        service_catalog_url=f"{api_url}/v2",
        timeout=60,
    )


def create_share(client: Any, name: str, size: int = 1, *, wait: bool = True) -> Any:
    """An NFS share of the stack's default share type (DHSS=False, snapshots)."""
    share = client.shares.create("NFS", size, name=name)
    return wait_share(client, share) if wait else share


def messages_about(client: Any, resource_id: str) -> list[str]:
    """manila's user messages about a resource, oldest first (what an operator would read)."""
    try:
        found = client.messages.list(search_opts={"resource_id": resource_id})
    except Exception as exc:  # noqa: BLE001 - only for diagnostics
        return [f"(messages unavailable: {exc})"]
    return [
        f"{m.action_id}/{m.detail_id}: {m.user_message}" for m in sorted(found, key=lambda m: m.created_at)
    ]


def poll(
    fetch: Callable[[], Any],
    done: Callable[[Any], bool],
    what: str,
    *,
    failed: Callable[[Any], bool] = lambda _: False,
    diagnose: Callable[[], str] = lambda: "",
    timeout: float = TIMEOUT,
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        current = fetch()
        if done(current):
            return current
        if failed(current) or time.monotonic() > deadline:
            state = getattr(current, "status", current)
            raise AssertionError(f"{what}: ended at {state!r} {diagnose()}".rstrip())
        time.sleep(POLL)


def _is_error(status: str) -> bool:
    return status == "error" or status.endswith("_error")


def wait_share(client: Any, share: Any, status: str = "available", timeout: float = TIMEOUT) -> Any:
    share_id = getattr(share, "id", share)
    return poll(
        lambda: client.shares.get(share_id),
        lambda s: s.status == status,
        f"share {share_id} waiting for {status!r}",
        failed=lambda s: _is_error(s.status) and s.status != status,
        diagnose=lambda: f"messages: {messages_about(client, share_id)}",
        timeout=timeout,
    )


def wait_gone(client: Any, manager: Any, resource: Any, timeout: float = TIMEOUT) -> None:
    from manilaclient.common.apiclient.exceptions import NotFound

    resource_id = getattr(resource, "id", resource)

    def fetch() -> Any:
        try:
            return manager.get(resource_id)
        except NotFound:
            return None

    poll(
        fetch,
        lambda r: r is None,
        f"{resource_id} waiting to be deleted",
        failed=lambda r: r is not None and _is_error(r.status),
        diagnose=lambda: f"messages: {messages_about(client, resource_id)}",
        timeout=timeout,
    )


def wait_snapshot(client: Any, snapshot: Any, status: str = "available") -> Any:
    return poll(
        lambda: client.share_snapshots.get(snapshot),
        lambda s: s.status == status,
        f"snapshot {snapshot.id} waiting for {status!r}",
        failed=lambda s: _is_error(s.status) and s.status != status,
        diagnose=lambda: f"messages: {messages_about(client, snapshot.id)}",
    )


def rules(client: Any, share: Any) -> dict[str, Any]:
    """The share's access rules by ``access_to``."""
    return {r.access_to: r for r in client.share_access_rules.access_list(share)}


def wait_rules(
    client: Any, share: Any, expected: Mapping[str, tuple[str, str]], rules_status: str = "active"
) -> dict[str, Any]:
    """Until the share's rules are exactly ``{access_to: (access_level, state)}`` and the share's
    ``access_rules_status`` is ``rules_status``."""

    def fetch() -> tuple[dict[str, tuple[str, str]], str, dict[str, Any]]:
        found = rules(client, share)
        status = client.shares.get(share.id).access_rules_status
        return {k: (r.access_level, r.state) for k, r in found.items()}, status, found

    def settled(current: tuple[dict[str, tuple[str, str]], str, dict[str, Any]]) -> bool:
        return current[0] == dict(expected) and current[1] == rules_status

    current = poll(
        fetch,
        settled,
        f"access rules of share {share.id} waiting for {dict(expected)} and "
        f"access_rules_status {rules_status!r}",
        diagnose=lambda: f"messages: {messages_about(client, share.id)}",
    )
    return dict(current[2])


def allow(client: Any, share: Any, access_to: str, level: str) -> None:
    """Allow one IP rule and wait until it is ``active`` and the share's rules are in sync.

    One at a time, as a user would: manila 23 can leave the share's ``access_rules_status`` at ``syncing``
    for good when an allow lands while the share service is applying the previous rule. The API creates the
    rule, the share service applies it in that same pass and reports ``active``, the API then marks the
    share ``syncing`` and casts; that cast finds nothing left to apply and changes no status
    (``ShareInstanceAccess.update_access_rules``). Seen in two of eight runs that allowed three rules in a row.
    """
    client.shares.allow(share, "ip", access_to, level)
    poll(
        lambda: (rules(client, share).get(access_to), client.shares.get(share.id).access_rules_status),
        lambda found: found[0] is not None and found[0].state == "active" and found[1] == "active",
        f"rule {access_to} ({level}) of share {share.id} waiting to be active",
        failed=lambda found: found[0] is not None and found[0].state == "error",
        diagnose=lambda: f"messages: {messages_about(client, share.id)}",
    )


def instance_id(client: Any, share: Any) -> str:
    """The id of the share's only instance: what the driver names the cluster objects after."""
    instances = client.shares.list_instances(share)
    assert len(instances) == 1, instances
    return str(instances[0].id)


def export_paths(client: Any, share: Any) -> set[str]:
    return {location.path for location in client.share_export_locations.list(share)}


def snapshot_instance_id(client: Any, snapshot: Any) -> str:
    instances = client.share_snapshot_instances.list(snapshot=snapshot)
    assert len(instances) == 1, instances
    return str(instances[0].id)


def wait_ready(
    client: Any, share_host: str, scheduler_host: str, watch: Iterable[Any] = (), timeout: float = 120.0
) -> None:
    """The scheduler and the share service are up, and the backend's pool is known to the scheduler
    (the share service reported its capabilities)."""
    from .processes import wait_for

    watched = list(watch)

    def services_up() -> bool:
        up = {(s.binary, s.host) for s in client.services.list() if s.state == "up" and s.status == "enabled"}
        return {("manila-share", share_host), ("manila-scheduler", scheduler_host)} <= up

    wait_for(
        services_up,
        f"manila-scheduler and manila-share ({share_host}) to be up",
        timeout=timeout,
        watch=watched,
    )
    wait_for(
        lambda: [p for p in client.pools.list() if p.name.startswith(share_host + "#")],
        f"the scheduler to know the pool of {share_host}",
        timeout=timeout,
        watch=watched,
    )
