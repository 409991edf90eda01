"""The three ways of authenticating to a VMS (VMS_API.md §2.3).

* :class:`ApiTokenAuth` — ``Authorization: Api-Token <token>``; long-lived, never renewed.
* :class:`BearerAuth` — user and password exchanged at ``POST /api/token/`` for ``{access, refresh}``;
  calls carry ``Authorization: Bearer <access>``. When the VMS refuses the token (401, or 403 "Token is
  invalid or expired") it is renewed once, by one thread, while the others wait and reuse the new one:
  first at ``POST /api/token/refresh/`` with the refresh token, else by logging in again.
* :class:`BasicAuth` — user and password on every call; never renewed.

A credential object hands out a ``requests`` auth callable plus a *generation* number; whoever saw a
refusal passes that generation back to :meth:`Credentials.renew`, which renews only if no other thread
has done so since — the way to get exactly one token request out of many threads hitting the same
expired token (GVC and CSI-NEW serialise re-authorisation the same way).
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from typing import Any, Protocol

import requests
from requests.auth import AuthBase

from vastplan.client.config import ConnectionConfig
from vastplan.client.errors import (
    VmsApiError,
    VmsAuthError,
    VmsProtocolError,
    VmsTransientError,
    status_text,
)

__all__ = [
    "ApiTokenAuth",
    "BasicAuth",
    "BearerAuth",
    "Credentials",
    "HeaderAuth",
    "TokenPoster",
    "make_credentials",
]

#: Sends a JSON body to a token path ("token/" or "token/refresh/", below ``/api/``) without any
#: Authorization header and returns the parsed JSON object; raises the client's errors.
TokenPoster = Callable[[str, dict[str, str]], dict[str, Any]]


class HeaderAuth(AuthBase):
    """Sets (or, with None, removes) the Authorization header of a request.

    Passing an auth object to ``requests`` also keeps it from reading ``~/.netrc``, which would
    otherwise replace our header with Basic credentials for the same host.
    """

    def __init__(self, value: str | None) -> None:
        self._value = value

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._value is None:
            r.headers.pop("Authorization", None)
        else:
            r.headers["Authorization"] = self._value
        return r

    def __repr__(self) -> str:
        return "HeaderAuth(***)"


class Credentials(Protocol):
    """What the client needs from an authentication mode."""

    #: Whether a refused call may be retried after :meth:`renew`.
    renewable: bool

    def current(self) -> tuple[AuthBase, int]:
        """The auth to send now, and the generation it belongs to (logging in first if needed)."""

    def renew(self, generation: int) -> None:
        """Get new credentials, unless another thread already replaced ``generation``."""

    def refusal_hint(self) -> str:
        """Why a refusal is final, naming the user and endpoint: appended to the error message."""


class _FixedHeaderAuth:
    """Credentials sent as the same header on every call: nothing to renew when they are refused."""

    renewable = False

    def __init__(self, header: str, endpoint: str) -> None:
        self._auth = HeaderAuth(header)
        self._endpoint = endpoint

    def current(self) -> tuple[AuthBase, int]:
        return self._auth, 0

    def renew(self, generation: int) -> None:  # pragma: no cover - never called: not renewable
        raise NotImplementedError


class ApiTokenAuth(_FixedHeaderAuth):
    def __init__(self, token: str, endpoint: str) -> None:
        super().__init__(f"Api-Token {token}", endpoint)

    def refusal_hint(self) -> str:
        # MANILA never refreshes an API token: it is long-lived, so a refusal means revoked or wrong.
        return f"the API token was refused by {self._endpoint}: check that it is valid and not revoked"

    def __repr__(self) -> str:
        return f"ApiTokenAuth(endpoint={self._endpoint!r}, token=***)"


class BasicAuth(_FixedHeaderAuth):
    def __init__(self, username: str, password: str, endpoint: str, tenant: str | None) -> None:
        super().__init__(_basic_header(username, password), endpoint)
        self._who = _who(username, tenant)

    def refusal_hint(self) -> str:
        return f"{self._who} was refused by {self._endpoint} (Basic auth): check the username and password"

    def __repr__(self) -> str:
        return f"BasicAuth({self._who} at {self._endpoint}, password=***)"


class BearerAuth:
    """Login tokens from ``POST /api/token/``, renewed once per refusal by a single thread."""

    renewable = True

    def __init__(
        self, username: str, password: str, endpoint: str, tenant: str | None, post_token: TokenPoster
    ) -> None:
        self._username = username
        self._password = password
        self._who = _who(username, tenant)
        self._endpoint = endpoint
        self._post_token = post_token
        # Held while logging in or refreshing, so that other threads wait for the one doing it.
        self._lock = threading.Lock()
        self._access: str | None = None
        self._refresh: str | None = None
        self._generation = 0

    def current(self) -> tuple[AuthBase, int]:
        with self._lock:
            if self._access is None:
                self._login()
            assert self._access is not None
            return HeaderAuth(f"Bearer {self._access}"), self._generation

    def renew(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # another thread renewed while we waited: its token is the one to use
            if self._refresh and self._try_refresh():
                return
            self._login()

    def refusal_hint(self) -> str:
        return f"still refused after logging in again as {self._who} at {self._endpoint}"

    def _try_refresh(self) -> bool:
        """``POST /api/token/refresh/`` (VMS_API.md §2.3); False when the VMS refuses the refresh token."""
        assert self._refresh is not None
        try:
            answer = self._post_token("token/refresh/", {"refresh": self._refresh})
        except VmsTransientError:
            raise
        except VmsApiError:
            # An expired or unknown refresh token (401/403/400), or a VMS without the refresh endpoint
            # (404): a new login is the way out.
            return False
        self._store(answer, keep_refresh=True)
        return True

    def _login(self) -> None:
        try:
            answer = self._post_token("token/", {"username": self._username, "password": self._password})
        except VmsApiError as exc:
            if exc.status not in (400, 401, 403):
                raise
            # A bad login answers 401 {"detail": "Authentication failure, user: <name>"} (VMS_API.md §2.3);
            # a tenant admin without X-Tenant-Name gets the same (ISS-OSAC443).
            message = f"login as {self._who} at {self._endpoint} failed: {status_text(exc.status)}"
            if exc.detail:
                message += f": {exc.detail}"
            raise VmsAuthError(
                exc.method, exc.path, exc.status, exc.detail, exc.body, message=message
            ) from None
        self._store(answer, keep_refresh=False)

    def _store(self, answer: dict[str, Any], *, keep_refresh: bool) -> None:
        access = answer.get("access")
        if not isinstance(access, str) or not access:
            raise VmsProtocolError(f"the token answer of {self._endpoint} has no access token")
        refresh = answer.get("refresh")
        self._access = access
        if isinstance(refresh, str) and refresh:
            self._refresh = refresh
        elif not keep_refresh:
            self._refresh = None
        self._generation += 1

    def __repr__(self) -> str:
        return f"BearerAuth({self._who} at {self._endpoint}, password=***)"


def _basic_header(username: str, password: str) -> str:
    pair = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def _who(username: str, tenant: str | None) -> str:
    return f"user {username!r}" + (f" of tenant {tenant!r}" if tenant else "")


def make_credentials(config: ConnectionConfig, endpoint: str, post_token: TokenPoster) -> Credentials:
    """The credentials for ``config``; ``endpoint`` is how messages name the VMS."""
    mode = config.effective_auth_mode
    if mode == "api_token":
        assert config.api_token
        return ApiTokenAuth(config.api_token, endpoint)
    assert config.username and config.password is not None
    if mode == "basic":
        return BasicAuth(config.username, config.password, endpoint, config.tenant)
    return BearerAuth(config.username, config.password, endpoint, config.tenant, post_token)
