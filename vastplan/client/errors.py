"""Every error the VMS client raises, in one tree.

::

    VastplanError                       (vastplan.errors)
    └── VmsError                        anything that went wrong talking to a VMS
        ├── VmsConfigError              bad endpoint or options; nothing was sent
        ├── VmsUnsupportedError         the cluster's version lacks a feature we need
        ├── VmsProtocolError            the VMS answered, but with something we cannot use
        ├── VmsConnectionError          unreachable, TLS failure, timeout   (.outcome_unknown)
        └── VmsApiError                 the VMS answered an error status    (.method .path .status .detail .body)
            ├── VmsBadRequest           400
            ├── VmsAuthError            401, and 403 about credentials or tokens
            ├── VmsPermissionDenied     403 permission_denied (RBAC: the user may not do this)
            ├── VmsNotFound             404
            ├── VmsConflict             409
            ├── VmsTransientError       429, 502, 503, 504
            └── VmsServerError          any other 5xx

``str(error)`` is a message fit for a terminal, e.g.
``POST /views/ failed: 400 Bad Request: path: This field must be unique.`` It never contains a password,
a login token or an API token: none of them is ever passed to a constructor here.

``retryable`` says whether the same call may succeed if simply sent again later (connection trouble,
429/502/503/504). For a mutating call that is not enough: a :class:`VmsConnectionError` with
``outcome_unknown`` set means the VMS may already have committed it, so the caller must look before it
sends it again (DESIGN.md §6).
"""

from __future__ import annotations

import http
import json
import re
from typing import Any

from vastplan.errors import VastplanError

__all__ = [
    "VmsApiError",
    "VmsAuthError",
    "VmsBadRequest",
    "VmsConfigError",
    "VmsConflict",
    "VmsConnectionError",
    "VmsError",
    "VmsNotFound",
    "VmsPermissionDenied",
    "VmsProtocolError",
    "VmsServerError",
    "VmsTransientError",
    "VmsUnsupportedError",
    "error_for_status",
    "extract_detail",
    "is_token_refusal",
]

# Longest VMS text we carry into a message; HTML error pages of proxies can be long.
_DETAIL_LIMIT = 500

# Statuses that say "try again later" rather than "this call is wrong" (VMS_API.md §3.1: 503 is also the
# VMS's "service unavailable"; 429/502/504 come from the VMS or a proxy in front of it).
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})

# Texts by which a 401/403 body says "your credentials or token are bad", as opposed to an RBAC refusal.
# "Token is invalid or expired" is what the VMS answers for an expired JWT (VMS_API.md §2.3, CSI-OLD);
# "token_not_valid" is the code that goes with it; the others are the stock Django REST Framework texts
# and the VMS's bad-login text ("Authentication failure, user: ...").
_TOKEN_REFUSAL_MARKERS = ("token is invalid or expired", "token_not_valid")
_AUTH_MARKERS = _TOKEN_REFUSAL_MARKERS + (
    "authentication failure",
    "authentication credentials were not provided",
    "incorrect authentication credentials",
    "invalid token",
    "not authenticated",
)
# An RBAC refusal carries the code permission_denied (VMS_API.md §2.3, GVC core/session.go).
_PERMISSION_MARKERS = ("permission_denied", "do not have permission")


class VmsError(VastplanError):
    """Base class of every error raised by :mod:`vastplan.client`."""

    #: Whether sending the same call again later may succeed.
    retryable: bool = False


class VmsConfigError(VmsError):
    """The endpoint or an option is invalid; raised before anything is sent."""


class VmsUnsupportedError(VmsError):
    """The cluster runs a VAST version that lacks a feature the caller needs."""

    def __init__(self, feature: str, required: tuple[int, ...], actual: str) -> None:
        self.feature = feature
        self.required = required
        self.actual = actual
        super().__init__(
            f"{feature} needs VAST {'.'.join(map(str, required))} or later; cluster runs {actual}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.feature, self.required, self.actual))


class VmsProtocolError(VmsError):
    """The VMS answered successfully but with something the client cannot use (e.g. a foreign next link)."""


class VmsConnectionError(VmsError):
    """The VMS could not be reached or did not answer: refused, DNS, TLS, timeout, broken connection.

    ``outcome_unknown`` is True when the request may have reached the VMS (the connection broke after it
    was sent, or no answer came in time): a POST may then have been committed.
    """

    retryable = True

    def __init__(self, message: str, *, outcome_unknown: bool) -> None:
        self.outcome_unknown = outcome_unknown
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_connection_error, (type(self), str(self), self.outcome_unknown))


def _rebuild_connection_error(cls: type[VmsConnectionError], message: str, unknown: bool) -> VmsError:
    return cls(message, outcome_unknown=unknown)


class VmsApiError(VmsError):
    """The VMS answered with an error status.

    ``path`` is relative to the API root (``/views/12/``) with no query and no host; ``detail`` is the
    VMS's own text; ``body`` the parsed JSON body (or the text, or None).
    """

    def __init__(
        self,
        method: str,
        path: str,
        status: int,
        detail: str,
        body: Any = None,
        *,
        message: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.detail = detail
        self.body = body
        if message is None:
            message = f"{method} {path} failed: {status_text(status)}"
            if detail:
                message += f": {detail}"
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_api_error,
            (type(self), self.method, self.path, self.status, self.detail, self.body, str(self)),
        )


def _rebuild_api_error(
    cls: type[VmsApiError], method: str, path: str, status: int, detail: str, body: Any, message: str
) -> VmsApiError:
    return cls(method, path, status, detail, body, message=message)


class VmsBadRequest(VmsApiError):
    """400: the VMS rejected the request (validation, uniqueness, plain-text refusals)."""


class VmsAuthError(VmsApiError):
    """401, or 403 about credentials: a bad password, an invalid API token, a token that stays refused."""


class VmsPermissionDenied(VmsApiError):
    """403 ``permission_denied``: authenticated, but the user's role may not do this. Never retried."""


class VmsNotFound(VmsApiError):
    """404: no such object (or no such endpoint on this VMS version)."""


class VmsConflict(VmsApiError):
    """409: the request conflicts with the object's current state."""


class VmsTransientError(VmsApiError):
    """429, 502, 503, 504: the VMS (or a proxy) is busy or restarting; the call may succeed later."""

    retryable = True
    #: Seconds the VMS asked us to wait (``Retry-After``), when it said.
    retry_after: float | None = None


class VmsServerError(VmsApiError):
    """Any other 5xx: the VMS failed to handle the request."""


def status_text(status: int) -> str:
    """``"400 Bad Request"``; just the number for statuses Python does not know."""
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def parse_body(text: str) -> Any:
    """The JSON value of a body, or the text itself when it is not JSON, or None when empty."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def extract_detail(body: Any) -> str:
    """The VMS's own error text, from the three body styles it uses (VMS_API.md §3.1).

    ``{"detail": "..."}`` gives the detail; a Django REST Framework validation body
    ``{"path": ["This field must be unique."]}`` gives ``path: This field must be unique.``; a plain-text
    body ("trash folder disabled") gives the text. HTML error pages (proxies) give their title.
    """
    if body is None:
        return ""
    if isinstance(body, str):
        return _limit(_text_of(body))
    if isinstance(body, dict) and "detail" in body:
        # {"detail": ..., "code": ..., "messages": [...]} as DRF and simplejwt send it: the detail is the
        # sentence meant for a human; the code and the token-by-token messages add nothing to it.
        return _limit(_flatten(body["detail"]))
    return _limit(_flatten(body))


def _flatten(value: Any, prefix: str = "") -> str:
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            # DRF puts errors that concern no single field under non_field_errors: no prefix for them.
            name = "" if key in ("non_field_errors", "detail") else str(key)
            full = f"{prefix}.{name}" if prefix and name else (name or prefix)
            parts.append(_flatten(item, full))
        return "; ".join(p for p in parts if p)
    if isinstance(value, list):
        texts = [_flatten(item) for item in value]
        text = " ".join(t for t in texts if t)
    else:
        text = "" if value is None else str(value)
    return f"{prefix}: {text}" if prefix and text else text


_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _text_of(text: str) -> str:
    stripped = text.strip()
    if stripped[:1] == "<":
        match = _TITLE.search(stripped)
        stripped = match.group(1) if match else _TAG.sub(" ", stripped)
    return " ".join(stripped.split())


def _limit(text: str) -> str:
    return text if len(text) <= _DETAIL_LIMIT else text[: _DETAIL_LIMIT - 3] + "..."


def _lower_text(body: Any) -> str:
    if isinstance(body, str):
        return body.lower()
    try:
        return json.dumps(body).lower()
    except (TypeError, ValueError):
        return str(body).lower()


def is_token_refusal(status: int, body: Any) -> bool:
    """Whether a response says the credentials or token were refused, so that a new login may help.

    401 always (VMS_API.md §2.3: GVC re-authorises on 401); 403 only when the body says the token is
    invalid or expired, never on ``permission_denied`` (an RBAC refusal that no new token fixes).
    """
    if status == 401:
        return True
    if status != 403:
        return False
    text = _lower_text(body)
    if any(marker in text for marker in _PERMISSION_MARKERS):
        return False
    return any(marker in text for marker in _AUTH_MARKERS)


def error_class(status: int, body: Any) -> type[VmsApiError]:
    """The exception class for an error status (and, for 403, its body)."""
    if status == 400:
        return VmsBadRequest
    if status == 401:
        return VmsAuthError
    if status == 403:
        # A 403 that names no credential problem is what "Forbidden" means: an RBAC refusal.
        return VmsAuthError if is_token_refusal(status, body) else VmsPermissionDenied
    if status == 404:
        return VmsNotFound
    if status == 409:
        return VmsConflict
    if status in TRANSIENT_STATUSES:
        return VmsTransientError
    if 500 <= status <= 599:
        return VmsServerError
    return VmsApiError


def error_for_status(
    method: str, path: str, status: int, body: Any, *, message: str | None = None
) -> VmsApiError:
    """The exception for an error response; ``body`` as returned by :func:`parse_body`."""
    cls = error_class(status, body)
    return cls(method, path, status, extract_detail(body), body, message=message)
