"""Login tokens and API tokens (VMS_API.md §2.3).

``POST /token/`` and ``POST /token/refresh/`` need no credentials (the spec marks them ``security: []``);
they live under every prefix: ``/api/token/``, ``/api/v1/token/``...
"""

from __future__ import annotations

from vastplan.sim.authn import tenant_scope
from vastplan.sim.fields import API_TOKEN_CREATE, TOKEN, TOKEN_REFRESH
from vastplan.sim.handlers.context import Context
from vastplan.sim.http import SimResponse, json_response
from vastplan.sim.validation import clean


def token(ctx: Context) -> SimResponse:
    """``{username, password}`` -> 200 ``{access, refresh}``; bad credentials 401 (§2.3)."""
    data = clean(ctx.body(), TOKEN, mode="create", endpoint="POST /token/")
    ctx.backend.auth.check_password(data["username"], data["password"])
    # A token asked for with X-Tenant-Name is scoped to that tenant, which must exist (§2.3).
    tenant_scope(ctx.backend, ctx.request, data["username"], None)
    tenant = ctx.request.header("x-tenant-name")
    return json_response(200, ctx.backend.auth.login(data["username"], data["password"], tenant))


def token_refresh(ctx: Context) -> SimResponse:
    """``{refresh}`` -> 200 ``{access, refresh}``; an invalid or expired refresh token is 403 [INFERRED,
    the same answer as an invalid access token]."""
    data = clean(ctx.body(), TOKEN_REFRESH, mode="create", endpoint="POST /token/refresh/")
    return json_response(200, ctx.backend.auth.refresh(data["refresh"]))


def list_api_tokens(ctx: Context) -> SimResponse:
    return json_response(200, ctx.backend.auth.list_api_tokens())


def read_api_token(ctx: Context) -> SimResponse:
    return json_response(200, ctx.backend.auth.read_api_token(ctx.params["key"]))


def create_api_token(ctx: Context) -> SimResponse:
    """201 ``{id, token}``; the token is shown once (§2.3). ``owner`` defaults to the caller."""
    data = clean(ctx.body(), API_TOKEN_CREATE, mode="create", endpoint="POST /apitokens/")
    assert ctx.principal is not None
    owner = data.get("owner") or ctx.principal.username
    created = ctx.backend.auth.create_api_token(owner, data.get("name"), data.get("expiry_date"))
    return json_response(201, created)


def revoke_api_token(ctx: Context) -> SimResponse:
    return json_response(200, ctx.backend.auth.revoke_api_token(ctx.params["key"]))
