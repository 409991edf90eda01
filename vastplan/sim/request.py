"""One incoming request, parsed once: where it points (API route or control call), its query and body.

URL shapes (VMS_API.md §2.1): ``/api/<route>``, ``/api/v<N>/<route>``, ``/api/latest/<route>``, with or without a
trailing slash; ``route`` is always normalised to ``/<segments>/``. Control calls are ``/_sim/...`` (also
reachable below an API prefix, ``/api/v5/_sim/...``, for clients that can only talk under their base URL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from vastplan.sim.errors import BadRequest

# VMS_API.md §2.1: the version token is v<digits> or latest.
_VERSION = re.compile(r"^(v\d+|latest)$")
DEFAULT_ORIGIN = "http://testserver"


@dataclass(frozen=True)
class SimRequest:
    """A request as the simulator sees it. Headers and body stay out of ``repr`` (they may hold secrets)."""

    method: str
    origin: str
    path: str
    raw_query: str
    query: tuple[tuple[str, str], ...]
    prefix: str | None
    route: str
    is_control: bool
    headers: Mapping[str, str] = field(repr=False, default_factory=dict)
    body: bytes | None = field(repr=False, default=None)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def values(self, key: str) -> list[str]:
        """Every value of a query key, repeated keys in order."""
        return [value for name, value in self.query if name == key]

    def last(self, key: str) -> str | None:
        found = self.values(key)
        return found[-1] if found else None

    def json(self) -> Any:
        """The JSON body; an empty body reads as ``{}``. Malformed JSON is DRF's 400 "JSON parse error"."""
        if not self.body or not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"JSON parse error - {exc}") from exc


def parse_request(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> SimRequest:
    """Split a URL (absolute, or a bare path) into origin, API prefix and normalised route."""
    lowered = {key.lower(): value for key, value in headers.items()}
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        origin = f"{parts.scheme}://{parts.netloc}"
    else:
        host = lowered.get("host")
        origin = f"http://{host}" if host else DEFAULT_ORIGIN
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    prefix: str | None = None
    rest = segments
    if segments and segments[0] == "api":
        if len(segments) > 1 and _VERSION.match(segments[1]):
            prefix, rest = f"/api/{segments[1]}", segments[2:]
        else:
            prefix, rest = "/api", segments[1:]
    is_control = bool(rest) and rest[0] == "_sim"
    if prefix is None and not is_control:
        rest = segments
    route = "/" + "".join(segment + "/" for segment in rest)
    return SimRequest(
        method=method.upper(),
        origin=origin,
        path=parts.path or "/",
        raw_query=parts.query,
        query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
        prefix=prefix,
        route=route,
        is_control=is_control,
        headers=lowered,
        body=body,
    )
