"""bench/RESULTS-cluster.md from the raw files of one bench/run-cluster run (bench/raw/cluster-<time>-*)."""
from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path

from load import percentile

TARGETS = ("dev", "cluster", "same-as-stock", "stock")
SAME = "same-as-stock"  # ours on the cluster doing stock's work: the per-kind ratios compare it with stock
VERDICT: dict[str, int] = {}  # what must be 0 for the run to meet its targets
SERVED = {
    "dev": "our portal on CKAN's development server (`ckan run --threaded`, one process), the cluster's "
           "configuration, database, SolrCloud and workers",
    "cluster": "our portal on the cluster: nginx (`deploy/nginx/default.conf`) in front of 3 CKAN web processes "
               "(uWSGI, 1 worker with 4 threads each), 2 jobs workers, SolrCloud of 2 nodes",
    SAME: "our portal on the cluster with the mix stock gets (the same kinds of request, the same weights): "
          "the same work as stock, which the per-kind ratios compare",
    "stock": "stock CKAN on the same topology (nginx, 3 uWSGI web processes, bench/stock-catalog.ini), the same "
             "database, its own collection; its mix has no goal pages or overview (stock has neither) and no catalog "
             "(its endpoint builds the whole catalog in each request, minutes here; compared in the catalog scenario)",
}


def load(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "—"


def table(*columns: str) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def mix_section(runs: dict[str, dict]) -> list[str]:
    lines = ["## The load mix (bench/load.py, as bench/run-load)", "",
             *table("server", "requests", "requests/s", "p50 ms", "p95 ms", "p99 ms", "5xx", "transport errors",
                    "lost writes", "machine CPU busy", "cores: web processes / clients")]
    for label in TARGETS:
        r = runs.get(label)
        if r:
            cpu = r.get("cpu") or {}
            shares = cpu.get("cores_by_role") or {}
            lines.append(f"| {label} | {r['requests']} | {r['requests_per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
                         f"{r['p99_ms']} | {r['server_errors']} | {r['transport_errors']} | {r['lost_writes']} | "
                         f"{cpu.get('machine_busy', 0):.0%} | {shares.get('web processes', '—')} / "
                         f"{shares.get('clients', '—')} |")
    roles = sorted({role for r in runs.values() for role in (r.get("cpu") or {}).get("cores_by_role", {})})
    if roles:
        lines += ["", "Where the machine's CPU went in each run (cores, averaged over the run; every process by its "
                  "command line, a jobs worker with every process it started):", "", *table("server", *roles)]
        for label in TARGETS:
            shares = ((runs.get(label) or {}).get("cpu") or {}).get("cores_by_role")
            if shares:
                lines.append(f"| {label} | " + " | ".join(str(shares.get(role, 0)) for role in roles) + " |")
    dev, cluster, same, stock = (runs.get(t) for t in TARGETS)
    if dev and cluster:
        times = ratio(cluster["requests_per_s"], dev["requests_per_s"])
        VERDICT["5xx or lost writes in the measured runs"] = sum(r["server_errors"] + r["lost_writes"]
                                                                 for r in runs.values())
        lines += ["", f"**The cluster serves {times} × the development server's requests/s** (target ≥ 1.8)."]
        VERDICT["the cluster below 1.8 × the development server's requests/s"] = int(
            cluster["requests_per_s"] < 1.8 * dev["requests_per_s"])
    lines += ["", f"Per kind of request (p50 / p95 / p99 ms, and how many; the last column: {SAME}'s p50 over "
              "stock's, the same work on the same topology, target ≤ 1.2 except the catalog):", "",
              *table("request", *TARGETS, f"{SAME} / stock p50")]
    kinds = sorted({k for r in runs.values() for k in r["by_kind"]})
    for kind in kinds:
        cells = []
        for label in TARGETS:
            row = (runs.get(label) or {}).get("by_kind", {}).get(kind)
            cells.append(f"{row['p50_ms']} / {row['p95_ms']} / {row['p99_ms']} ({row['requests']})" if row else "—")
        a = (same or {}).get("by_kind", {}).get(kind, {}).get("p50_ms")
        b = (stock or {}).get("by_kind", {}).get(kind, {}).get("p50_ms")
        lines.append(f"| {kind} | {' | '.join(cells)} | {ratio(a, b)} |")
        if a and b and kind != "catalog" and a > 1.2 * b:
            above = "kinds of request above 1.2 × stock's p50"
            VERDICT[above] = VERDICT.get(above, 0) + 1
    return lines


def cost_section(costs: dict[str, dict]) -> list[str]:
    lines = ["## One request at a time (bench/request_cost.py)", "",
             "Each kind of request made by one client, one after another, against a quiet machine, on the "
             "cluster (ours) and on stock's; CPU of every process of the machine meanwhile, by role, per "
             "request (for creates, the jobs they queue are waited for and counted):", ""]
    ours, stock = costs.get("cluster"), costs.get("stock")
    if not ours or not stock:
        return lines + ["Not run."]
    roles = list(next(iter(ours["by_kind"].values()))["cpu_ms"])
    lines += table("request", "server", "requests", "p50 ms", *[f"CPU ms: {role}" for role in roles],
                   "CPU ms in all", "p50 / stock's", "CPU / stock's")
    for kind in ours["by_kind"]:
        for label, result in (("ours", ours), ("stock", stock)):
            row = result["by_kind"].get(kind)
            if not row:
                continue
            theirs = stock["by_kind"].get(kind, {})
            ratios = (f"{ratio(row['p50_ms'], theirs.get('p50_ms'))} | "
                      f"{ratio(row['cpu_ms_total'], theirs.get('cpu_ms_total'))} |") if label == "ours" else "| |"
            lines.append(f"| {kind} | {label} | {row['requests']} | {row['p50_ms']} | "
                         + " | ".join(str(row["cpu_ms"].get(role, 0)) for role in roles)
                         + f" | {row['cpu_ms_total']} | {ratios}")
    return lines


def catalog_section(runs: dict[str, dict]) -> list[str]:
    lines = ["## The catalog scenario (8 readers of /catalog.rdf and /catalog.ttl, 2 editors saving)", "",
             *table("server", "request", "answers", "p50 ms", "p95 ms", "p99 ms", "5xx", "lost writes", "builds")]
    for label in TARGETS:
        r = runs.get(label)
        if not r:
            continue
        builds = "; ".join(f"{doc}: " + ", ".join(f"{n} in the {where}" for where, n in sorted(w.items()))
                           for doc, w in sorted(r.get("builds", {}).items())) if r.get("builds_counted") else "—"
        for kind, row in r["by_kind"].items():
            lines.append(f"| {label} | {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | "
                         f"{row['p99_ms']} | {r['server_errors']} | {r['lost_writes']} | {builds} |")
    return lines


def fault_section(faulted: dict | None, faults: dict | None, after: dict | None) -> list[str]:
    lines = ["## Faults during the load (bench/cluster_faults.py)", ""]
    if not faulted or not faults:
        return lines + ["Not run."]
    offset = faults["started_at"] - faulted["started_at"]  # the faults' clock on the load's
    timeline = faulted["timeline"]
    events = faults["events"]
    by_fault: dict[str, list[dict]] = {}
    for e in events:
        by_fault.setdefault(e["fault"], []).append(e)
    lines += [f"The mix of {faulted['clients']} clients for {faulted['duration_s']} s against the cluster "
              f"({faulted['requests']} requests, {faulted['requests_per_s']} requests/s) while, each at its time:", "",
              *table("fault", "from (s)", "to (s)", "requests then", "5xx", "no answer", "p95 ms then",
                     "what happened")]
    for fault, rows in by_fault.items():
        start, end = rows[0]["t"] + offset, rows[-1]["t"] + offset
        window = [r for r in timeline if start <= r[0] <= end]
        said = "; ".join(f"{r['t'] + offset:.0f} s: {r['event']}" + (
            f" ({', '.join(f'{k} {v}' for k, v in r.items() if k not in ('t', 'fault', 'event', 'said'))})"
            if len(r) > 3 else "") for r in rows)
        lines.append(f"| {fault} | {start:.0f} | {end:.0f} | {len(window)} | "
                     f"{sum(1 for r in window if r[2] >= 500)} | {sum(1 for r in window if r[2] == 0)} | "
                     f"{percentile([r[3] for r in window], 95) * 1000:.0f} | {said} |")
    reads = [r for r in timeline if r[1] != "create"]
    VERDICT["5xx for reads during the faults"] = sum(1 for r in reads if r[2] >= 500)
    VERDICT["acknowledged writes lost during the faults"] = faulted["lost_writes"]
    VERDICT["faults that could not be made or did not recover"] = len(faults.get("failed", []))
    lines += ["", f"- **5xx for reads over the whole run: {sum(1 for r in reads if r[2] >= 500)}**; "
              f"5xx for writes: {sum(1 for r in timeline if r[1] == 'create' and r[2] >= 500)}; "
              f"requests without an answer: {sum(1 for r in timeline if r[2] == 0)}",
              f"- **acknowledged writes lost: {faulted['lost_writes']}** of {faulted['creates_acknowledged']} "
              "(each looked up with package_show and package_search afterwards)"]
    load_found = faults.get("found", {}).get("load")
    if load_found:
        lines.append(f"- the interrupted DataStore load: {load_found['rows_uploaded']} rows uploaded, status "
                     f"`{load_found['status']}`, {load_found['datastore_rows']} rows in the DataStore afterwards")
    if after:
        lines.append(f"- afterwards: jobs waiting or running {after['jobs_waiting_or_running']}; public datasets "
                     f"in the database {after['public_datasets_database']}, in the index "
                     f"{after['public_datasets_index']}")
        mended = after.get("after_index_reconcile")
        if mended:
            lines.append(f"- then `ckan kalmar index-reconcile` (the hourly upkeep's mending, run at once, every "
                         f"30 s): after {mended['seconds']} s, \"{mended['said']}\"; public datasets in the "
                         f"database {mended['public_datasets_database']}, in the index "
                         f"{mended['public_datasets_index']}")
        final = mended or after
        VERDICT["public datasets the index and the database disagree on (after the mending)"] = abs(
            final["public_datasets_index"] - final["public_datasets_database"])
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", required=True, help="the run's raw files' common prefix")
    parser.add_argument("--markdown", required=True)
    args = parser.parse_args()
    raw = Path(args.raw)
    mix = {t: r for t in TARGETS if (r := load(Path(f"{raw}-mix-{t}.json")))}
    catalog = {t: r for t in TARGETS if (r := load(Path(f"{raw}-catalog-{t}.json")))}
    faulted, faults = load(Path(f"{raw}-mix-faulted.json")), load(Path(f"{raw}-faults.json"))
    after = load(Path(f"{raw}-after.json"))
    costs = {t: r for t in ("cluster", "stock") if (r := load(Path(f"{raw}-cost-{t}.json")))}
    state = Path(f"{raw}-state.txt")
    first = next(iter(mix.values()), {})
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = ["# The cluster under load and faults (issue 27): one run of `bench/run-cluster`", "",
             f"- command: `{first.get('command', 'bench/run-cluster')}`; raw files `bench/raw/{raw.name}-*`",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB; the servers, PostgreSQL, "
             "Redis, SolrCloud and the clients share it",
             f"- database: the cluster's, seeded by bench/seed.py; public datasets at the catalog scenario's start: "
             f"{next(iter(catalog.values()), {}).get('public_datasets', 'not measured')}"]
    warm_up = load(Path(f"{raw}-mix-warm-up.json"))
    lines += [f"- warm-up before the measured runs, not measured: the mix against the cluster for "
              f"{warm_up['duration_s']} s ({warm_up['requests']} requests; raw `bench/raw/{raw.name}-mix-warm-up.json`)"
              if warm_up else "- no warm-up before the measured runs", ""]
    lines += [f"- **{label}**: {SERVED[label]}" for label in TARGETS] + [""]
    lines += cost_section(costs) + [""] + mix_section(mix) + [""] + catalog_section(catalog)
    lines += [""] + fault_section(faulted, faults, after)
    lines += ["", "## State shared across the processes (bench/cluster_state.py)", "", "```"]
    lines += state.read_text().splitlines() if state.exists() else ["not run"]
    lines += ["```", ""]
    if failed := [line for line in lines if line.startswith("FAIL")]:
        VERDICT["failed state checks"] = len(failed)
    lines += ["## Verdict", ""] + [f"- {what}: **{n}**" for what, n in VERDICT.items()] + [""]
    Path(args.markdown).write_text("\n".join(lines))
    return 1 if any(VERDICT.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
