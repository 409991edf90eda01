"""The call log behind ``GET /_sim/calls``: every API request since the last reset or clear.

An entry: ``method``, ``path`` (as sent, with its ``/api/<ver>`` prefix), ``query`` (the raw query string),
``route`` (the path without prefix, e.g. ``/views/3/``), ``status``, ``time`` (epoch seconds when the request
arrived), ``body`` (the JSON body with secrets masked, or null) and ``dropped`` (the answer was lost to a
``drop_after_commit`` fault). Control calls (``/_sim/...``) are not logged.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from vastplan.sim.http import SimResponse
from vastplan.sim.request import SimRequest
from vastplan.sim.state import Record

# Body keys whose values never reach the log (token and login endpoints carry them).
SECRET_KEYS = frozenset({"password", "refresh", "access", "token"})
MASK = "***"


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: MASK if key in SECRET_KEYS else redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _body(request: SimRequest) -> Any:
    if not request.body:
        return None
    try:
        return redact(json.loads(request.body))
    except ValueError:
        return None


class CallLog:
    def __init__(self, entries: list[Record] | None = None) -> None:
        self._entries: list[Record] = entries or []

    def record(self, request: SimRequest, response: SimResponse, *, started: float, dropped: bool) -> None:
        self._entries.append(
            {
                "method": request.method,
                "path": request.path,
                "query": request.raw_query,
                "route": request.route,
                "status": response.status,
                "time": started,
                "body": _body(request),
                "dropped": dropped,
            }
        )

    def entries(self) -> list[Record]:
        return copy.deepcopy(self._entries)

    def clear(self) -> None:
        self._entries.clear()
