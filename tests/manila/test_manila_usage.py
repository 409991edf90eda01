"""update_share_usage_size on the simulator: every share's usage from one quota listing, equal to what the
simulator's quotas report (``POST /_sim/usage``), created and managed shares alike."""

from __future__ import annotations

from typing import Any

import pytest
from manila_testlib import calls, clear_calls, control, share, vms_get

from vastplan.sim import Simulator

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

GIB = 2**30


def test_usage_of_every_share_from_one_listing(make_driver: Any, sim: Simulator) -> None:
    drv = make_driver()
    shares = []
    for n, used in enumerate((0, GIB // 4, 3 * GIB + 12345)):
        instance_id = f"u{n}"
        locations = drv.create_share(None, share(instance_id, size=5))
        shares.append({**share(instance_id, size=5), "export_locations": locations})
        control(sim, "POST", "/_sim/usage", {"path": f"/manila/manila-{instance_id}", "used_bytes": used})
    # A managed share, at a directory that does not follow the layout's name.
    drv.create_share(None, share("old", size=2))
    control(sim, "POST", "/_sim/usage", {"path": "/manila/manila-old", "used_bytes": GIB})
    location = {"path": "192.0.2.1:/manila/manila-old", "is_admin_only": False}
    moved = drv.manage_existing({**share("m1"), "export_locations": [location]}, {})
    shares.append({**share("m1", size=moved["size"]), "export_locations": moved["export_locations"]})

    clear_calls(sim)
    updates = drv.update_share_usage_size(None, [*shares, share("not-on-the-cluster")])
    assert [c["route"] for c in calls(sim)] == ["/quotas/"]  # one listing, whatever the number of shares
    by_id = {u["id"]: u for u in updates}
    assert set(by_id) == {"u0", "u1", "u2", "m1"}
    for item in shares:
        path = item["export_locations"][0]["path"].split(":", 1)[1]
        (quota,) = vms_get(sim, "/quotas/", {"path": path})
        assert by_id[item["id"]]["used_size"] == quota["used_effective_capacity"] / GIB
        assert by_id[item["id"]]["gathered_at"]
    assert by_id["u2"]["used_size"] == (3 * GIB + 12345) / GIB
    assert by_id["m1"]["used_size"] == 1.0
