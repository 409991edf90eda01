"""Snapshot clones and global snapshot streams (VMS_API.md §4.5), and the async tasks they hand back (§3.1).

Status codes per §3.1: ``POST /snapshots/{id}/clone/`` 200 and ``POST /globalsnapstreams/`` 201, both with the
stream object plus ``async_task``; ``PATCH .../stop`` 200 ``{async_task}``; ``DELETE /globalsnapstreams/{id}/``
(JSON body ``{remove_dir}``) 200 ``{async_task}``; unknown ids 404. Pause, resume and PATCH answer 200 with the
stream [INFERRED: the spec models no body]. Streams and tasks carry no ``url`` (their spec schemas have none).
"""

from __future__ import annotations

from typing import Any

from vastplan.sim.errors import FieldErrors, NotFound
from vastplan.sim.fields import CATALOGUES, SNAPSHOT_CLONE, STREAM_DELETE, STREAM_PAUSE, STREAM_STOP
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse, json_response
from vastplan.sim.listing import filter_records, paginate, project
from vastplan.sim.model.base import invalid_pk
from vastplan.sim.state import Record
from vastplan.sim.validation import clean

_STREAMS = CATALOGUES["globalsnapstreams"]
_TASKS = CATALOGUES["vtasks"]
# The local-clone subset of the spec's create fields (see field_tables.py); the rest are remote-clone fields.
_REMOTE_ONLY = (
    "remote_target",
    "remote_target_id",
    "owner_root_snapshot",
    "owner_tenant",
    "view_replication_enabled",
)


# -- creating ------------------------------------------------------------------------------------------------


def clone_snapshot(ctx: Context) -> SimResponse:
    """``POST /snapshots/{id}/clone/`` ``{name, loanee_root_path, loanee_tenant_id?, enabled?}`` -> 200."""
    backend = ctx.backend
    backend.streams.check_available()
    snapshot = backend.snapshots.read(ctx.obj_id)
    if not ctx.visible(snapshot):
        raise NotFound()
    data = clean(ctx.body(), SNAPSHOT_CLONE, mode="create", endpoint="POST /snapshots/{id}/clone/")
    tenant_id = ctx.tenant_for_write(data.get("loanee_tenant_id"))
    return json_response(200, backend.streams.clone(ctx.obj_id, data, loanee_tenant_id=tenant_id))


def create_stream(ctx: Context) -> SimResponse:
    """``POST /globalsnapstreams/`` for a local snapshot (``loanee_snapshot_id``) -> 201."""
    ctx.backend.streams.check_available()
    body = ctx.body()
    if isinstance(body, dict):
        remote = [key for key in _REMOTE_ONLY if key in body]
        if remote:
            # The simulator has no replication peers: only local clones are modelled.
            raise FieldErrors(
                {key: ["Remote snapshot clones are not modelled by the simulator."] for key in remote}
            )
    data = clean(body, _STREAMS, mode="create", endpoint="POST /globalsnapstreams/")
    snapshot = ctx.backend.snapshots.find(id=data["loanee_snapshot_id"])
    if snapshot and not ctx.visible(snapshot[0]):
        raise FieldErrors.one("loanee_snapshot_id", invalid_pk(data["loanee_snapshot_id"]))
    tenant_id = ctx.tenant_for_write(data.get("loanee_tenant_id"))
    return json_response(201, ctx.backend.streams.create_local(data, loanee_tenant_id=tenant_id))


# -- reading -------------------------------------------------------------------------------------------------


def _stream_row(ctx: Context) -> Record:
    row = ctx.backend.streams.row(ctx.obj_id)
    if ctx.tenant_id is not None and row.get("tenant_id") != ctx.tenant_id:
        # [INFERRED] another tenant's stream does not exist for a tenant-scoped caller.
        raise NotFound()
    return row


def list_streams(ctx: Context) -> SimResponse:
    """Filters as on every list (§3.2): any returned field, plus ``loanee_snapshot__id`` (CSI),
    ``loanee_root_path`` (MCP), ``loanee_tenant__name``/``__id``, ``owner_tenant__name``, ``tenant_id`` and
    ``tenant_name`` (the loanee tenant)."""
    streams = ctx.backend.streams
    rows = streams.visible_rows(ctx.tenant_id)
    streams.observe(rows)
    rendered = {row["id"]: streams.render(row) for row in rows}
    searchable = [{**rendered[row["id"]], **_relations(ctx, row)} for row in rows]
    known = [name for name, spec in _STREAMS.items() if spec.read] + list(_relations(ctx, {}))
    matched = [rendered[record["id"]] for record in filter_records(searchable, ctx.request, known)]
    return json_response(200, project(paginate(matched, ctx.request), ctx.request))


def _relations(ctx: Context, row: Record) -> Record:
    """Values of the related-object filters of one stream (never returned)."""
    tenants = ctx.backend.state.tables["tenants"]
    loanee = tenants.get(row.get("tenant_id") or 0) or {}
    owner = tenants.get(row.get("owner_tenant_id") or 0) or {}
    return {
        "loanee_tenant_id": row.get("tenant_id"),
        "loanee_tenant_name": loanee.get("name"),
        "owner_tenant_id": row.get("owner_tenant_id"),
        "owner_tenant_name": owner.get("name"),
        "tenant_id": row.get("tenant_id"),
        "tenant_name": loanee.get("name"),
    }


def read_stream(ctx: Context) -> SimResponse:
    row = _stream_row(ctx)
    ctx.backend.streams.observe([row])
    return json_response(200, ctx.backend.streams.render(row))


# -- changing ------------------------------------------------------------------------------------------------


def update_stream(ctx: Context) -> SimResponse:
    """``PATCH /globalsnapstreams/{id}/`` ``{name?, enabled?}``."""
    _stream_row(ctx)
    data = clean(ctx.body(), _STREAMS, mode="patch", endpoint="PATCH /globalsnapstreams/{id}/")
    return json_response(200, ctx.backend.streams.update(ctx.obj_id, data))


def pause_stream(ctx: Context) -> SimResponse:
    return _pause(ctx, "pause", default=False)


def resume_stream(ctx: Context) -> SimResponse:
    return _pause(ctx, "resume", default=True)


def _pause(ctx: Context, action: str, *, default: bool) -> SimResponse:
    _stream_row(ctx)
    data = clean(
        ctx.body(), STREAM_PAUSE, mode="create", endpoint=f"PATCH /globalsnapstreams/{{id}}/{action}"
    )
    enabled = data.get("enabled")
    return json_response(200, ctx.backend.streams.pause(ctx.obj_id, default if enabled is None else enabled))


def stop_stream(ctx: Context) -> SimResponse:
    _stream_row(ctx)
    clean(ctx.body(), STREAM_STOP, mode="create", endpoint="PATCH /globalsnapstreams/{id}/stop")
    return json_response(200, {"async_task": ctx.backend.streams.stop(ctx.obj_id)})


def delete_stream(ctx: Context) -> SimResponse:
    """``DELETE /globalsnapstreams/{id}/`` with JSON body ``{remove_dir: bool}`` (absent = false)."""
    _stream_row(ctx)
    data = clean(ctx.body(), STREAM_DELETE, mode="create", endpoint="DELETE /globalsnapstreams/{id}/")
    task = ctx.backend.streams.remove(ctx.obj_id, remove_dir=bool(data.get("remove_dir")))
    return json_response(200, {"async_task": task})


# -- async tasks ---------------------------------------------------------------------------------------------


def list_tasks(ctx: Context) -> SimResponse:
    backend = ctx.backend
    rows = [row for _, row in sorted(backend.tasks.rows.items()) if _task_visible(ctx, row)]
    backend.streams.observe_ids(row.get("stream_id") for row in rows if row["state"] == "RUNNING")
    records = [backend.tasks.render(row) for row in rows]
    known = [name for name, spec in _TASKS.items() if spec.read]
    matched = filter_records(records, ctx.request, known)
    return json_response(200, project(paginate(matched, ctx.request), ctx.request))


def read_task(ctx: Context) -> SimResponse:
    backend = ctx.backend
    row = backend.tasks.row(ctx.obj_id)
    if not _task_visible(ctx, row):
        raise NotFound()
    if row["state"] == "RUNNING":
        # Polling a clone's task is polling its stream (pace "reads").
        backend.streams.observe_ids([row.get("stream_id")])
    return json_response(200, backend.tasks.render(row))


def _task_visible(ctx: Context, row: Record) -> bool:
    """[INFERRED] a tenant-scoped caller sees the tasks of its own streams, and the others' not."""
    if ctx.tenant_id is None or row.get("stream_id") is None:
        return True
    stream: Any = ctx.backend.streams.rows.get(row["stream_id"])
    return stream is None or stream.get("tenant_id") == ctx.tenant_id
