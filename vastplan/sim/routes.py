"""The routing table: route pattern -> handler per method. Data only (moto's ``urls.py``).

Patterns are written without the ``/api/<ver>`` prefix and with a trailing slash, as the spec writes them
(VMS_API.md §1.1). ``{id}`` matches digits, ``{key}`` any one segment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from vastplan.sim.handlers import cluster, collections, folders, streams, tokens
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse
from vastplan.sim.state import COLLECTIONS

Handler = Callable[[Context], SimResponse]


@dataclass(frozen=True)
class Route:
    pattern: str
    methods: dict[str, Handler]
    # False only for the token endpoints (the spec's `security: []`, VMS_API.md §2.3).
    auth: bool = True
    # Fixed route parameters (the collection name of a generic CRUD route).
    fixed: tuple[tuple[str, str], ...] = ()


def _collection_routes(name: str) -> tuple[Route, Route]:
    detail: dict[str, Handler] = {
        "GET": collections.read_object,
        "PATCH": collections.update_object,
        "DELETE": collections.delete_object,
    }
    if name == "views":
        detail["PUT"] = collections.replace_view
    fixed = (("collection", name),)
    return (
        Route(f"/{name}/", {"GET": collections.list_objects, "POST": collections.create_object}, fixed=fixed),
        Route(f"/{name}/{{id}}/", detail, fixed=fixed),
    )


ROUTES: tuple[Route, ...] = (
    Route("/token/", {"POST": tokens.token}, auth=False),
    Route("/token/refresh/", {"POST": tokens.token_refresh}, auth=False),
    Route("/apitokens/", {"GET": tokens.list_api_tokens, "POST": tokens.create_api_token}),
    Route("/apitokens/{key}/", {"GET": tokens.read_api_token}),
    Route("/apitokens/{key}/revoke/", {"PATCH": tokens.revoke_api_token}),
    *(route for name in COLLECTIONS for route in _collection_routes(name)),
    # VMS_API.md §4.5: snapshot clones and global snapshot streams; §3.1: async tasks. The spec writes the
    # stream actions without a trailing slash; request routes are normalised, so both forms match.
    Route("/snapshots/{id}/clone/", {"POST": streams.clone_snapshot}),
    Route("/globalsnapstreams/", {"GET": streams.list_streams, "POST": streams.create_stream}),
    Route(
        "/globalsnapstreams/{id}/",
        {"GET": streams.read_stream, "PATCH": streams.update_stream, "DELETE": streams.delete_stream},
    ),
    Route("/globalsnapstreams/{id}/stop/", {"PATCH": streams.stop_stream}),
    Route("/globalsnapstreams/{id}/pause/", {"PATCH": streams.pause_stream}),
    Route("/globalsnapstreams/{id}/resume/", {"PATCH": streams.resume_stream}),
    Route("/vtasks/", {"GET": streams.list_tasks}),
    Route("/vtasks/{id}/", {"GET": streams.read_task}),
    Route("/folders/create_folder/", {"POST": folders.create_folder}),
    Route("/folders/delete_folder/", {"DELETE": folders.delete_folder}),
    Route("/folders/stat_path/", {"POST": folders.stat_path}),
    Route("/clusters/", {"GET": cluster.list_clusters}),
    Route("/clusters/{id}/", {"GET": cluster.read_cluster, "PATCH": cluster.update_cluster}),
    Route("/clusters/{id}/delete_folder/", {"DELETE": folders.cluster_delete_folder}),
    Route("/versions/", {"GET": cluster.list_versions}),
    Route("/versions/{id}/", {"GET": cluster.read_version}),
    Route("/monitors/ad_hoc_query/", {"GET": cluster.ad_hoc_query}),
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _compile(pattern: str) -> re.Pattern[str]:
    regex = ""
    for piece in re.split(r"(\{\w+\})", pattern):
        name = _PLACEHOLDER.fullmatch(piece)
        if name is None:
            regex += re.escape(piece)
        else:
            regex += rf"(?P<{name.group(1)}>\d+)" if name.group(1) == "id" else rf"(?P<{name.group(1)}>[^/]+)"
    return re.compile(regex)


_COMPILED = tuple((route, _compile(route.pattern)) for route in ROUTES)


def match(route: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving a normalised path, and its parameters; None when nothing serves it."""
    for candidate, regex in _COMPILED:
        found = regex.fullmatch(route)
        if found:
            return candidate, {**dict(candidate.fixed), **found.groupdict()}
    return None
