"""``update_access`` with one wide rule: the bytes of the PATCH body each driver sends, and the time.

Ours sends CIDRs as CIDRs (VAST host lists take them natively); the in-tree driver expands every rule to
its host addresses (MANILA.md §2.3, weakness 1), so it is run on a /16 (65,534 hosts) at most: a /8 is
16.7 million addresses and ``0.0.0.0/0`` 4.3 billion, which would exhaust memory.

The body size is that of the JSON the client sends (``json.dumps`` with its default separators, as both
``requests`` and the in-tree driver serialise), recomputed from the simulator's call log.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from benchmarks.harness import Served, Timing, served, timed
from benchmarks.manila_drivers import in_tree_driver, instance_id, our_driver, rule, share

OURS_RULES = [
    ("10.1.0.0/16", "rw"),
    ("10.0.0.0/8", "rw"),
    ("0.0.0.0/0", "ro"),
    ("2001:db8:1:2::/64", "rw"),
]
IN_TREE_RULES = [("10.1.0.0/24", "rw"), ("10.1.0.0/16", "rw")]


@dataclass
class AccessResult:
    driver: str
    access_to: str
    level: str
    patches: int
    body_bytes: int
    timing: Timing


def _patch_bodies(sim: Served) -> list[int]:
    return [
        len(json.dumps(c["body"]))
        for c in sim.control.calls()
        if c["method"] == "PATCH" and c["route"].startswith("/viewpolicies/")
    ]


def measure(sim: Served, which: str, access_to: str, level: str, repeat: int, serial: int) -> AccessResult:
    driver = our_driver(sim) if which == "ours" else in_tree_driver(sim)
    timing = Timing()
    bodies: list[int] = []
    for n in range(repeat):
        instance = share(instance_id(serial * 100 + n))
        driver.create_share(None, instance)
        granted = rule(access_to, level, n)
        sim.control.clear_calls()
        answer, elapsed = timed(
            functools.partial(driver.update_access, None, instance, [granted], [granted], [], [])
        )
        assert not answer, f"{which} refused {access_to}: {answer}"
        bodies = _patch_bodies(sim)
        timing.runs.append(elapsed)
    return AccessResult(which, access_to, level, len(bodies), sum(bodies), timing)


def run(repeat: int) -> list[AccessResult]:
    results = []
    with served() as sim:
        serial = 0
        for which, rules in (("ours", OURS_RULES), ("in-tree", IN_TREE_RULES)):
            for access_to, level in rules:
                serial += 1
                results.append(measure(sim, which, access_to, level, repeat, serial))
    return results
