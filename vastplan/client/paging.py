"""Reading list answers: plain arrays, paginated envelopes, single objects; following ``next`` safely.

VMS_API.md §3.2: without ``page_size`` a list is a plain JSON array; with it, an envelope
``{count, next, previous, results}`` whose ``next`` is an absolute URL (with the ``/api/<ver>/`` prefix and
the query) or null; some endpoints answer a single object instead of a list.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from vastplan.client.errors import VmsProtocolError

__all__ = ["next_page_url", "page_of"]


def page_of(data: Any, path: str) -> tuple[list[dict[str, Any]], str | None]:
    """The records of one list answer, and the ``next`` link (None on the last page)."""
    if data is None:
        return [], None
    if isinstance(data, list):
        return _records(data, path), None
    if isinstance(data, dict):
        if isinstance(data.get("results"), list):
            link = data.get("next")
            if link is not None and not isinstance(link, str):
                raise VmsProtocolError(f"GET {path}: the next-page link is not a URL: {link!r}")
            return _records(data["results"], path), link or None
        return [data], None
    raise VmsProtocolError(f"GET {path}: expected a list of objects, got {type(data).__name__}")


def _records(items: list[Any], path: str) -> list[dict[str, Any]]:
    for item in items:
        if not isinstance(item, dict):
            raise VmsProtocolError(f"GET {path}: expected a list of objects, found {type(item).__name__}")
    return items


def next_page_url(link: str, *, origin: str, host: str, path: str) -> str:
    """The URL to fetch for a ``next`` link, rebuilt on our own origin.

    A link to another host is refused: following it would send our credentials there. A link on our host
    but with another scheme or port (a VMS behind a TLS-terminating proxy writes ``http://``) is fetched
    on our own scheme and port, never downgraded. A relative link is resolved against our origin.
    """
    parts = urlsplit(link)
    if parts.netloc and (parts.hostname or "").lower() != host.lower():
        raise VmsProtocolError(
            f"GET {path}: the VMS's next-page link points at another host ({parts.hostname}); "
            "not following it, so that our credentials are not sent there"
        )
    if not parts.path.startswith("/api/"):
        raise VmsProtocolError(f"GET {path}: the next-page link is outside /api/: {parts.path}")
    return origin + parts.path + (f"?{parts.query}" if parts.query else "")
