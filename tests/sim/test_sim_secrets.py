"""No secret (password, JWT, API token) in a repr, a log line, an error body, the call log or a state dump."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from vastplan.sim import Simulator, serve
from vastplan.sim.request import parse_request

from .support import HOST, make_api

PASSWORD = "123456"


def test_secrets_stay_out_of_logs_bodies_call_log_and_state(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    anon = make_api(sim, auth=None)
    tokens = anon.post(f"{HOST}/api/token/", json={"username": "admin", "password": PASSWORD}).json()
    api_token = anon.control("POST", "apitokens", {}).json()["token"]
    secrets = [PASSWORD, tokens["access"], tokens["refresh"], api_token, api_token.split(".", 1)[1]]
    bodies = [
        anon.get("/views/", headers={"Authorization": f"Bearer {tokens['access']}x"}).text,
        anon.get("/views/", headers={"Authorization": f"Api-Token {api_token}x"}).text,
        anon.get("/views/", auth=("admin", PASSWORD + "x")).text,
        anon.post(f"{HOST}/api/token/refresh/", json={"refresh": tokens["refresh"] + "x"}).text,
        anon.post(f"{HOST}/api/token/", json={"username": "admin", "password": PASSWORD + "x"}).text,
    ]
    anon.control("POST", "faults", {"expire_tokens": True})
    bodies.append(anon.get("/views/", headers={"Authorization": f"Bearer {tokens['access']}"}).text)
    exposed = "\n".join(
        bodies
        + [r.getMessage() for r in caplog.records]
        + [json.dumps(sim.calls), json.dumps(sim.state_dict()), repr(sim), repr(sim.backend)]
    )
    for secret in secrets:
        assert secret not in exposed


def test_reprs_hide_headers_and_bodies() -> None:
    basic = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    request = parse_request(
        "POST",
        "https://h/api/token/",
        {"Authorization": f"Basic {basic}"},
        json.dumps({"password": PASSWORD}).encode(),
    )
    assert basic not in repr(request) and PASSWORD not in repr(request)
    sim = Simulator()
    assert PASSWORD not in repr(sim.adapter())
    with serve(simulator=sim) as server:
        assert PASSWORD not in repr(server)
