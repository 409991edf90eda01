"""Who is calling: Basic, Bearer (JWT) or Api-Token credentials, and the X-Tenant-Name scope (VMS_API.md §2.3)."""

from __future__ import annotations

import base64
import binascii

from vastplan.sim.backend import SimBackend
from vastplan.sim.errors import AuthenticationFailed
from vastplan.sim.model.auth import Principal
from vastplan.sim.request import SimRequest

ANONYMOUS = "anonymous"


def authenticate(backend: SimBackend, request: SimRequest) -> tuple[Principal, int | None]:
    """The caller and the tenant id it is scoped to (None: cluster-wide). Raises 401/403 domain errors.

    Missing or unusable credentials are 401 "Authentication failure, user: <name>" (VMS_API.md §2.3, the
    name is "anonymous" when no user can be named without echoing a secret); an invalid or expired JWT is
    403 "Token is invalid or expired" (§2.3 [INFERRED, strong]).
    """
    header = request.header("authorization") or ""
    scheme, _, credentials = header.strip().partition(" ")
    scheme = scheme.lower()
    credentials = credentials.strip()
    if scheme == "basic":
        principal = backend.auth.check_password(*_basic(credentials))
    elif scheme == "bearer":
        principal = backend.auth.verify_access(credentials)
    elif scheme == "api-token":
        principal = backend.auth.verify_api_token(credentials)
    else:
        raise AuthenticationFailed(ANONYMOUS)
    return principal, tenant_scope(backend, request, principal.username, principal.tenant)


def _basic(credentials: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise AuthenticationFailed(ANONYMOUS) from exc
    username, separator, password = decoded.partition(":")
    if not separator:
        raise AuthenticationFailed(username or ANONYMOUS)
    return username, password


def tenant_scope(backend: SimBackend, request: SimRequest, username: str, claimed: str | None) -> int | None:
    """The tenant named by ``X-Tenant-Name`` (else by the token), which must exist (VMS_API.md §2.3).

    [INFERRED] an unknown tenant fails authentication the way a tenant admin without the header does
    (401 "Authentication failure, user: <name>", ISS-OSAC443 in §2.3).
    """
    name = request.header("x-tenant-name") or claimed
    if not name:
        return None
    tenant = backend.tenants.by_name(name)
    if tenant is None:
        raise AuthenticationFailed(username)
    return int(tenant["id"])
