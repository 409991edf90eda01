"""Helpers shared by the simulator tests: a ``requests`` session on the in-process simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from vastplan.sim import Simulator

HOST = "https://vms.sim.invalid"
# The reference material beside the repository (never inside it); tests that need it skip when absent.
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


class Api:
    """A ``requests`` session on one URL prefix (``/api/v5`` by default) with shortcuts for the tests."""

    def __init__(self, session: requests.Session, base: str) -> None:
        self.session = session
        self.base = base

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.url(path), **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def create(self, collection: str, **fields: Any) -> dict[str, Any]:
        """POST and insist on 201."""
        response = self.post(f"/{collection}/", json=fields)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def control(self, method: str, name: str, body: Any = None) -> requests.Response:
        """A control call (``/_sim/<name>``): no auth needed."""
        return self.session.request(method, f"{HOST}/_sim/{name}", json=body)


def make_api(simulator: Simulator, *, prefix: str = "/api/v5", auth: Any = ("admin", "123456")) -> Api:
    session = requests.Session()
    session.mount(f"{HOST}/", simulator.adapter())
    session.auth = auth
    return Api(session, HOST + prefix)
