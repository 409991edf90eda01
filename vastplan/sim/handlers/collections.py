"""CRUD of the six collections: /tenants/, /vippools/, /viewpolicies/, /views/, /quotas/, /snapshots/.

Status codes per VMS_API.md §3.1: POST 201; PATCH 200 with the full object, except VIP pools (204);
DELETE 204; GET of an unknown id 404.
"""

from __future__ import annotations

from typing import Any

from vastplan.sim.errors import FieldErrors, NotFound, PermissionDenied
from vastplan.sim.fields import VIEW_PUT
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse, empty_response, json_response
from vastplan.sim.listing import compile_filters, paginate, project
from vastplan.sim.model.base import Collection
from vastplan.sim.state import Record
from vastplan.sim.validation import clean

# Collections a tenant-scoped caller may read but not change (VMS_API.md §2.3: tenant admins cannot
# create or modify VIP pools) [INFERRED for tenants].
_CLUSTER_WIDE = ("tenants", "vippools")


def _collection(ctx: Context) -> Collection:
    return ctx.backend.collection(ctx.params["collection"])


def _endpoint(ctx: Context, with_id: bool = False) -> str:
    return f"/{ctx.params['collection']}/" + ("{id}/" if with_id else "")


def _visible(ctx: Context, record: Record) -> bool:
    if ctx.tenant_id is not None and ctx.params["collection"] == "tenants":
        return bool(record["id"] == ctx.tenant_id)
    return ctx.visible(record)


def _with_url(ctx: Context, record: Record) -> Record:
    return {**record, "url": ctx.url_for(ctx.params["collection"], record["id"])}


def _read_visible(ctx: Context) -> Record:
    record = _collection(ctx).read(ctx.obj_id)
    if not _visible(ctx, record):
        # [INFERRED] another tenant's object does not exist for a tenant-scoped caller.
        raise NotFound()
    return record


def _refuse_scoped_write(ctx: Context) -> None:
    if ctx.tenant_id is not None and ctx.params["collection"] in _CLUSTER_WIDE:
        raise PermissionDenied("You do not have permission to perform this action.")


def list_objects(ctx: Context) -> SimResponse:
    collection = _collection(ctx)
    known = [name for name, spec in collection.catalogue.items() if spec.read]
    tests = compile_filters(ctx.request, known)
    with ctx.backend.lock:  # one consistent view from filtering to the rendered page
        rows = collection.select(tests, lambda row: _visible(ctx, row))
        answer = paginate(rows, ctx.request, render=lambda row: _with_url(ctx, collection.render(row)))
    return json_response(200, project(answer, ctx.request))


def read_object(ctx: Context) -> SimResponse:
    return json_response(200, _with_url(ctx, _read_visible(ctx)))


def create_object(ctx: Context) -> SimResponse:
    _refuse_scoped_write(ctx)
    collection = _collection(ctx)
    data = clean(ctx.body(), collection.catalogue, mode="create", endpoint="POST " + _endpoint(ctx))
    tenant_id = None
    if collection.tenant_mode != "none":
        tenant_id = ctx.tenant_for_write(data.get("tenant_id"))
    record = collection.create(data, tenant_id=tenant_id)
    return json_response(201, _with_url(ctx, record))


def update_object(ctx: Context) -> SimResponse:
    _refuse_scoped_write(ctx)
    _read_visible(ctx)
    collection = _collection(ctx)
    data = clean(ctx.body(), collection.catalogue, mode="patch", endpoint="PATCH " + _endpoint(ctx, True))
    if "tenant_id" in data:
        ctx.tenant_for_write(data["tenant_id"])
    record = collection.update(ctx.obj_id, data)
    if ctx.params["collection"] == "vippools":
        # VMS_API.md §3.1: PATCH /vippools/{id}/ answers 204 with no body.
        return empty_response(204)
    return json_response(200, _with_url(ctx, record))


def replace_view(ctx: Context) -> SimResponse:
    """PUT /views/{id}/ takes only ``path`` (required) and ``alias`` (VMS_API.md §4.1)."""
    _read_visible(ctx)
    data = clean(ctx.body(), VIEW_PUT, mode="create", endpoint="PUT /views/{id}/")
    record = ctx.backend.views.update(ctx.obj_id, data)
    return json_response(200, _with_url(ctx, record))


def delete_object(ctx: Context) -> SimResponse:
    _refuse_scoped_write(ctx)
    _read_visible(ctx)
    body: Any = ctx.body()
    if body:
        # The collections' DELETE takes no body fields (VMS_API.md §4: only query flags such as `force`).
        keys = body if isinstance(body, dict) else {"non_field_errors": None}
        raise FieldErrors(
            {key: [f"Unknown field: DELETE {_endpoint(ctx, True)} does not accept '{key}'."] for key in keys}
        )
    _collection(ctx).delete(ctx.obj_id, dict(ctx.request.query))
    return empty_response(204)
