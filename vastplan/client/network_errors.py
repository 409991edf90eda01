"""Turning ``requests`` network exceptions into :class:`VmsConnectionError` with a clear message.

The important decision is ``outcome_unknown``: False only when we know the request never left (the
connection was refused, DNS failed, the connect timed out, the TLS handshake failed); True otherwise
(a read timeout, a connection broken after sending, a truncated answer), because then a POST may
have been committed and must not be repeated blindly (DESIGN.md §6).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import requests
import urllib3.exceptions

from vastplan.client.errors import VmsConnectionError

__all__ = ["connection_error"]

# Exceptions raised before a single byte of the request was sent.
_NOT_SENT: tuple[type[BaseException], ...] = (
    urllib3.exceptions.NewConnectionError,  # refused, unreachable; NameResolutionError is a subclass
    urllib3.exceptions.ConnectTimeoutError,
    socket.gaierror,
    ConnectionRefusedError,
    requests.exceptions.ConnectTimeout,
    requests.exceptions.SSLError,
    ssl.SSLError,
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: args, urllib3's ``reason``, causes and contexts."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(a for a in current.args if isinstance(a, BaseException))
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)


def _reason(exc: BaseException) -> str:
    """The most specific human text in the chain: the OS's words when there are some."""
    chain = list(_chain(exc))
    for item in chain:
        if isinstance(item, ssl.SSLCertVerificationError):
            return f"certificate verify failed: {item.verify_message}"
    for item in reversed(chain):
        if isinstance(item, OSError) and item.strerror:
            return str(item.strerror)
    for item in reversed(chain):
        text = str(item).strip()
        if text and not isinstance(item, requests.RequestException):
            return text
    return type(exc).__name__


def _tls_hint(chain: list[BaseException], endpoint: str) -> str:
    """What to do about a failed handshake: a server that speaks no TLS on that port needs another
    endpoint, not another CA (OpenSSL says WRONG_VERSION_NUMBER when plain HTTP answers a TLS hello)."""
    if any("WRONG_VERSION_NUMBER" in str(e) for e in chain):
        plain = "http://" + endpoint.split("://", 1)[-1]
        return (
            f"The server at that port does not speak TLS: check the port, or use {plain} if it is a "
            "local simulator started without --cert"
        )
    return (
        "If the VMS has a certificate from a private CA, give that CA with ca_bundle (VAST_CA_BUNDLE); "
        "VAST_INSECURE=1 skips verification"
    )


def connection_error(
    exc: requests.RequestException,
    *,
    method: str,
    path: str,
    endpoint: str,
    timeout: tuple[float, float],
) -> VmsConnectionError:
    """The :class:`VmsConnectionError` for a failed send; messages name the endpoint, never a credential."""
    prefix = f"{method} {path} failed"
    chain = list(_chain(exc))
    if any(isinstance(e, (requests.exceptions.SSLError, ssl.SSLError)) for e in chain):
        # The handshake failed, so nothing was sent; and sending again will not change the certificate.
        error = VmsConnectionError(
            f"{prefix}: TLS failure talking to {endpoint}: {_reason(exc)}. {_tls_hint(chain, endpoint)}",
            outcome_unknown=False,
        )
        error.retryable = False
        return error
    if isinstance(exc, requests.exceptions.ConnectTimeout) or any(
        # urllib3 derives NewConnectionError (refused, DNS) from ConnectTimeoutError: not a timeout.
        isinstance(e, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(e, urllib3.exceptions.NewConnectionError)
        for e in chain
    ):
        return VmsConnectionError(
            f"{prefix}: cannot connect to {endpoint}: no connection within {timeout[0]:g} s",
            outcome_unknown=False,
        )
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return VmsConnectionError(
            f"{prefix}: {endpoint} sent no answer within {timeout[1]:g} s; the request may have been "
            "carried out",
            outcome_unknown=True,
        )
    if any(isinstance(e, _NOT_SENT) for e in chain):
        return VmsConnectionError(
            f"{prefix}: cannot connect to {endpoint}: {_reason(exc)}", outcome_unknown=False
        )
    return VmsConnectionError(
        f"{prefix}: the connection to {endpoint} broke: {_reason(exc)}; the request may have been carried out",
        outcome_unknown=True,
    )
