"""A ``requests`` transport that answers from a :class:`~vastplan.sim.simulator.Simulator` in-process.

    session.mount("https://vms.sim.invalid/", sim.adapter())

Faults behave as on the wire: ``drop_after_commit`` raises ``requests.exceptions.ConnectionError`` after
the simulator committed the request; latency longer than the read timeout raises ``ReadTimeout`` (the
request still ran, as it would on a slow server).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING

from requests.adapters import BaseAdapter
from requests.exceptions import ConnectionError, ReadTimeout
from requests.models import PreparedRequest, Response
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from vastplan.sim.http import SimResponse

if TYPE_CHECKING:
    from vastplan.sim.simulator import Simulator

TimeoutArg = (
    float | tuple[float | None, float | None] | tuple[float | None, float | None, float | None] | None
)


class SimAdapter(BaseAdapter):
    def __init__(self, simulator: Simulator) -> None:
        super().__init__()
        self.simulator = simulator

    def __repr__(self) -> str:
        return f"SimAdapter({self.simulator!r})"

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: TimeoutArg = None,
        verify: bool | str = True,
        cert: object = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        answer = self.simulator.handle(
            request.method or "GET",
            request.url or "/",
            dict(request.headers),
            _body_bytes(request.body),
            read_timeout=_read_timeout(timeout),
        )
        if answer.dropped:
            raise ConnectionError("Connection aborted by the simulator (drop_after_commit)", request=request)
        if answer.timed_out:
            raise ReadTimeout("Read timed out (simulated latency)", request=request)
        return self._build(request, answer)

    def close(self) -> None:
        """Nothing to release: no sockets."""

    def _build(self, request: PreparedRequest, answer: SimResponse) -> Response:
        response = Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.body
        response.raw = io.BytesIO(answer.body)
        response.url = request.url or ""
        response.request = request
        response.reason = (
            HTTPStatus(answer.status).phrase if answer.status in HTTPStatus._value2member_map_ else ""
        )
        response.encoding = get_encoding_from_headers(response.headers)
        response.elapsed = timedelta(0)
        response.connection = self  # type: ignore[assignment]  # requests types it as HTTPAdapter
        return response


def _body_bytes(body: object) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data if isinstance(data, bytes) else str(data).encode("utf-8")
    return b"".join(chunk if isinstance(chunk, bytes) else str(chunk).encode() for chunk in body)  # type: ignore[attr-defined]


def _read_timeout(timeout: TimeoutArg) -> float | None:
    if isinstance(timeout, tuple):
        return timeout[1] if len(timeout) > 1 else None
    return timeout
