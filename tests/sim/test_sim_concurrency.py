"""Concurrent mutations: every request is atomic; of duplicate creates exactly one wins."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from vastplan.sim import SimServer, Simulator, serve

from .support import Api, make_api


def _race(api_for_thread: list[Api]) -> list[tuple[str, int]]:
    """8 threads, each creating 4 distinct names and 4 names every thread also creates."""

    def work(index: int) -> list[tuple[str, int]]:
        api = api_for_thread[index]
        names = [f"own-{index}-{n}" for n in range(4)] + [f"shared-{n}" for n in range(4)]
        return [(name, api.post("/viewpolicies/", json={"name": name}).status_code) for name in names]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [result for chunk in pool.map(work, range(8)) for result in chunk]


def _check(results: list[tuple[str, int]], api: Api) -> None:
    winners = Counter(name for name, status in results if status == 201)
    losers = Counter(name for name, status in results if status == 400)
    for n in range(4):
        assert winners[f"shared-{n}"] == 1
        assert losers[f"shared-{n}"] == 7
    assert all(winners[f"own-{i}-{n}"] == 1 for i in range(8) for n in range(4))
    listed = api.get("/viewpolicies/").json()
    assert len(listed) == 36
    assert len({p["id"] for p in listed}) == 36


def test_threads_through_the_adapter(sim: Simulator) -> None:
    apis = [make_api(sim) for _ in range(8)]
    _check(_race(apis), apis[0])


def test_threads_through_the_server() -> None:
    with serve() as server:
        apis = [_http_api(server) for _ in range(8)]
        _check(_race(apis), apis[0])


def _http_api(server: SimServer) -> Api:
    import requests

    session = requests.Session()
    session.auth = ("admin", "123456")
    return Api(session, server.url + "/api/v5")
