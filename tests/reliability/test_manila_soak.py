"""Fault soak of the Manila driver: random share operations under the same random faults as the engine's
soak, through ``manila_vast.driver.VASTShareDriver`` loaded as manila-share loads it.

Every operation (create, delete, extend, shrink, update_access, create/delete snapshot, ensure_shares) runs
with faults active. An operation that fails must fail as a manila exception (manila marks the share or
rule ``error``; anything else would be a crash of manila-share's worker), and the same operation repeated
with faults cleared — what manila's retry or an operator does — must succeed. After each operation the
cluster holds exactly what a model of manila's view says: the share's quota at its size, its policy granting
exactly its rules, its snapshots; a deleted share leaves nothing. Objects that are not shares of this
backend are never touched. At the end, ``ensure_shares`` finds every share available and in sync.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from vastplan.sim import Simulator

from .soaktools import (
    FaultMenu,
    client_for,
    control,
    duplicates,
    fault_kinds,
    outside,
    random_faults,
    scaled,
    seed_for,
)
from .universe import seed_outside

pytestmark = pytest.mark.manila
pytest.importorskip("manila.share.driver")

OPERATIONS = scaled(ci=120, soak=3000)
GIB = 2**30
ROOT = "/manila"
HOST_POOL = (
    "10.0.0.0/8",
    "10.1.2.0/24",
    "10.3.4.5",
    "192.168.0.0/16",
    "0.0.0.0/0",
    "2001:db8:7::/64",
    "fd00::1",
)

MANILA_ROUTES = FaultMenu(
    mutations=(
        ("POST", "/viewpolicies/"),
        ("POST", "/views/"),
        ("POST", "/quotas/"),
        ("POST", "/snapshots/"),
        ("PATCH", "/viewpolicies/*/"),
        ("PATCH", "/quotas/*/"),
        ("DELETE", "/viewpolicies/*/"),
        ("DELETE", "/views/*/"),
        ("DELETE", "/quotas/*/"),
        ("DELETE", "/snapshots/*/"),
        ("DELETE", "/folders/delete_folder/"),
    ),
    reads=("/viewpolicies/", "/views/", "/quotas/", "/snapshots/", "/vippools/"),
)

_groups = itertools.count(1)


@pytest.fixture(scope="module")
def manila_conf() -> Any:
    from oslo_config import cfg

    if not cfg.CONF._args:  # type: ignore[attr-defined]
        cfg.CONF([], project="manila", default_config_files=[])
    return cfg.CONF


def load_driver(conf: Any, sim: Simulator) -> Any:
    """The driver as manila-share builds it: a backend section of its own, the simulator as transport."""
    from manila.share import configuration
    from manila.share import driver as share_driver
    from manila.share.manager import share_manager_opts
    from oslo_utils import importutils

    from manila_vast.options import VAST_OPTS

    group = f"reliability_backend_{next(_groups)}"
    section = configuration.Configuration(share_manager_opts, config_group=group)
    section.append_config_values(share_driver.share_opts)
    section.append_config_values(VAST_OPTS)
    options = {
        "driver_handles_share_servers": False,
        "share_backend_name": "vast",
        "vast_mgmt_host": "vms.reliability.invalid",
        "vast_vippool_name": "vippool-1",
        "vast_mgmt_user": "admin",
        "vast_mgmt_password": "123456",
    }
    for name, value in options.items():
        conf.set_override(name, value, group=group)
    driver = importutils.import_object(
        "manila_vast.driver.VASTShareDriver",
        configuration=section,
        private_storage=None,
        vms_adapter=sim.adapter(),
    )
    driver.do_setup(None)
    driver.check_for_setup_error()
    return driver


@dataclass
class Share:
    id: str
    size: int
    rules: dict[str, tuple[str, str]] = field(default_factory=dict)  # access_id -> (access_to, level)
    snapshots: set[str] = field(default_factory=set)

    def instance(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "share_id": f"share-of-{self.id}",
            "name": f"share-{self.id}",
            "size": self.size,
            "share_proto": "NFS",
            "status": "available",
            "access_rules_status": "active",
        }

    def rule_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"map-{a}",
                "access_id": a,
                "access_type": "ip",
                "access_to": to,
                "access_level": level,
                "state": "active",
            }
            for a, (to, level) in sorted(self.rules.items())
        ]


class Soak:
    """Random operations against a model of what manila believes."""

    def __init__(self, driver: Any, rng: random.Random) -> None:
        self.driver = driver
        self.rng = rng
        self.shares: dict[str, Share] = {}
        self.counter = itertools.count(1)

    def choose(self) -> tuple[str, Any]:
        """An operation: its name, and a function that runs it and updates the model when it succeeds."""
        rng, shares = self.rng, list(self.shares.values())
        weights = {"create": 3 if len(shares) < 6 else 1}
        if shares:
            weights |= {"access": 4, "extend": 2, "shrink": 2, "snapshot": 2, "delete": 1, "ensure": 1}
            if any(s.snapshots for s in shares):
                weights["unsnapshot"] = 2
        name = rng.choices(list(weights), list(weights.values()))[0]
        if name == "create":
            share = Share(f"soak{next(self.counter):04d}", rng.randint(1, 5))
            return name, lambda: self._create(share)
        share = rng.choice(shares)
        if name == "access":
            rules = {
                f"{share.id}-r{n}": (to, rng.choice(("rw", "ro")))
                for n, to in enumerate(rng.sample(HOST_POOL, rng.randint(0, 4)))
            }
            return name, lambda: self._access(share, rules)
        if name == "extend":
            size = share.size + rng.randint(1, 3)
            return name, lambda: self._resize(share, size, self.driver.extend_share)
        if name == "shrink":
            size = max(1, share.size - rng.randint(1, 2))
            return name, lambda: self._resize(share, size, self.driver.shrink_share)
        if name == "snapshot":
            snap = f"share-snapshot-{share.id}-{next(self.counter)}"
            return name, lambda: self._snapshot(share, snap)
        if name == "unsnapshot":
            owner = rng.choice([s for s in shares if s.snapshots])
            snap = rng.choice(sorted(owner.snapshots))
            return name, lambda: self._unsnapshot(owner, snap)
        if name == "delete":
            return name, lambda: self._delete(share)
        return name, self._ensure

    def _create(self, share: Share) -> None:
        locations = self.driver.create_share(None, share.instance())
        assert locations and all(loc["path"].endswith(f"manila-{share.id}") for loc in locations)
        self.shares[share.id] = share

    def _access(self, share: Share, rules: dict[str, tuple[str, str]]) -> None:
        before = {a for a in share.rules}
        target = Share(share.id, share.size, rules)
        added = [r for r in target.rule_dicts() if r["access_id"] not in before]
        removed = [r for r in share.rule_dicts() if r["access_id"] not in rules]
        errors = self.driver.update_access(None, share.instance(), target.rule_dicts(), added, removed, [])
        assert errors == {}, errors
        share.rules = rules

    def _resize(self, share: Share, size: int, method: Any) -> None:
        method(share.instance(), size)
        share.size = size

    def _snapshot(self, share: Share, name: str) -> None:
        self.driver.create_snapshot(None, {"name": name, "share_instance_id": share.id, "id": name})
        share.snapshots.add(name)

    def _unsnapshot(self, share: Share, name: str) -> None:
        self.driver.delete_snapshot(
            None, {"name": name, "share_instance_id": share.id, "id": name, "provider_location": name}
        )
        share.snapshots.discard(name)

    def _delete(self, share: Share) -> None:
        for name in sorted(share.snapshots):  # manila deletes a share's snapshots first
            self._unsnapshot(share, name)
        self.driver.delete_share(None, share.instance())
        del self.shares[share.id]

    def _ensure(self) -> None:
        result = self.driver.ensure_shares(None, [s.instance() for s in self.shares.values()])
        assert set(result) == set(self.shares), result
        broken = sorted(
            share_id for share_id, answer in result.items() if answer.get("status") != "available"
        )
        if broken:
            # What a failure of ensure_shares looks like to manila: those shares marked error, no exception.
            raise EnsureReportedErrors(broken)


class EnsureReportedErrors(Exception):
    """ensure_shares answered ``status: error`` for some shares (MANILA.md §1.4): a reported failure."""


def expected_hosts(share: Share) -> tuple[set[str], set[str]]:
    rw = {to for to, level in share.rules.values() if level == "rw"}
    ro = {to for to, level in share.rules.values() if level == "ro"} - rw
    return rw, ro


def check_model(sim: Simulator, soak: Soak, context: str) -> None:
    state = sim.state_dict()
    tables = state["tables"]
    assert duplicates(state) == [], context
    names = {p["name"]: p for p in tables["viewpolicies"].values()}
    assert {n for n in names if n.startswith("soak")} == set(soak.shares), context
    quotas = {
        q["name"]: q for q in tables["quotas"].values() if str(q.get("path", "")).startswith(ROOT + "/")
    }
    assert set(quotas) == set(soak.shares), context
    views = {v["path"] for v in tables["views"].values() if v["path"].startswith(ROOT + "/")}
    assert views == {f"{ROOT}/manila-{s}" for s in soak.shares}, context
    snapshots = {s["name"] for s in tables["snapshots"].values() if s["name"].startswith("share-snapshot-")}
    assert snapshots == set().union(*(s.snapshots for s in soak.shares.values())), context
    for share in soak.shares.values():
        assert quotas[share.id]["hard_limit"] == share.size * GIB, f"{share.id}: {context}"
        rw, ro = expected_hosts(share)
        policy = names[share.id]
        assert set(policy["nfs_read_write"]) == rw, f"{share.id} rw {policy['nfs_read_write']}: {context}"
        assert set(policy["nfs_read_only"]) == ro, f"{share.id} ro {policy['nfs_read_only']}: {context}"
        assert "*" not in policy["nfs_read_write"] + policy["nfs_read_only"], context


def test_manila_driver_survives_random_faults(manila_conf: Any, record_property: Any) -> None:
    from manila import exception as manila_exception

    seed = seed_for("manila-soak")
    record_property("seed", seed)
    print(f"\nmanila fault soak: seed {seed}, {OPERATIONS} operations (replay: VASTPLAN_SEED={seed})")
    rng = random.Random(seed)
    sim = Simulator()
    with client_for(sim) as admin:
        seed_outside(admin)
        untouched = outside(sim.state_dict(), (ROOT,), ("soak", "share-snapshot-soak"))
        driver = load_driver(manila_conf, sim)
        soak = Soak(driver, rng)
        outcomes: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        for n in range(OPERATIONS):
            name, operation = soak.choose()
            faults = random_faults(rng, MANILA_ROUTES, hard=True)
            context = f"seed {seed}, operation {n} ({name}), faults {faults}"
            kinds.update(fault_kinds(faults))
            control(admin, "POST", "faults", faults)
            try:
                operation()
                outcomes[f"{name}: done"] += 1
            except (manila_exception.ManilaException, EnsureReportedErrors) as exc:
                assert str(exc), context
                outcomes[f"{name}: failed (reported)"] += 1
                control(admin, "DELETE", "faults")
                try:
                    operation()  # the same operation again, faults cleared: it must succeed now
                except Exception as again:  # noqa: BLE001 - reported with the seed
                    pytest.fail(f"{name} did not heal: {again!r}: {context}")
            finally:
                control(admin, "DELETE", "faults")
            check_model(sim, soak, context)
            assert outside(sim.state_dict(), (ROOT,), ("soak", "share-snapshot-soak")) == untouched, context
        control(admin, "DELETE", "calls")
        final = driver.ensure_shares(None, [s.instance() for s in soak.shares.values()])
        assert all(a["status"] == "available" and not a["reapply_access_rules"] for a in final.values()), (
            final
        )
        changed = [
            c
            for c in control(admin, "GET", "calls")
            if c["method"] in ("PATCH", "DELETE", "PUT")
            or (
                c["method"] == "POST"
                and c["route"] not in ("/token/", "/token/refresh/", "/folders/stat_path/")
            )
        ]
        assert changed == [], f"ensure_shares on shares in sync changed something: {changed} (seed {seed})"
    print(f"manila fault soak: outcomes {dict(sorted(outcomes.items()))}, faults {dict(kinds)}")
    assert sum(v for k, v in outcomes.items() if k.endswith("failed (reported)")) > 0, (
        f"no failure seen (seed {seed})"
    )
