"""Run the benchmarks and write the results down.

    python -m benchmarks.run                 # every benchmark at full size (tens of minutes on 2 cores)
    python -m benchmarks.run --quick         # small sizes, a minute or two: for development
    python -m benchmarks.run --only plan     # one benchmark (ensure, plan, apply, access); others kept
    python -m benchmarks.run --render        # rewrite the page from the stored results only

Full runs rewrite ``docs/performance.md``; quick runs print their tables and write nothing unless ``--out``
is given. Raw results are kept as JSON beside this file (``results/``), merged benchmark by benchmark, so
that ``--only`` re-runs one section and the page still shows the others.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks import bench_access, bench_apply, bench_ensure, bench_plan, report
from benchmarks.harness import have, machine

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DOC = REPO / "docs" / "performance.md"
ALL = ("ensure", "plan", "apply", "access")


@dataclasses.dataclass(frozen=True)
class Sizes:
    ensure: list[int]
    plan: list[int]
    creates: int
    repeat: int
    sample: int
    budget_s: float


FULL = Sizes(
    ensure=[1000, 10000], plan=[1000, 10000, 50000], creates=1000, repeat=3, sample=100, budget_s=900
)
QUICK = Sizes(ensure=[100, 500], plan=[500, 1000, 2000], creates=200, repeat=3, sample=50, budget_s=60)


def plain(value: Any) -> Any:
    """Results as JSON data (dataclasses, Counters, tuples)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Counter):
        return dict(sorted(value.items()))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def run_one(name: str, sizes: Sizes, profile: bool) -> dict[str, Any]:
    started = time.perf_counter()
    data: dict[str, Any] = {}
    if name == "ensure":
        if not (have("manila") and have("trustme")):
            return {"skipped": "needs the manila and test extras (manila, trustme)"}
        costs: dict[int, dict[str, float]] = {}
        data["results"] = plain(
            bench_ensure.run(
                sizes.ensure, sizes.repeat, budget_s=sizes.budget_s, sample=sizes.sample, costs=costs
            )
        )
        data["lookup_costs"] = {str(size): c for size, c in costs.items()}
        if profile:  # at the smallest size: under cProfile, with the simulator in the same thread
            data["hotspots"] = bench_ensure.profile_at(sizes.ensure[0])
    elif name == "plan":
        data["results"] = plain(bench_plan.run(sizes.plan, sizes.repeat))
        if profile:
            data["hotspots"] = bench_plan.profile_at(sizes.plan[-1])
    elif name == "apply":
        data["results"] = plain(bench_apply.run(sizes.creates, sizes.repeat))
    elif name == "access":
        if not (have("manila") and have("trustme")):
            return {"skipped": "needs the manila and test extras (manila, trustme)"}
        data["results"] = plain(bench_access.run(sizes.repeat))
    data["seconds"] = time.perf_counter() - started
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--only", action="append", choices=ALL, help="run only these (repeatable)")
    parser.add_argument(
        "--out", type=Path, help="write the page here (default: docs/performance.md, full runs)"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile sections")
    parser.add_argument(
        "--render", action="store_true", help="rewrite the page from stored results; run nothing"
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    store = HERE / "results" / ("quick.json" if args.quick else "full.json")
    results: dict[str, Any] = json.loads(store.read_text()) if store.exists() else {}
    if not args.render:
        results["machine"] = machine()
        results["mode"] = "quick" if args.quick else "full"
    for name in () if args.render else (args.only or ALL):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            results[name] = run_one(name, sizes, profile=not args.no_profile)
        except Exception as exc:  # noqa: BLE001 - written down, and the other benchmarks still run
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            print(f"{name} failed: {results[name]['error']}", file=sys.stderr)
        results[name]["date"] = time.strftime("%Y-%m-%d", time.gmtime())
        store.parent.mkdir(exist_ok=True)
        store.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    page = report.render(results)
    out = args.out or (None if args.quick else DOC)
    if out is None:
        print(page)
    else:
        out.write_text(page)
        print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
