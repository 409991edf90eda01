"""How to reach a VMS: endpoint, credentials, TLS, timeouts, paging and retries.

A :class:`ConnectionConfig` is a frozen value, validated when built, that never shows a secret in its
``repr``. :meth:`ConnectionConfig.from_env` reads the environment variables of the command line
(DESIGN.md §10).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal
from urllib.parse import urlsplit

from vastplan.client.errors import VmsConfigError

__all__ = ["AuthMode", "ConnectionConfig", "Endpoint", "RetryPolicy", "parse_endpoint"]

#: ``auto`` picks ``api_token`` when a token is given, else ``bearer`` (login at ``/api/token/``).
AuthMode = Literal["auto", "api_token", "bearer", "basic"]
_AUTH_MODES = ("auto", "api_token", "bearer", "basic")

# The optional segment after /api/: nothing, v<digits> or latest (VMS_API.md §2.1).
_API_VERSION = re.compile(r"^(v\d+|latest)?$")
_SECRET_FIELDS = frozenset({"password", "api_token"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


@dataclass(frozen=True)
class RetryPolicy:
    """How idempotent reads (GET) are retried on connection errors and 429/502/503/504.

    Delays grow exponentially from ``initial_delay`` up to ``max_delay``, each with random jitter (between
    half and all of the nominal delay), and stop after ``max_attempts`` sends in all or when the next wait
    would pass ``max_elapsed`` seconds since the first send. Mutating calls are never retried here.
    """

    max_attempts: int = 4
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_elapsed: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise VmsConfigError(f"retry max_attempts must be at least 1, not {self.max_attempts}")
        for name in ("initial_delay", "max_delay", "max_elapsed"):
            if getattr(self, name) < 0:
                raise VmsConfigError(f"retry {name} must not be negative")

    def nominal_delay(self, retry: int) -> float:
        """The delay before retry number ``retry`` (1 for the first retry), before jitter."""
        return float(min(self.max_delay, self.initial_delay * (2 ** (retry - 1))))


@dataclass(frozen=True)
class Endpoint:
    """A parsed endpoint: ``scheme`` is https, http or sim; ``sim_file`` is set for sim only."""

    scheme: str
    host: str
    port: int | None
    sim_file: str = ""

    @property
    def origin(self) -> str:
        """``https://host[:port]`` as URLs are built (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + (f":{self.port}" if self.port is not None else "")

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_endpoint(endpoint: str) -> Endpoint:
    """Validate and split an endpoint; raise :class:`VmsConfigError` with a message saying what is wrong.

    Accepted: ``https://host[:port]``, ``http://host[:port]`` (a local simulator) and ``sim://FILE``.
    A trailing ``/`` is tolerated; a path, query, fragment or ``user:password@`` is refused — credentials
    go in their own settings, and the ``/api/<version>/`` part is built by the client.
    """
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise VmsConfigError(
            "no endpoint given: set VAST_ENDPOINT or pass an endpoint such as https://vms.example"
        )
    text = endpoint.strip()
    if text.startswith("sim://"):
        sim_file = text[len("sim://") :]
        if not sim_file:
            raise VmsConfigError("sim:// endpoint needs a state file, e.g. sim://cluster.json")
        return Endpoint("sim", "", None, sim_file)
    if "://" not in text:
        raise VmsConfigError(
            f"endpoint {_shown(text)!r} has no scheme: write https://{_shown(text)} "
            "(or http://127.0.0.1:PORT for a local simulator, or sim://FILE)"
        )
    parts = urlsplit(text)
    shown = _shown(text)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise VmsConfigError(f"endpoint {shown!r}: scheme must be https, http or sim, not {scheme!r}")
    if "@" in parts.netloc:
        raise VmsConfigError(
            f"endpoint {shown!r} contains credentials: give them as username/password or api_token "
            "(VAST_USER, VAST_PASSWORD, VAST_API_TOKEN) instead"
        )
    if not parts.hostname:
        raise VmsConfigError(f"endpoint {shown!r} has no host name")
    try:
        port = parts.port
    except ValueError:
        raise VmsConfigError(f"endpoint {shown!r}: the port must be a number from 1 to 65535") from None
    if port is not None and not 1 <= port <= 65535:
        raise VmsConfigError(f"endpoint {shown!r}: the port must be a number from 1 to 65535")
    if parts.path not in ("", "/"):
        raise VmsConfigError(
            f"endpoint {shown!r} has a path ({parts.path}): give only https://host[:port]; "
            "the client adds /api/ and the api_version itself"
        )
    if parts.query or parts.fragment:
        raise VmsConfigError(f"endpoint {shown!r} must not have a query or fragment")
    return Endpoint(scheme, parts.hostname.lower(), port)


def _shown(text: str) -> str:
    """The endpoint as it may be shown: any ``user:password@`` replaced, so it never reaches a message."""
    return re.sub(r"(?<=://)[^/@]*@", "***@", text)


@dataclass(frozen=True, repr=False)
class ConnectionConfig:
    """Everything needed to talk to one VMS. Frozen, validated on creation; ``repr`` hides secrets."""

    endpoint: str
    username: str | None = None
    password: str | None = None
    api_token: str | None = None
    #: Sent as ``X-Tenant-Name`` on every request, the token request included (VMS_API.md §2.3).
    tenant: str | None = None
    #: The optional segment after ``/api/``: ``""``, ``v1``, ``v5``, ``latest`` (VMS_API.md §2.1).
    api_version: str = ""
    auth_mode: AuthMode = "auto"
    #: A PEM file of CA certificates to verify the VMS's certificate with.
    ca_bundle: str | None = None
    verify_tls: bool = True
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    #: Always sent on lists: VMS 5.5 silently truncates unpaginated lists (VMS_API.md §3.2).
    page_size: int = 1000
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        parsed = parse_endpoint(self.endpoint)
        version = self.api_version.strip("/") if isinstance(self.api_version, str) else self.api_version
        if not isinstance(version, str) or not _API_VERSION.match(version):
            raise VmsConfigError(
                f"api_version {self.api_version!r} is not valid: use '', 'latest' or v<digits> such as 'v5'"
            )
        object.__setattr__(self, "api_version", version)
        if self.auth_mode not in _AUTH_MODES:
            raise VmsConfigError(f"auth_mode must be one of {', '.join(_AUTH_MODES)}, not {self.auth_mode!r}")
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise VmsConfigError("connect_timeout and read_timeout must be positive numbers of seconds")
        if not isinstance(self.page_size, int) or self.page_size < 1:
            raise VmsConfigError(f"page_size must be a positive whole number, not {self.page_size!r}")
        if self.ca_bundle is not None and not self.ca_bundle:
            object.__setattr__(self, "ca_bundle", None)
        if parsed.scheme != "sim":
            # sim:// gets the simulator's demo login when none is given (see connect()).
            self._check_credentials()

    def _check_credentials(self) -> None:
        has_login = bool(self.username) and self.password is not None
        # With an API token in auto mode the token is used; a user name alone beside it (VAST_USER left
        # in the environment from a login) is then irrelevant, not an error.
        token_wins = bool(self.api_token) and self.auth_mode in ("auto", "api_token")
        if bool(self.username) != (self.password is not None) and not token_wins:
            raise VmsConfigError(
                "give both a username and a password (VAST_USER and VAST_PASSWORD), or neither"
            )
        if self.auth_mode == "api_token" and not self.api_token:
            raise VmsConfigError("auth_mode 'api_token' needs an api_token (VAST_API_TOKEN)")
        if self.auth_mode in ("bearer", "basic") and not has_login:
            raise VmsConfigError(f"auth_mode {self.auth_mode!r} needs a username and a password")
        if not has_login and not self.api_token:
            raise VmsConfigError(
                f"no credentials for {self.endpoint}: set VAST_API_TOKEN, or VAST_USER and VAST_PASSWORD"
            )

    @property
    def parsed_endpoint(self) -> Endpoint:
        return parse_endpoint(self.endpoint)

    @property
    def effective_auth_mode(self) -> AuthMode:
        """The mode ``auto`` stands for: an API token when one is given, else a Bearer login."""
        if self.auth_mode != "auto":
            return self.auth_mode
        return "api_token" if self.api_token else "bearer"

    @property
    def verify(self) -> bool | str:
        """What ``requests`` gets as ``verify``: False, the CA bundle path, or True."""
        if not self.verify_tls:
            return False
        return self.ca_bundle or True

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SECRET_FIELDS and value is not None:
                shown.append(f"{f.name}='***'")
            else:
                shown.append(f"{f.name}={value!r}")
        return f"ConnectionConfig({', '.join(shown)})"

    __str__ = __repr__

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ConnectionConfig:
        """A config from ``VAST_*`` variables; keyword overrides win, and overrides of None are ignored.

        ``VAST_ENDPOINT``, ``VAST_USER``, ``VAST_PASSWORD``, ``VAST_API_TOKEN``, ``VAST_TENANT``,
        ``VAST_API_VERSION``, ``VAST_CA_BUNDLE``, ``VAST_INSECURE=1`` (skip TLS verification).
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for key, name in (
            ("endpoint", "VAST_ENDPOINT"),
            ("username", "VAST_USER"),
            ("password", "VAST_PASSWORD"),
            ("api_token", "VAST_API_TOKEN"),
            ("tenant", "VAST_TENANT"),
            ("api_version", "VAST_API_VERSION"),
            ("ca_bundle", "VAST_CA_BUNDLE"),
        ):
            if env.get(name):
                values[key] = env[name]
        insecure = env.get("VAST_INSECURE", "").strip().lower()
        if insecure in _TRUE:
            values["verify_tls"] = False
        elif insecure not in _FALSE:
            raise VmsConfigError(f"VAST_INSECURE must be 1 or 0, not {insecure!r}")
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise VmsConfigError(f"unknown connection option {key!r}")
            if value is not None:
                values[key] = value
        if "endpoint" not in values:
            raise VmsConfigError(
                "no endpoint given: set VAST_ENDPOINT or pass an endpoint such as https://vms.example"
            )
        return cls(**values)
