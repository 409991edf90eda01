"""Where the time goes: cProfile of a measured operation, reduced to the few functions that dominate.

Function names are printed relative to their package (``vastplan/sim/model/base.py:83 render``): never a
path of the machine that ran them.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_PACKAGES = ("vastplan/", "manila_vast/", "manila/", "benchmarks/", "requests/", "urllib3/", "deepdiff/")


@dataclass(frozen=True)
class Hotspot:
    function: str
    calls: int
    own_s: float
    cumulative_s: float


def label(filename: str, line: int, name: str) -> str:
    """``.../site-packages/vastplan/x.py`` → ``vastplan/x.py:LINE name``; built-ins keep their name."""
    for package in _PACKAGES:
        at = filename.rfind("/" + package)
        if at >= 0:
            return f"{filename[at + 1 :]}:{line} {name}"
    if filename.startswith("~") or filename == "":
        return name
    return f"{filename.rsplit('/', 1)[-1]}:{line} {name}"


def profile(fn: Callable[[], Any], top: int = 8, by: str = "tottime") -> tuple[float, list[Hotspot]]:
    """Run ``fn`` under cProfile; its total time and the ``top`` functions by own time (or cumulative)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        fn()
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        function = label(filename, line, name)
        if not function.startswith(("benchmarks/", "<built-in method _lsprof")):
            rows.append(Hotspot(function, ncalls, tottime, cumtime))
    key = (lambda h: h.own_s) if by == "tottime" else (lambda h: h.cumulative_s)
    rows.sort(key=key, reverse=True)
    total = stats.total_tt  # type: ignore[attr-defined]
    return total, rows[:top]
