"""``VmsClient``: one VMS, over a ``requests.Session``.

Every call: URL ``<origin>/api/[<version>/]<path>/`` with the trailing slash every known client forces
(VMS_API.md §2.1); connect and read timeouts; TLS verification as configured; authentication with one
renewal on a refused token (auth.py); errors mapped to one tree (errors.py). GETs are retried on
connection errors and 429/502/503/504 with exponential backoff and jitter; mutating calls never are, since
only the applier can check whether a POST whose answer was lost was committed (DESIGN.md §6).
"""

from __future__ import annotations

import http.cookiejar
import logging
import os
import random
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeAlias

import requests
import requests.adapters
import urllib3
from requests.auth import AuthBase

import vastplan
from vastplan.client.auth import HeaderAuth, make_credentials
from vastplan.client.config import ConnectionConfig
from vastplan.client.errors import (
    VmsApiError,
    VmsConfigError,
    VmsConnectionError,
    VmsError,
    VmsProtocolError,
    VmsTransientError,
    VmsUnsupportedError,
    error_for_status,
    is_token_refusal,
    parse_body,
)
from vastplan.client.network_errors import connection_error
from vastplan.client.paging import next_page_url, page_of
from vastplan.client.versions import FEATURES, Feature, format_version, parse_version

if TYPE_CHECKING:  # typing.Self is 3.11+; annotations are not evaluated at run time
    from typing_extensions import Self

__all__ = ["SIM_ORIGIN", "ParamValue", "Params", "RequestHook", "VmsClient"]

logger = logging.getLogger("vastplan.client")

#: The made-up origin under which an in-process simulator adapter is mounted (``.invalid`` never resolves).
SIM_ORIGIN = "https://sim.vastplan.invalid"

#: ``on_request(method, path, status, elapsed_seconds)``; status is None when no answer came.
RequestHook: TypeAlias = Callable[[str, str, int | None, float], None]
ParamValue: TypeAlias = str | int | float | bool | None | Sequence[str | int | float | bool]
Params: TypeAlias = Mapping[str, ParamValue]
# Query parameters as handed to requests (a method named list shadows the builtin inside the class).
_Query: TypeAlias = dict[str, str | list[str]]

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_warned_lock = threading.Lock()
_warned: set[str] = set()


def _warn_once(key: str, message: str, *args: object) -> None:
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    logger.warning(message, *args)


def _silence_insecure_request_warnings(host: str) -> None:
    """Keep urllib3 from warning on every request to a host whose verification was turned off on purpose.

    The one warning above says it; urllib3's ``InsecureRequestWarning`` would repeat it (with a line of
    its own source) for every single call of a plan or an apply. Only warnings about this host are
    silenced, so a connection elsewhere that is unverified by accident still warns.
    """
    warnings.filterwarnings(
        "ignore",
        message=f"Unverified HTTPS request is being made to host '{re.escape(host)}'",
        category=urllib3.exceptions.InsecureRequestWarning,
    )


class VmsClient:
    """A client for one VMS. Thread-safe: one client may serve the applier's parallel steps.

    ``adapter`` replaces the network: a ``requests`` transport (the simulator's, or a test double) mounted
    on the session for the client's origin. ``on_request`` is called after every HTTP exchange, for
    metrics; its failures are logged, never raised.
    """

    def __init__(
        self,
        config: ConnectionConfig,
        *,
        adapter: requests.adapters.BaseAdapter | None = None,
        on_request: RequestHook | None = None,
    ) -> None:
        endpoint = config.parsed_endpoint
        if endpoint.scheme == "sim":
            if adapter is None:
                raise VmsConfigError(
                    f"{config.endpoint} is a simulator endpoint: open it with vastplan.client.connect()"
                )
            self._origin = SIM_ORIGIN
            self._host = SIM_ORIGIN.split("://", 1)[1]
        else:
            self._origin = endpoint.origin
            self._host = endpoint.host
        if config.ca_bundle and endpoint.scheme == "https" and not os.path.exists(config.ca_bundle):
            raise VmsConfigError(f"CA bundle {config.ca_bundle} does not exist (ca_bundle, VAST_CA_BUNDLE)")
        self.config = config
        #: How messages name the VMS: the origin, or ``sim://FILE``.
        self.endpoint = config.endpoint if endpoint.scheme == "sim" else endpoint.origin
        self.base_url = f"{self._origin}/api/" + (f"{config.api_version}/" if config.api_version else "")
        self._on_request = on_request
        self._session = self._new_session(adapter)
        self._credentials = make_credentials(config, self.endpoint, self._post_token)
        self._version_lock = threading.Lock()
        self._version: tuple[int, ...] | None = None
        self._version_text = ""
        if endpoint.scheme == "https" and not config.verify_tls:
            _warn_once(
                f"insecure:{self.endpoint}",
                "TLS verification is off for %s: the VMS's identity is not checked",
                self.endpoint,
            )
            _silence_insecure_request_warnings(endpoint.host)
        if endpoint.scheme == "http" and not endpoint.is_loopback and adapter is None:
            _warn_once(
                f"cleartext:{self.endpoint}",
                "%s is plain HTTP: credentials and data cross the network unencrypted",
                self.endpoint,
            )

    def _new_session(self, adapter: requests.adapters.BaseAdapter | None) -> requests.Session:
        session = requests.Session()
        session.headers.update(
            {"Accept": "application/json", "User-Agent": f"vastplan/{vastplan.__version__}"}
        )
        if self.config.tenant:
            # On every request, the token request included (VMS_API.md §2.3).
            session.headers["X-Tenant-Name"] = self.config.tenant
        # No cookies, as CSI-NEW: auth is per request, and a session cookie could bring Django's CSRF
        # check into play on mutating calls (VMS_API.md §2.3).
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        if adapter is not None:
            session.mount(self._origin + "/", adapter)
        else:
            # Enough pooled connections for the applier's parallelism (default 8; DESIGN.md §6);
            # no retries inside urllib3: this module decides what is retried.
            pooled = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=32, max_retries=0)
            session.mount("https://", pooled)
            session.mount("http://", pooled)
        return session

    # ----------------------------------------------------------------------------------------- public API

    def request(self, method: str, path: str, *, params: Params | None = None, json: Any = None) -> Any:
        """Send one call; the parsed JSON answer, the text of a non-JSON answer, or None when empty."""
        method = method.upper()
        relative, query = _split_path(path)
        url = self.base_url + relative + (f"?{query}" if query else "")
        return self._call(method, url, "/" + relative, _encode_params(params), json)

    def get(self, path: str, params: Params | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None, *, params: Params | None = None) -> Any:
        return self.request("POST", path, params=params, json=json)

    def patch(self, path: str, json: Any = None, *, params: Params | None = None) -> Any:
        return self.request("PATCH", path, params=params, json=json)

    def put(self, path: str, json: Any = None, *, params: Params | None = None) -> Any:
        return self.request("PUT", path, params=params, json=json)

    def delete(self, path: str, *, json: Any = None, params: Params | None = None) -> Any:
        # DELETE may carry a JSON body: delete_folder and others expect one (VMS_API.md §2.1).
        return self.request("DELETE", path, params=params, json=json)

    def iter_list(self, path: str, params: Params | None = None) -> Iterator[list[dict[str, Any]]]:
        """The records of a list endpoint, one page (a list) at a time; always sends ``page_size``.

        Follows ``next`` links on our own host only; accepts plain arrays (older clusters ignore
        ``page_size``) and single objects (VMS_API.md §3.2).
        """
        query: dict[str, ParamValue] = dict(params or {})
        # Always paginate: VMS 5.5 silently truncates large unpaginated lists (VMS_API.md §3.2).
        query.setdefault("page_size", self.config.page_size)
        relative, extra = _split_path(path)
        shown = "/" + relative
        url: str = self.base_url + relative + (f"?{extra}" if extra else "")
        encoded: _Query | None = _encode_params(query)
        seen = {url}
        while True:
            data = self._call("GET", url, shown, encoded, None)
            records, link = page_of(data, shown)
            yield records
            if not link:
                return
            url = next_page_url(link, origin=self._origin, host=self._host, path=shown)
            if url in seen:
                raise VmsProtocolError(f"GET {shown}: the VMS's next-page links go round in a circle")
            seen.add(url)
            encoded = None  # the next link carries the whole query

    def list(self, path: str, params: Params | None = None) -> list[dict[str, Any]]:
        """Every record of a list endpoint, all pages read."""
        records: list[dict[str, Any]] = []
        for page in self.iter_list(path, params):
            records.extend(page)
        return records

    def cluster_version(self) -> tuple[int, ...]:
        """The cluster's VAST release, e.g. ``(5, 3, 0)``; read once per client.

        From ``GET /versions/?status=success``, ``[0].sys_version`` (VMS_API.md §2.2).
        """
        with self._version_lock:
            if self._version is None:
                records, _ = page_of(self.get("versions/", params={"status": "success"}), "/versions/")
                if not records:
                    raise VmsProtocolError(f"{self.endpoint} reports no successfully installed version")
                text = records[0].get("sys_version")
                if not isinstance(text, str) or not text:
                    raise VmsProtocolError(f"{self.endpoint} reports a version without sys_version")
                self._version = parse_version(text)
                self._version_text = text
            return self._version

    def version_at_least(self, *parts: int) -> bool:
        """Whether the cluster runs ``parts`` or later (``version_at_least(4, 7)``)."""
        return _at_least(self.cluster_version(), parts)

    def supports(self, feature: str) -> bool:
        """Whether the cluster's version allows a feature of :data:`~vastplan.client.versions.FEATURES`."""
        return self.version_at_least(*_feature(feature).minimum)

    def require_version(self, feature: str, *parts: int) -> None:
        """Raise :class:`VmsUnsupportedError` unless the cluster runs ``parts`` or later.

        ``feature`` is a key of :data:`~vastplan.client.versions.FEATURES` (then ``parts`` may be left out)
        or a description for the message ("the trash API (folder deletion)").
        """
        if feature in FEATURES:
            description = FEATURES[feature].description
            required = parts or FEATURES[feature].minimum
        elif parts:
            description, required = feature, parts
        else:
            raise ValueError(
                f"unknown feature {feature!r}: give its minimum version, or one of {sorted(FEATURES)}"
            )
        if not _at_least(self.cluster_version(), required):
            raise VmsUnsupportedError(description, required, self._version_text or format_version(required))

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"VmsClient({self.base_url!r})"

    # ------------------------------------------------------------------------------------------ internals

    def _call(self, method: str, url: str, shown: str, params: _Query | None, json: Any) -> Any:
        """One logical call: retried with backoff if it is a read and the failure is transient."""
        policy = self.config.retry
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._call_authenticated(method, url, shown, params, json)
            except (VmsConnectionError, VmsTransientError) as exc:
                if method not in _IDEMPOTENT or not exc.retryable or attempt >= policy.max_attempts:
                    raise
                nominal = policy.nominal_delay(attempt)
                delay = nominal / 2 + random.uniform(0, nominal / 2)
                retry_after = getattr(exc, "retry_after", None)
                if retry_after is not None:
                    delay = max(delay, min(retry_after, policy.max_delay))
                if time.monotonic() - started + delay > policy.max_elapsed:
                    raise
                logger.info(
                    "%s %s: %s; retry %d of %d in %.2f s",
                    method,
                    shown,
                    _short(exc),
                    attempt,
                    policy.max_attempts - 1,
                    delay,
                )
                time.sleep(delay)

    def _call_authenticated(self, method: str, url: str, shown: str, params: _Query | None, json: Any) -> Any:
        """Send with the current credentials; on a refused token renew them once and send again.

        Sending a mutating call again here is safe: a VMS that refused the token did not carry it out.
        """
        renewed = False
        while True:
            auth, generation = self._credentials.current()
            response = self._send(method, url, shown, params=params, json=json, auth=auth)
            status = response.status_code
            if 200 <= status < 300:
                return _success_body(response)
            body = parse_body(response.text)
            if is_token_refusal(status, body):
                if self._credentials.renewable and not renewed:
                    logger.debug("%s %s: token refused (%d); renewing it", method, shown, status)
                    self._credentials.renew(generation)
                    renewed = True
                    continue
                refused = error_for_status(method, shown, status, body)
                raise error_for_status(
                    method, shown, status, body, message=f"{refused}; {self._credentials.refusal_hint()}"
                )
            if 300 <= status < 400:
                location = response.headers.get("Location", "")
                raise VmsApiError(
                    method,
                    shown,
                    status,
                    f"redirected to {_strip_userinfo(location)}; is the endpoint right?",
                    body,
                )
            error = error_for_status(method, shown, status, body)
            if isinstance(error, VmsTransientError):
                error.retry_after = _retry_after(response)
            raise error

    def _send(
        self,
        method: str,
        url: str,
        shown: str,
        *,
        params: _Query | None,
        json: Any,
        auth: AuthBase,
    ) -> requests.Response:
        """One HTTP exchange with timeouts and TLS settings; logs method, path, status and time only."""
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                json=json,
                auth=auth,
                timeout=self.config.timeout,
                verify=self.config.verify,
                allow_redirects=False,  # a redirect means a wrong endpoint; following it could leak auth
            )
        except requests.RequestException as exc:
            elapsed = time.monotonic() - started
            logger.debug("%s %s -> %s after %.1f ms", method, shown, type(exc).__name__, elapsed * 1000)
            self._notify(method, shown, None, elapsed)
            raise connection_error(
                exc, method=method, path=shown, endpoint=self.endpoint, timeout=self.config.timeout
            ) from exc
        elapsed = time.monotonic() - started
        logger.debug("%s %s -> %d in %.1f ms", method, shown, response.status_code, elapsed * 1000)
        self._notify(method, shown, response.status_code, elapsed)
        return response

    def _post_token(self, relative: str, body: dict[str, str]) -> dict[str, Any]:
        """POST to ``/api/token/...`` — without the version segment (VMS_API.md §2.3: GVC posts to
        ``api/token/``) and without any Authorization header. The body holds secrets: never logged."""
        shown = "/" + relative
        response = self._send(
            "POST", f"{self._origin}/api/{relative}", shown, params=None, json=body, auth=HeaderAuth(None)
        )
        if not 200 <= response.status_code < 300:
            raise error_for_status("POST", shown, response.status_code, parse_body(response.text))
        answer = parse_body(response.text)
        if not isinstance(answer, dict):
            raise VmsProtocolError(f"POST {shown} on {self.endpoint}: the answer is not a JSON object")
        return answer

    def _notify(self, method: str, path: str, status: int | None, elapsed: float) -> None:
        if self._on_request is None:
            return
        try:
            self._on_request(method, path, status, elapsed)
        except Exception:  # a metrics hook must not break the call it measures
            logger.exception("on_request hook failed for %s %s", method, path)


def _feature(key: str) -> Feature:
    try:
        return FEATURES[key]
    except KeyError:
        raise ValueError(f"unknown feature {key!r}; known: {', '.join(sorted(FEATURES))}") from None


def _at_least(actual: tuple[int, ...], required: Sequence[int]) -> bool:
    width = max(len(actual), len(required))
    return tuple(actual) + (0,) * (width - len(actual)) >= tuple(required) + (0,) * (width - len(required))


def _split_path(path: str) -> tuple[str, str]:
    """``"/views/12"`` → ``("views/12/", "")``: relative to the API root, with the trailing slash."""
    if "://" in path:
        raise VmsConfigError(f"give a path below /api/ such as /views/, not a URL: {_strip_userinfo(path)}")
    relative, _, query = path.strip().partition("?")
    relative = relative.strip("/")
    return (relative + "/" if relative else ""), query


def _encode_params(params: Params | None) -> _Query | None:
    """Query values as the VMS reads them: booleans as true/false, lists as repeated keys, None dropped."""
    if not params:
        return None
    encoded: _Query = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            encoded[key] = [_scalar(v) for v in value]
        else:
            encoded[key] = _scalar(value)  # type: ignore[arg-type]
    return encoded


def _scalar(value: str | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _success_body(response: requests.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    return parse_body(response.text)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date, or nothing: the backoff schedule decides


def _strip_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, tail = rest.partition("/")
    return f"{scheme}://{netloc.rpartition('@')[2]}{slash}{tail}"


def _short(exc: VmsError) -> str:
    if isinstance(exc, VmsApiError):
        return str(exc.status)
    return "connection failed"
