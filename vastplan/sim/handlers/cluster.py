"""The cluster record (VMS_API.md §4.9), versions (§2.2) and capacity metrics (§4.10)."""

from __future__ import annotations

from vastplan.sim.errors import FieldErrors, NotFound
from vastplan.sim.fields import CLUSTER_PATCH
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse, json_response
from vastplan.sim.listing import filter_records, paginate, project
from vastplan.sim.state import Record
from vastplan.sim.validation import clean


def _with_url(ctx: Context, collection: str, record: Record) -> Record:
    return {**record, "url": ctx.url_for(collection, record["id"])}


def _listing(ctx: Context, collection: str, records: list[Record]) -> SimResponse:
    records = [_with_url(ctx, collection, record) for record in records]
    known: set[str] = set()
    for record in records:
        known.update(record)
    matched = filter_records(records, ctx.request, known)
    return json_response(200, project(paginate(matched, ctx.request), ctx.request))


def list_clusters(ctx: Context) -> SimResponse:
    return _listing(ctx, "clusters", ctx.backend.cluster.list_rendered())


def read_cluster(ctx: Context) -> SimResponse:
    return json_response(200, _with_url(ctx, "clusters", ctx.backend.cluster.read(ctx.obj_id)))


def update_cluster(ctx: Context) -> SimResponse:
    """PATCH answers 200 with the cluster (§4.9; the spec models no body) [INFERRED: the full object]."""
    data = clean(ctx.body(), CLUSTER_PATCH, mode="patch", endpoint="PATCH /clusters/{id}/")
    return json_response(200, _with_url(ctx, "clusters", ctx.backend.cluster.update(ctx.obj_id, data)))


def list_versions(ctx: Context) -> SimResponse:
    """``GET /versions/?status=success`` -> newest first (§2.2)."""
    return _listing(ctx, "versions", ctx.backend.cluster.list_versions())


def read_version(ctx: Context) -> SimResponse:
    for record in ctx.backend.cluster.list_versions():
        if record["id"] == ctx.obj_id:
            return json_response(200, _with_url(ctx, "versions", record))
    raise NotFound()


def ad_hoc_query(ctx: Context) -> SimResponse:
    """Never paginated (§3.2). ``prop_list`` repeats (VASTPY) or is comma-joined (GVC) (§2.1)."""
    object_type = ctx.request.last("object_type")
    if not object_type:
        raise FieldErrors.one("object_type", "This field is required.")
    props = _metric_names(ctx.request.values("prop_list"))
    result = ctx.backend.cluster.ad_hoc_query(object_type, props, ctx.request.last("time_frame"))
    return json_response(200, result)


def _metric_names(values: list[str]) -> list[str]:
    """Split comma-joined lists without splitting ``Group,metric`` names: a part that starts with a capital
    letter is a group (``Capacity``) and takes the next part as its metric."""
    names: list[str] = []
    for value in values:
        parts = value.split(",")
        index = 0
        while index < len(parts):
            if parts[index][:1].isupper() and index + 1 < len(parts):
                names.append(f"{parts[index]},{parts[index + 1]}")
                index += 2
            else:
                names.append(parts[index])
                index += 1
    return names
