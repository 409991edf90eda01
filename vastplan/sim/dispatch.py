"""Run one API request against a backend: route, authenticate, handle, map errors (DESIGN §8)."""

from __future__ import annotations

from vastplan.sim import routes
from vastplan.sim.authn import authenticate
from vastplan.sim.backend import SimBackend
from vastplan.sim.errors import MethodNotAllowed, NotFound, SimError
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse, error_response, internal_error
from vastplan.sim.request import SimRequest


def dispatch(backend: SimBackend, request: SimRequest) -> SimResponse:
    """The answer to an API request. Order as in DRF: unknown URL 404, then authentication, then 405."""
    try:
        with backend.lock:
            return _run(backend, request)
    except SimError as error:
        return error_response(error)
    except Exception as exc:  # noqa: BLE001 - a simulator bug must still answer, as a server would
        return internal_error(exc)


def _run(backend: SimBackend, request: SimRequest) -> SimResponse:
    found = routes.match(request.route) if request.prefix is not None else None
    if found is None:
        raise NotFound()
    route, params = found
    ctx = Context(backend, request, params)
    if route.auth:
        ctx.principal, ctx.tenant_id = authenticate(backend, request)
    handler = route.methods.get(request.method)
    if handler is None:
        raise MethodNotAllowed(request.method)
    return handler(ctx)
