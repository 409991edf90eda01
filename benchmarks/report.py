"""``docs/performance.md`` from the raw results (``benchmarks/results/*.json``)."""

from __future__ import annotations

import math
from typing import Any

from benchmarks.bench_plan import exponent
from benchmarks.harness import seconds

PAGE_SIZE = 1000  # the client's default page size (docs/client.md)

HEADER = """\
# Performance

Measured, not estimated: every number on this page comes from `python -m benchmarks.run`, which wrote it.
REST calls are counted exactly, from the simulator's own call log (`GET /_sim/calls`), whichever client
sent them; logins are counted apart. Wall times are medians of several runs (the count is given), measured
with `time.perf_counter()` around the one operation, after a garbage collection. Nothing on this page is
asserted by the test suite: tests count calls, benchmarks measure time.

## Reproducing

```sh
pip install -e '.[test,manila]'           # manila and trustme are needed for the Manila benchmarks
python -m benchmarks.run                  # full sizes; rewrites this page (about 40 minutes on 2 cores)
python -m benchmarks.run --quick          # small sizes, prints the page instead (a few minutes)
python -m benchmarks.run --only plan      # one benchmark: ensure, plan, apply or access (others kept)
```

Raw results are kept in `benchmarks/results/full.json` (quick runs: `quick.json`, not kept in git);
`python -m benchmarks.run --render` rewrites this page from them. The simulator is the cluster in every
benchmark: it answers a call much faster than a real VMS (a few milliseconds at most, usually less, against
tens of milliseconds), except where its own cost grows with the size of the cluster — named in Findings.
A measurement stops repeating when its runs so far say the next would pass a time budget (900 s for the
full sizes, 60 s for quick ones): the *runs* columns say how many were made. Of the full run's 40
minutes, 18 are the in-tree driver's one `ensure_shares` over 10,000 shares.
"""


def render(results: dict[str, Any]) -> str:
    parts = [HEADER, _machine(results), _goals(results)]
    for name, section in (
        ("ensure", _ensure),
        ("plan", _plan),
        ("apply", _apply),
        ("access", _access),
    ):
        data = results.get(name)
        if data is None:
            continue
        if "skipped" in data:
            parts.append(f"## {TITLES[name]}\n\nSkipped: {data['skipped']}.\n")
            continue
        if "error" in data:
            parts.append(f"## {TITLES[name]}\n\nThe benchmark failed: `{data['error'][:500]}`\n")
            continue
        parts.append(section(data))
    parts.append(findings(results))
    return "\n".join(parts)


TITLES = {
    "ensure": "ensure_shares: ours against the in-tree VAST driver",
    "plan": "Planning at scale",
    "apply": "Applying in parallel",
    "access": "update_access with wide rules",
}


def _machine(results: dict[str, Any]) -> str:
    m = results.get("machine", {})
    dates = sorted({v["date"] for v in results.values() if isinstance(v, dict) and "date" in v})
    lines = [
        "## The machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPUs | {m.get('cpus', '?')} ({m.get('cpus usable', '?')} usable; shared with other work) |",
        f"| processor | {m.get('processor', '?')} |",
        f"| Python | {m.get('python', '?')} |",
        f"| system | {m.get('system', '?')} |",
        f"| run | {', '.join(dates) or '?'} ({results.get('mode', '?')} sizes) |",
        "",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- goals


def _ensure_pairs(data: dict[str, Any]) -> dict[int, dict[str, dict[str, Any]]]:
    pairs: dict[int, dict[str, dict[str, Any]]] = {}
    for r in data.get("results", []):
        pairs.setdefault(r["shares"], {})[r["driver"]] = r
    return pairs


def _median(runs: list[float]) -> float:
    ordered = sorted(runs)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _scaled_seconds(r: dict[str, Any]) -> float:
    return _median(r["timing"]["runs"]) * r["shares"] / r["measured"]


def _scaled_calls(r: dict[str, Any]) -> float:
    return r["calls"]["total"] * r["shares"] / r["measured"]


def _goals(results: dict[str, Any]) -> str:
    rows = []
    ensure = results.get("ensure", {})
    pairs = _ensure_pairs(ensure) if "results" in ensure else {}
    if pairs:
        size = max(pairs)
        both = pairs[size]
        if "ours" in both:
            ours = both["ours"]
            bound = 1 + 3 * math.ceil(size / PAGE_SIZE)
            met = ours["calls"]["total"] <= bound
            rows.append(
                (
                    (
                        f"ensure_shares, {size:,} shares: our calls bounded by kinds × pages "
                        f"(≤ 1 + 3 × {math.ceil(size / PAGE_SIZE)} = {bound})"
                    ),
                    f"{ours['calls']['total']} calls",
                    met,
                )
            )
        if "in-tree" in both:
            it = both["in-tree"]
            per = it["calls"]["total"] / it["measured"]
            rows.append(
                (
                    "the in-tree driver makes at least four calls per share",
                    f"{per:g} per share ({_scaled_calls(it):,.0f} at {size:,})",
                    per >= 4,
                )
            )
        if "ours" in both and "in-tree" in both:
            ratio = _scaled_seconds(both["in-tree"]) / _median(both["ours"]["timing"]["runs"])
            note = " (in-tree extrapolated)" if both["in-tree"]["extrapolated"] else ""
            rows.append(
                (
                    f"ensure_shares at {size:,} shares: ≥ 20× less wall time than the in-tree driver",
                    f"{ratio:,.0f}×{note}",
                    ratio >= 20,
                )
            )
            conservative = _conservative_ratio(pairs)
            if conservative is not None:
                base, value = conservative
                rows.append(
                    (
                        (
                            f"… the same, with the in-tree driver's cost per share held at its {base:,}-share value "
                            "(no growth from the simulator's unindexed lookups; Findings 3)"
                        ),
                        f"{value:,.0f}×",
                        value >= 20,
                    )
                )
    plan = results.get("plan", {})
    if "results" in plan:
        for drift in (0.0, 0.1):
            points = [r for r in plan["results"] if r["drift"] == drift]
            if len(points) >= 2:
                wall = exponent([(r["objects"], _median(r["wall"]["runs"])) for r in points])
                engine = exponent([(r["objects"], _engine(r)) for r in points])
                waiting = exponent([(r["objects"], _median(r["waiting"]["runs"])) for r in points])
                label = "no changes" if drift == 0 else f"{drift:.0%} drift"
                rows.append(
                    (
                        f"plan ({label}): the engine's time grows linearly with objects (fitted exponent ≤ 1.15)",
                        f"{engine:.2f}",
                        engine <= 1.15,
                    )
                )
                rows.append(
                    (
                        f"plan ({label}): wall time, simulator included, grows linearly",
                        f"{wall:.2f} (waiting for the simulator: {waiting:.2f})",
                        wall <= 1.15,
                    )
                )
    apply = results.get("apply", {})
    for transport, speedup in _speedups(apply).items():
        rows.append(
            (
                f"apply with 20 ms latency, {transport}: parallelism 8 ≥ 5× faster than 1",
                f"{speedup:.1f}×",
                speedup >= 5,
            )
        )
    access = results.get("access", {})
    if "results" in access:
        ours = [r for r in access["results"] if r["driver"] == "ours"]
        if ours:
            biggest = max(r["body_bytes"] for r in ours)
            rows.append(
                (
                    "update_access: a /8, 0.0.0.0/0 or IPv6 /64 rule is one small PATCH (CIDRs kept)",
                    f"largest body {biggest} bytes",
                    biggest < 1024 and all(r["patches"] == 1 for r in ours),
                )
            )
    lines = ["## Goals", "", "| goal | measured | met |", "|---|---|---|"]
    lines += [f"| {goal} | {measured} | {'yes' if met else '**no**'} |" for goal, measured, met in rows]
    return "\n".join(lines) + "\n"


def _conservative_ratio(pairs: dict[int, dict[str, dict[str, Any]]]) -> tuple[int, float] | None:
    """In-tree time at the largest size estimated from its per-share cost at the smallest size measured
    on every share, against ours measured at the largest size."""
    full = [n for n, both in pairs.items() if "in-tree" in both and not both["in-tree"]["extrapolated"]]
    largest = max(pairs)
    if not full or min(full) == largest or "ours" not in pairs[largest]:
        return None
    base = min(full)
    it = pairs[base]["in-tree"]
    per_share = _median(it["timing"]["runs"]) / it["measured"]
    return base, per_share * largest / _median(pairs[largest]["ours"]["timing"]["runs"])


def _engine(r: dict[str, Any]) -> float:
    return _median([w - s for w, s in zip(r["wall"]["runs"], r["waiting"]["runs"])])


def _speedups(apply: dict[str, Any]) -> dict[str, float]:
    by: dict[str, dict[int, float]] = {}
    for r in apply.get("results", []):
        by.setdefault(r["transport"], {})[r["parallelism"]] = _median(r["timing"]["runs"])
    return {t: p[1] / p[8] for t, p in by.items() if 1 in p and 8 in p}


# ------------------------------------------------------------------------------------------- sections


def _routes(by_route: dict[str, int]) -> str:
    return ", ".join(f"{route} ×{n}" for route, n in sorted(by_route.items()))


def _ensure(data: dict[str, Any]) -> str:
    lines = [
        f"## {TITLES['ensure']}",
        "",
        (
            "`ensure_shares` over every share of a backend whose shares are all in sync (what manila-share does "
            "at start-up when the backend info changed). The shares are loaded as simulator state; both drivers "
            "talk HTTPS to the same simulator, served by `serve()` on 127.0.0.1 in a thread of the benchmark "
            "process. No run changed anything (checked: no mutating call). Ours reads each collection once, page by "
            "page (1,000 records a page); the in-tree driver looks up the VIP pool, the policy, the quota and the "
            "view of every share by name."
        ),
        "",
        "| shares | driver | REST calls | calls per share | wall time | runs | ours faster by |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, both in sorted(_ensure_pairs(data).items()):
        ours_s = _median(both["ours"]["timing"]["runs"]) if "ours" in both else None
        for which in ("ours", "in-tree"):
            r = both.get(which)
            if r is None:
                continue
            total = _scaled_calls(r)
            wall = _scaled_seconds(r)
            ratio = f"{wall / ours_s:,.0f}×" if which == "in-tree" and ours_s else ""
            mark = " ⁽ᵉ⁾" if r["extrapolated"] else ""
            lines.append(
                f"| {size:,} | {which} | {total:,.0f}{mark} | {r['calls']['total'] / r['measured']:.3g} "
                f"| {seconds(wall)}{mark} | {len(r['timing']['runs'])} | {ratio} |"
            )
    lines.append("")
    if any(r["extrapolated"] for r in data.get("results", [])):
        lines += [
            (
                "⁽ᵉ⁾ extrapolated: the in-tree driver was run on the number of shares given below, spread over the "
                "whole cluster (every lookup still searched all of it), and its calls and time scaled to the size. "
                "It makes the same four lookups for every share, so both scale linearly with the shares ensured."
            ),
            "",
        ]
    for size, both in sorted(_ensure_pairs(data).items()):
        it = both.get("in-tree")
        if it and it["extrapolated"]:
            lines.append(
                f"- {size:,} shares: in-tree measured on {it['measured']} shares: {it['calls']['total']} calls "
                f"({_routes(it['calls']['by_route'])}), {seconds(_median(it['timing']['runs']))} per run."
            )
        if "ours" in both:
            lines.append(f"- {size:,} shares: our calls: {_routes(both['ours']['calls']['by_route'])}.")
    hot = data.get("hotspots")
    if hot:
        lines += [
            "",
            f"### Where the time goes ({hot['shares']:,} shares)",
            "",
            (
                "Our `ensure_shares` profiled with the simulator in the same thread (its in-process transport, "
                f"same state): {seconds(hot['ours_total_s'])} under cProfile. Functions by own time:"
            ),
            "",
            _hotspot_table(hot["ours_top"]),
        ]
    costs = data.get("lookup_costs")
    if costs:
        lines += [
            (
                "What one `?name=` lookup costs the simulator (in-process, no HTTP, one thread), per collection, "
                "at each size: the in-tree driver makes one of each per share."
            ),
            "",
            "| shares | " + " | ".join(f"`/{c}/`" for c in next(iter(costs.values()))) + " |",
            "|---:|" + "---:|" * len(next(iter(costs.values()))),
        ]
        for size, row in sorted(costs.items(), key=lambda kv: int(kv[0])):
            lines.append(f"| {int(size):,} | " + " | ".join(seconds(v) for v in row.values()) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def _hotspot_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| function | calls | own time | cumulative |", "|---|---:|---:|---:|"]
    for h in rows:
        lines.append(
            f"| `{h['function']}` | {h['calls']:,} | {seconds(h['own_s'])} | {seconds(h['cumulative_s'])} |"
        )
    return "\n".join(lines) + "\n"


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def _plan(data: dict[str, Any]) -> str:
    lines = [
        f"## {TITLES['plan']}",
        "",
        (
            "`vastplan.api.plan(client, spec)` over N objects (per 151: 50 directories each with a view, a quota "
            "and a snapshot, and one view policy for those 50 views), against a simulator in its own process "
            "(`vastplan sim serve`, HTTP), so that the time and memory measured are the engine's and the "
            "client's alone. *Waiting* is the time spent waiting for the simulator's answers (the client's "
            "`on_request` hook); *engine* is wall time minus waiting. Peak memory is tracemalloc's peak over one "
            "plan (everything Python allocated in the planning process: parsed pages, live and desired state, "
            "the plan document). With drift, 10 % of the objects differ: quotas with another hard limit, views "
            "with an extra protocol, missing snapshots. Loading and validating the spec is timed apart."
        ),
        "",
        "| objects | drift | changes | REST calls | wall | waiting | engine | peak memory | spec load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in data["results"]:
        lines.append(
            f"| {r['objects']:,} | {r['drift']:.0%} | {r['changes']:,} | {r['calls']['total']} "
            f"| {seconds(_median(r['wall']['runs']))} | {seconds(_median(r['waiting']['runs']))} "
            f"| {seconds(_engine(r))} | {_mb(r['peak_bytes'])} | {seconds(r['load_spec_s'])} |"
        )
    lines += [
        "",
        f"Runs per row: {len(data['results'][0]['wall']['runs'])}. Fitted exponents (log-log least squares; 1 is linear):",
        "",
    ]
    lines += [
        "| drift | wall time | engine time | waiting | peak memory | REST calls |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for drift in sorted({r["drift"] for r in data["results"]}):
        pts = [r for r in data["results"] if r["drift"] == drift]
        if len(pts) < 2:
            continue

        def fit(value: Any, pts: list[dict[str, Any]] = pts) -> str:
            return f"{exponent([(r['objects'], value(r)) for r in pts]):.2f}"

        lines.append(
            f"| {drift:.0%} | {fit(lambda r: _median(r['wall']['runs']))} | {fit(_engine)} "
            f"| {fit(lambda r: _median(r['waiting']['runs']))} | {fit(lambda r: r['peak_bytes'])} "
            f"| {fit(lambda r: r['calls']['total'])} |"
        )
    biggest = max(data["results"], key=lambda r: r["objects"])
    lines += ["", f"Calls at {biggest['objects']:,} objects: {_routes(biggest['calls']['by_route'])}.", ""]
    hot = data.get("hotspots")
    if hot:
        lines += [
            f"### Where the time goes ({hot['objects']:,} objects, {hot['drift']:.0%} drift)",
            "",
            f"One plan under cProfile (engine process only): {seconds(hot['total_s'])}. By own time:",
            "",
            _hotspot_table(hot["own"]),
            "By cumulative time:",
            "",
            _hotspot_table(hot["cumulative"]),
        ]
    return "\n".join(lines) + "\n"


def _apply(data: dict[str, Any]) -> str:
    rows = data["results"]
    lines = [
        f"## {TITLES['apply']}",
        "",
        (
            f"`vastplan.api.apply` of a plan of {rows[0]['creates']:,} creates (per 100: one view policy, and "
            "quotas creating directories with a view on each, which waits for its quota and its policy) with "
            '`{"latency_ms": 20}` on every VMS call, including the stale check before and the verifying plan '
            "after the steps. Through `serve()` (HTTP, server threads in this process) and through the "
            "simulator's in-process transport."
        ),
        "",
        "| transport | parallelism | REST calls | wall time | runs | speed-up |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    base: dict[str, float] = {}
    for r in rows:
        wall = _median(r["timing"]["runs"])
        if r["parallelism"] == 1:
            base[r["transport"]] = wall
        speed = f"{base[r['transport']] / wall:.1f}×" if r["transport"] in base else ""
        lines.append(
            f"| {r['transport']} | {r['parallelism']} | {r['calls']['total']:,} | {seconds(wall)} "
            f"| {len(r['timing']['runs'])} | {speed} |"
        )
    floor = rows[0]["calls"]["total"] * 0.020
    lines += [
        "",
        f"At parallelism 1 the floor is calls × 20 ms = {seconds(floor)}; calls: {_routes(rows[0]['calls']['by_route'])}.",
        "",
    ]
    return "\n".join(lines)


def _access(data: dict[str, Any]) -> str:
    lines = [
        f"## {TITLES['access']}",
        "",
        (
            "`update_access` granting one rule to a new share (manila's recovery-style call: the rule in "
            "`access_rules` and `add_rules`). Body size: bytes of the JSON of every PATCH to the view policy. "
            "The in-tree driver expands a CIDR to all its host addresses; it is not run on anything wider than "
            "a /16 (a /8 is 16.7 million addresses, `0.0.0.0/0` 4.3 billion)."
        ),
        "",
        "| driver | rule | PATCHes | body bytes | wall time | runs |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in data["results"]:
        lines.append(
            f"| {r['driver']} | `{r['access_to']}` {r['level']} | {r['patches']} | {r['body_bytes']:,} "
            f"| {seconds(_median(r['timing']['runs']))} | {len(r['timing']['runs'])} |"
        )
    return "\n".join(lines) + "\n"


def findings(results: dict[str, Any]) -> str:
    """What the numbers say where they are not what the design wants. Paragraphs 1 and 2 report earlier
    runs of this benchmark (their numbers are written in); the others are filled in from this run."""
    plan = [r for r in results.get("plan", {}).get("results", []) if r["drift"] == 0.0]
    big = max(plan, key=lambda r: r["objects"]) if plan else None
    ensure = results.get("ensure", {})
    pairs = _ensure_pairs(ensure) if "results" in ensure else {}
    costs = ensure.get("lookup_costs", {})
    out = ["## Findings"]
    out.append(
        "1. **Fixed during this work: the simulator rendered a whole collection for every list request.** "
        "`list_objects` rendered every record (computed fields, defaults, deep copies) before filtering and "
        "slicing the page, so reading N objects page by page cost O(N²/page size) and every `?name=` lookup "
        "cost a full rendering. In the first full run a 50,000-object plan waited 37.1 s for the simulator "
        "against 9.3 s of its own work, and its wall time grew with an exponent of 1.32 (the engine's own "
        "time: 0.98). The simulator now filters stored rows and renders only the page it returns."
    )
    out.append(
        "2. **Fixed during this work: rendering a view policy scanned every view.** Each policy's "
        "`count_views` was `views.find(policy_id=...)`, a sorted scan of all views, so reading P policies "
        "cost O(P × V). In the second full run our `ensure_shares` at 10,000 shares took 167.8 s for its 31 "
        "requests — about 90 % of it in that scan (cProfile) — and the in-tree driver an extrapolated "
        "1,793 s: 10.7×, the 20× goal missed for the simulator's sake. The simulator now counts views once "
        "per change of the views."
    )
    if costs and pairs:
        sizes = sorted(costs, key=int)
        lookup = {size: sum(c for name, c in costs[size].items()) for size in sizes}
        conservative = _conservative_ratio(pairs)
        text = (
            "3. **Still in the simulator: a `?name=` lookup scans every stored row** (no index), so its cost "
            "grows with the cluster: the four lookups the in-tree driver makes per share cost the simulator "
            + ", ".join(f"{seconds(lookup[size])} at {int(size):,} shares" for size in sizes)
            + ". A VMS answers such a lookup from an indexed database column, so on a real cluster the "
            "in-tree driver's cost per share would not grow that way. Ours is not affected (one paginated "
            "read per collection: the scan happens once per page)."
        )
        if conservative is not None:
            base, value = conservative
            text += (
                f" Holding the in-tree driver's cost per share at its measured {base:,}-share value gives the "
                f"conservative comparison in the goals table: {value:,.0f}×."
            )
        out.append(text)
    out.append(
        "4. **Where the engine's own time goes at scale (linear; not a goal miss).** In the planning profile "
        "above, `canonical.plain` (digests), `planfile._secret_keys` (a walk of the whole plan document "
        "looking for credentials) and `normalize.freeze` take a large share of the engine's own time under "
        "the profiler, and much of their cost is `isinstance(value, Mapping)` on every scalar: an ABC check "
        "(`<frozen abc> __instancecheck__`, millions of calls). Testing the concrete `dict`/`list`/`str` types "
        "first, and walking the plan once for both the secret check and the digest, are the obvious remedies "
        "(not measured here)."
    )
    if plan and big:
        per_object = max(r["peak_bytes"] / r["objects"] for r in plan)
        out.append(
            f"5. **Memory** grows linearly: at most {per_object / 1024:.1f} KiB per object at the peak of a plan "
            f"(parsed pages, live and desired state, the plan document): {_mb(big['peak_bytes'])} for "
            f"{big['objects']:,} objects."
        )
    return "\n\n".join(out) + "\n"
