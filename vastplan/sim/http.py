"""The HTTP face of the simulator: responses, and the one place a domain error becomes a status and body.

``dispatch(backend, request)`` routes an API request (:mod:`vastplan.sim.routes`), authenticates it
(:mod:`vastplan.sim.authn`), runs the handler and maps any :class:`~vastplan.sim.errors.SimError` to the VMS's
answer (DESIGN §8: ``{"detail": ...}``, ``{"field": [...]}``, or plain text where the VMS answers plain text).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from vastplan.sim import errors

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
TEXT_TYPE = "text/plain; charset=utf-8"


@dataclass
class SimResponse:
    """What the simulator answers. ``dropped``: the connection must break instead (``drop_after_commit``);
    ``timed_out``: the caller's read timeout passed before the answer (injected latency)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    dropped: bool = False
    timed_out: bool = False

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> SimResponse:
    body = json.dumps(data, separators=(",", ":")).encode()
    return SimResponse(status, {"Content-Type": JSON_TYPE, **(headers or {})}, body)


def text_response(status: int, text: str) -> SimResponse:
    return SimResponse(status, {"Content-Type": TEXT_TYPE}, text.encode())


def empty_response(status: int) -> SimResponse:
    """No body (204, and the folder actions' 200 "OK", VMS_API.md §3.1) [INFERRED: empty 200 body]."""
    return SimResponse(status, {}, b"")


def error_response(error: errors.SimError) -> SimResponse:
    """Map a domain error to the VMS's status and body (see the tree in :mod:`vastplan.sim.errors`)."""
    if isinstance(error, errors.FieldErrors):
        return json_response(400, error.errors)
    if isinstance(error, errors.PlainTextError):
        return text_response(400, error.message)
    if isinstance(error, errors.NotFound):
        return json_response(404, {"detail": error.message})
    if isinstance(error, errors.MethodNotAllowed):
        return json_response(405, {"detail": error.message})
    if isinstance(error, errors.AuthenticationFailed):
        # [INFERRED] DRF adds a challenge to a 401 for Basic authentication.
        return json_response(401, {"detail": error.message}, {"WWW-Authenticate": 'Basic realm="api"'})
    if isinstance(error, errors.TokenInvalid):
        return json_response(403, {"detail": error.message})
    if isinstance(error, errors.PermissionDenied):
        # VMS_API.md §2.3 [INFERRED]: RBAC refusals are 403 with a permission_denied code.
        return json_response(403, {"detail": error.message, "code": "permission_denied"})
    if isinstance(error, errors.ServiceUnavailable):
        # VMS_API.md §2.3: the spec declares this 503 body as a JSON string.
        return json_response(503, error.message)
    return json_response(400, {"detail": error.message})


def internal_error(exc: Exception) -> SimResponse:
    """A simulator bug: logged with its traceback, answered as a 500 naming only the exception type."""
    log.exception("simulator error while handling a request")
    return json_response(500, {"detail": f"Internal simulator error ({type(exc).__name__})."})
