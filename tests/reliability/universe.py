"""Random specs over a fixed universe of objects, all inside one scope (``/soak`` paths, ``soak-`` names).

Every spec mentions every object of the universe, present or absent, so that each round's spec is the
whole truth about the scope: whatever the previous round left (applied, half applied, or failed), this
round's apply must bring the scope to exactly this spec. The choices are drawn so that every spec is valid
on its own (a view names a policy the same spec keeps; a snapshot sits on a directory the spec keeps).
"""

from __future__ import annotations

import random
from typing import Any

from vastplan import api
from vastplan.spec.model import Spec

SCOPE_PATHS = ("/soak",)
SCOPE_NAMES = ("soak-",)

POLICIES = 5
DIRECTORIES = 8
SPARE_FOLDERS = 3
HOSTS = ("10.0.0.0/8", "10.1.0.0/16", "192.168.7.0/24", "2001:db8:1::/64", "172.16.0.1", "@netgroup-a")
LIMITS = ("1GiB", "2GiB", "5GiB", "500GB")


def directory(i: int) -> str:
    return f"/soak/d{i}"


def random_document(rng: random.Random) -> dict[str, Any]:
    """One spec document over the whole universe."""
    policies = []
    kept = []
    for p in range(POLICIES):
        name = f"soak-p{p}"
        present = p == 0 or rng.random() < 0.75  # soak-p0 always: views need some policy
        entry: dict[str, Any] = {"name": name}
        if present:
            entry["nfs_read_write"] = rng.sample(HOSTS, rng.randint(0, 3))
            entry["nfs_read_only"] = rng.sample(HOSTS, rng.randint(0, 2))
            kept.append(name)
        else:
            entry["state"] = "absent"
        policies.append(entry)
    folders, quotas, views, snapshots = [], [], [], []
    for i in range(DIRECTORIES):
        path = directory(i)
        folders.append({"path": path})  # the directories stay: snapshots, quotas and views sit on them
        if rng.random() < 0.7:
            quotas.append({"name": f"soak-q{i}", "path": path, "hard_limit": rng.choice(LIMITS)})
        else:
            quotas.append({"name": f"soak-q{i}", "path": path, "state": "absent"})
        if rng.random() < 0.7:
            protocols = sorted(rng.sample(("NFS", "NFS4"), rng.randint(1, 2)))
            views.append({"path": path, "policy": rng.choice(kept), "protocols": protocols})
        else:
            views.append({"path": path, "state": "absent"})
        if rng.random() < 0.5:
            snapshots.append({"name": f"soak-s{i}", "path": path + "/"})
        else:
            snapshots.append({"name": f"soak-s{i}", "state": "absent"})
    for j in range(SPARE_FOLDERS):
        folders.append({"path": f"/soak/spare{j}", "state": "present" if rng.random() < 0.5 else "absent"})
    return {
        "version": 1,
        "scope": {"paths": list(SCOPE_PATHS), "names": list(SCOPE_NAMES)},
        "viewpolicies": policies,
        "folders": folders,
        "quotas": quotas,
        "views": views,
        "snapshots": snapshots,
    }


def random_spec(rng: random.Random, label: str) -> Spec:
    return api.load_documents([(label, random_document(rng))])


def seed_outside(client: Any) -> None:
    """Objects no soak spec may touch: outside the paths, with names outside the prefixes, and a second
    tenant with its own."""
    policy = client.post("/viewpolicies/", {"name": "keep-p", "nfs_read_write": ["10.9.0.0/16"]})
    client.post(
        "/views/", {"path": "/keep/v", "policy_id": policy["id"], "create_dir": True, "protocols": ["NFS"]}
    )
    client.post("/quotas/", {"name": "keep-q", "path": "/keep/v", "hard_limit": 2**30})
    client.post("/snapshots/", {"name": "keep-s", "path": "/keep/v"})
    client.post("/folders/create_folder/", {"path": "/keep/f"})
    # Close to the scope on purpose: a prefix match would wrongly take these in.
    client.post("/folders/create_folder/", {"path": "/soakage/near"})
    client.post("/quotas/", {"name": "soa-near", "path": "/soakage/near", "hard_limit": 2**30})
    tenant = client.post("/tenants/", {"name": "other"})
    other = client.post("/viewpolicies/", {"name": "other-p", "tenant_id": tenant["id"]})
    client.post(
        "/views/",
        {"path": "/soak/d0", "policy_id": other["id"], "tenant_id": tenant["id"], "create_dir": True},
    )
