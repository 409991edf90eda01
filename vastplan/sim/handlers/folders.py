"""The folders (trash) API, VMS_API.md §4.6: create_folder, delete_folder, stat_path.

``create_folder`` and ``delete_folder`` answer 200 (``DELETE /clusters/{id}/delete_folder/`` 204), per §3.1.
"""

from __future__ import annotations

from vastplan.sim.errors import FieldErrors
from vastplan.sim.fields import FOLDER_CREATE, FOLDER_DELETE, STAT_PATH
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse, empty_response, json_response
from vastplan.sim.model.base import invalid_pk
from vastplan.sim.validation import clean


def _tenant(ctx: Context, requested: int | None) -> int:
    tenant_id = ctx.tenant_for_write(requested)
    if tenant_id is None:
        return ctx.backend.default_tenant_id()
    if tenant_id not in ctx.backend.state.tables["tenants"]:
        raise FieldErrors.one("tenant_id", invalid_pk(tenant_id))
    return int(tenant_id)


def create_folder(ctx: Context) -> SimResponse:
    data = clean(ctx.body(), FOLDER_CREATE, mode="create", endpoint="POST /folders/create_folder/")
    ctx.backend.fs.create_folder(
        _tenant(ctx, data.get("tenant_id")),
        data["path"],
        mode=data.get("create_dir_mode"),
        user=data.get("user"),
        group=data.get("group"),
    )
    return empty_response(200)


def delete_folder(ctx: Context) -> SimResponse:
    data = clean(ctx.body(), FOLDER_DELETE, mode="create", endpoint="DELETE /folders/delete_folder/")
    ctx.backend.fs.delete_folder(_tenant(ctx, data.get("tenant_id")), data["path"])
    return empty_response(200)


def cluster_delete_folder(ctx: Context) -> SimResponse:
    """DELETE /clusters/{id}/delete_folder/: the same trash move, answered 204 (§3.1)."""
    ctx.backend.cluster.read(ctx.obj_id)
    data = clean(ctx.body(), FOLDER_DELETE, mode="create", endpoint="DELETE /clusters/{id}/delete_folder/")
    ctx.backend.fs.delete_folder(_tenant(ctx, data.get("tenant_id")), data["path"])
    return empty_response(204)


def stat_path(ctx: Context) -> SimResponse:
    data = clean(ctx.body(), STAT_PATH, mode="create", endpoint="POST /folders/stat_path/")
    return json_response(200, ctx.backend.fs.stat_path(_tenant(ctx, data["tenant_id"]), data["path"]))
