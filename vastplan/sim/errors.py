"""Errors of the simulated VMS: what went wrong in VMS terms, never how it travels over HTTP.

The backend raises these; :mod:`vastplan.sim.http` is the one place that turns them into a status code and
a body (moto's habit: the domain error carries the service's own message, one layer serialises it).

    SimError                       a refusal the real VMS would also give
    ├── NotFound                   unknown id, unknown route                      -> 404 {"detail": ...}
    ├── MethodNotAllowed           known route, wrong method                      -> 405 {"detail": ...}
    ├── FieldErrors                DRF field validation                           -> 400 {"field": ["msg", ...]}
    ├── BadRequest                 a refusal with a detail text                   -> 400 {"detail": ...}
    ├── PlainTextError             the VMS answers some refusals in plain text    -> 400 text/plain
    ├── AuthenticationFailed       missing or wrong credentials                   -> 401 {"detail": ...}
    ├── TokenInvalid               expired, revoked or forged JWT                 -> 403 {"detail": ...}
    ├── PermissionDenied           an authenticated caller may not do this        -> 403 {"detail", "code"}
    └── ServiceUnavailable         e.g. too many API tokens                       -> 503 "text" (JSON string)

    SimStateFileError              not a VMS answer: the state file of a ``sim://`` endpoint is unreadable
    SimServerError                 not a VMS answer: the HTTP(S) server cannot start

No message ever contains a password or a token: callers build messages from names and ids only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vastplan.errors import VastplanError


class SimError(Exception):
    """A refusal of the simulated VMS. ``message`` is the text the VMS would send."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(SimError):
    """The object or route does not exist (VMS_API.md §3.1: unknown id -> 404)."""

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class MethodNotAllowed(SimError):
    """The route exists but does not take this method (DRF's wording)."""

    def __init__(self, method: str) -> None:
        super().__init__(f'Method "{method}" not allowed.')


class FieldErrors(SimError):
    """DRF-style validation errors keyed by field (VMS_API.md §3.1)."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items()}
        first = next(iter(self.errors.items()), ("", [""]))
        super().__init__(f"{first[0]}: {first[1][0] if first[1] else ''}")

    @classmethod
    def one(cls, field: str, message: str) -> FieldErrors:
        return cls({field: [message]})


class BadRequest(SimError):
    """A refusal that is not about one field: 400 ``{"detail": message}``."""


class PlainTextError(SimError):
    """A refusal the VMS sends as a plain-text 400 body (VMS_API.md §4.6: "no such directory")."""


class AuthenticationFailed(SimError):
    """Missing or wrong credentials (VMS_API.md §2.3: 401 "Authentication failure, user: <name>")."""

    def __init__(self, user: str) -> None:
        super().__init__(f"Authentication failure, user: {user}")


class TokenInvalid(SimError):
    """An expired, revoked or forged JWT (VMS_API.md §2.3: 403 "Token is invalid or expired")."""

    def __init__(self) -> None:
        super().__init__("Token is invalid or expired")


class PermissionDenied(SimError):
    """RBAC refusal (VMS_API.md §2.3: 403 with code ``permission_denied``) [INFERRED]."""


class ServiceUnavailable(SimError):
    """503 with a text body (VMS_API.md §2.3: "Max allowed API tokens reached")."""


class SimStateFileError(VastplanError):
    """The state file behind a ``sim://FILE`` endpoint cannot be read or written; names the file."""


class SimServerError(VastplanError):
    """``vastplan sim serve`` cannot start: address in use, unreadable certificate or key..."""
