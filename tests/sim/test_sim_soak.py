"""Opt-in soak (``VASTPLAN_SIM_SOAK=1``): many threads mixing writes over the server; invariants hold after."""

from __future__ import annotations

import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from vastplan.sim import serve

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("VASTPLAN_SIM_SOAK"), reason="set VASTPLAN_SIM_SOAK=1 to run the soak"
    ),
]
AUTH = ("admin", "123456")


def test_soak_keeps_every_invariant() -> None:
    with serve() as server:
        base = f"{server.url}/api/v5"

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            session = requests.Session()
            session.auth = AUTH
            for step in range(300):
                name = f"p{rng.randrange(20)}"
                action = rng.random()
                if action < 0.3:
                    session.post(f"{base}/viewpolicies/", json={"name": name}, timeout=10)
                elif action < 0.6:
                    found = session.get(f"{base}/viewpolicies/", params={"name": name}, timeout=10).json()
                    if found:
                        session.post(
                            f"{base}/views/",
                            json={
                                "path": f"/v/{seed}/{step}",
                                "policy_id": found[0]["id"],
                                "create_dir": True,
                            },
                            timeout=10,
                        )
                elif action < 0.8:
                    views = session.get(f"{base}/views/", params={"page_size": 5}, timeout=10).json()[
                        "results"
                    ]
                    if views:
                        session.delete(f"{base}/views/{rng.choice(views)['id']}/", timeout=10)
                else:
                    found = session.get(f"{base}/viewpolicies/", params={"name": name}, timeout=10).json()
                    if found:
                        session.delete(f"{base}/viewpolicies/{found[0]['id']}/", timeout=10)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(worker, range(8)))

        policies = requests.get(f"{base}/viewpolicies/", auth=AUTH, timeout=10).json()
        views = requests.get(f"{base}/views/", auth=AUTH, timeout=10).json()
        assert len({p["name"] for p in policies}) == len(policies)
        by_id = {p["id"]: p for p in policies}
        assert all(v["policy_id"] in by_id and v["policy"] == by_id[v["policy_id"]]["name"] for v in views)
        for policy in policies:
            assert policy["count_views"] == sum(1 for v in views if v["policy_id"] == policy["id"])
