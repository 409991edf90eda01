"""The control API beside the VMS API (DESIGN §8, a contract): ``/_sim/...``, no auth, never logged.

| call | effect |
|---|---|
| ``GET /_sim/calls``, ``DELETE /_sim/calls`` | the call log; clear it |
| ``POST /_sim/reset`` | a fresh cluster; the call log and the faults are cleared too |
| ``GET /_sim/state``, ``PUT /_sim/state`` | dump / load the cluster state as JSON |
| ``GET /_sim/faults``, ``POST /_sim/faults``, ``DELETE /_sim/faults`` | list / add / clear faults |
| ``POST /_sim/usage`` | ``{"path", "used_bytes", "tenant_id"?}``: data under a directory |
| ``GET /_sim/cluster``, ``POST /_sim/cluster`` | cluster settings: version, trash, capacity, token lifetimes |
| ``POST /_sim/apitokens`` | mint an API token: ``{"owner"?, "name"?, "expiry_date"?}`` -> ``{id, token}`` |
| ``GET /_sim/clones``, ``POST /_sim/clones`` | the pace of new snapshot clones: ``{"pace", "reads"?}`` |
| ``POST /_sim/clones/{id}/complete`` | finish a running global snapshot stream now |
| ``POST /_sim/clones/{id}/progress`` | ``{"sync_progress": 0-99}``: hold a running stream in Syncing there |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from vastplan.sim.errors import FieldErrors, MethodNotAllowed, NotFound, SimError
from vastplan.sim.faults import Fault
from vastplan.sim.fields import API_TOKEN_CREATE, parse_table
from vastplan.sim.http import SimResponse, empty_response, error_response, json_response
from vastplan.sim.request import SimRequest
from vastplan.sim.store import World
from vastplan.sim.validation import clean

ControlHandler = Callable[[World, SimRequest], SimResponse]

USAGE = parse_table(
    """
    path        C* . . str
    used_bytes  C* . . int
    tenant_id   C  . . int
    """
)
CLUSTER_SETTINGS = parse_table(
    """
    version            C . . str
    name               C . . str
    enable_trash       C . . bool
    logical_space      C . . int
    physical_space     C . . int
    drr                C . . num
    access_token_ttl   C . . num
    refresh_token_ttl  C . . num
    max_api_tokens     C . . int
    """
)
CLONE_PACE = parse_table(
    """
    pace   C* . . enum:instant|reads|manual
    reads  C  . . int
    """
)
CLONE_PROGRESS = parse_table(
    """
    sync_progress  C* . . int
    """
)
_AUTH_SETTINGS = {
    "access_token_ttl": "access_ttl",
    "refresh_token_ttl": "refresh_ttl",
    "max_api_tokens": "max_api_tokens",
}


def handle(world: World, request: SimRequest) -> SimResponse:
    """Answer a control call; errors take the same shapes as the VMS API's."""
    name = request.route.removeprefix("/_sim/").strip("/")
    methods = _ROUTES.get(name)
    if methods is None:
        methods = next((found for pattern, found in _PATTERNS if pattern.fullmatch(name)), None)
    if methods is None:
        return error_response(NotFound())
    handler = methods.get(request.method)
    if handler is None:
        return error_response(MethodNotAllowed(request.method))
    try:
        with world.backend.lock:
            return handler(world, request)
    except SimError as error:
        return error_response(error)


def _calls(world: World, request: SimRequest) -> SimResponse:
    return json_response(200, world.calls.entries())


def _clear_calls(world: World, request: SimRequest) -> SimResponse:
    world.calls.clear()
    return empty_response(204)


def _reset(world: World, request: SimRequest) -> SimResponse:
    world.backend.reset()
    world.calls.clear()
    world.faults.clear()
    return empty_response(204)


def _state(world: World, request: SimRequest) -> SimResponse:
    return json_response(200, world.backend.state_dict())


def _load_state(world: World, request: SimRequest) -> SimResponse:
    world.backend.load_state_dict(request.json())
    return empty_response(204)


def _faults(world: World, request: SimRequest) -> SimResponse:
    return json_response(200, world.faults.to_json())


def _add_faults(world: World, request: SimRequest) -> SimResponse:
    """One fault object or a list; ``{"expire_tokens": true}`` acts at once instead of being kept."""
    body = request.json()
    items: list[Any] = body if isinstance(body, list) else [body]
    faults: list[Fault] = []
    expire = False
    for item in items:
        if isinstance(item, dict) and "expire_tokens" in item:
            if item != {"expire_tokens": True}:
                raise FieldErrors.one("expire_tokens", 'Send {"expire_tokens": true} alone.')
            expire = True
        else:
            faults.append(Fault.from_json(item))
    if expire:
        world.backend.auth.expire_all()
    for fault in faults:
        world.faults.add(fault)
    return json_response(201, world.faults.to_json())


def _clear_faults(world: World, request: SimRequest) -> SimResponse:
    world.faults.clear()
    return empty_response(204)


def _usage(world: World, request: SimRequest) -> SimResponse:
    data = clean(request.json(), USAGE, mode="create", endpoint="POST /_sim/usage")
    if data["used_bytes"] < 0:
        raise FieldErrors.one("used_bytes", "Ensure this value is greater than or equal to 0.")
    backend = world.backend
    tenant_id = data.get("tenant_id") or backend.default_tenant_id()
    backend.fs.set_usage(tenant_id, data["path"], data["used_bytes"])
    return json_response(
        200, {"path": data["path"], "tenant_id": tenant_id, "used_bytes": data["used_bytes"]}
    )


def _cluster_settings(world: World) -> dict[str, Any]:
    backend = world.backend
    record = backend.state.cluster
    settings = {
        key: record.get(key) for key in ("name", "enable_trash", "logical_space", "physical_space", "drr")
    }
    settings["version"] = backend.cluster.version()
    settings.update({public: backend.state.auth[private] for public, private in _AUTH_SETTINGS.items()})
    return settings


def _read_cluster(world: World, request: SimRequest) -> SimResponse:
    return json_response(200, _cluster_settings(world))


def _configure_cluster(world: World, request: SimRequest) -> SimResponse:
    """``{"version": "4.6.0", "enable_trash": false, ...}``: lets tests exercise version and feature gates."""
    data = clean(request.json(), CLUSTER_SETTINGS, mode="create", endpoint="POST /_sim/cluster")
    for key, value in data.items():
        if value is None:
            raise FieldErrors.one(key, "This field may not be null.")
        if CLUSTER_SETTINGS[key].type in ("int", "num") and value < 0:
            raise FieldErrors.one(key, "Expected a non-negative value.")
    if data.get("drr") == 0:
        raise FieldErrors.one("drr", "Expected a positive data reduction ratio.")
    world.backend.cluster.configure(data)
    for public, private in _AUTH_SETTINGS.items():
        if public in data:
            world.backend.state.auth[private] = data[public]
    return json_response(200, _cluster_settings(world))


def _mint_api_token(world: World, request: SimRequest) -> SimResponse:
    data = clean(request.json(), API_TOKEN_CREATE, mode="create", endpoint="POST /_sim/apitokens")
    created = world.backend.auth.create_api_token(
        data.get("owner") or "admin", data.get("name"), data.get("expiry_date")
    )
    return json_response(201, created)


def _clone_pace(world: World, request: SimRequest) -> SimResponse:
    return json_response(200, dict(world.backend.state.clones))


def _set_clone_pace(world: World, request: SimRequest) -> SimResponse:
    """``{"pace": "instant"}``, ``{"pace": "reads", "reads": N}`` or ``{"pace": "manual"}``: how streams created
    from now on sync (see :mod:`vastplan.sim.model.streams`)."""
    data = clean(request.json(), CLONE_PACE, mode="create", endpoint="POST /_sim/clones")
    return json_response(200, world.backend.streams.set_pace(data["pace"], data.get("reads")))


def _stream_id(request: SimRequest) -> int:
    return int(request.route.removeprefix("/_sim/").strip("/").split("/")[1])


def _complete_clone(world: World, request: SimRequest) -> SimResponse:
    return json_response(200, world.backend.streams.complete(_stream_id(request)))


def _clone_progress(world: World, request: SimRequest) -> SimResponse:
    data = clean(request.json(), CLONE_PROGRESS, mode="create", endpoint="POST /_sim/clones/{id}/progress")
    return json_response(200, world.backend.streams.set_progress(_stream_id(request), data["sync_progress"]))


_ROUTES: dict[str, dict[str, ControlHandler]] = {
    "calls": {"GET": _calls, "DELETE": _clear_calls},
    "reset": {"POST": _reset},
    "state": {"GET": _state, "PUT": _load_state},
    "faults": {"GET": _faults, "POST": _add_faults, "DELETE": _clear_faults},
    "usage": {"POST": _usage},
    "cluster": {"GET": _read_cluster, "POST": _configure_cluster},
    "apitokens": {"POST": _mint_api_token},
    "clones": {"GET": _clone_pace, "POST": _set_clone_pace},
}
# Control calls with an id in the path.
_PATTERNS: tuple[tuple[re.Pattern[str], dict[str, ControlHandler]], ...] = (
    (re.compile(r"clones/\d+/complete"), {"POST": _complete_clone}),
    (re.compile(r"clones/\d+/progress"), {"POST": _clone_progress}),
)
