"""Load run: N concurrent clients on loopback doing what the portal's users do, for a fixed time.

Visitors search with facets, open dataset pages and goal pages and fetch the catalog; editors create
datasets through the Action API. Afterwards every create that was acknowledged is looked up in the
database (package_show) and in the search index (package_search): a write that is missing is lost.

Bounded in time (--duration, at most 600 s) and in count (--max-requests); loopback addresses only.
Run it through bench/run-load, which starts the portal and writes bench/RESULTS-load.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

import requests

# What one client does, with weights: (kind, weight).
MIX = [("search", 35), ("dataset page", 20), ("search page", 10), ("catalog", 5), ("goal page", 10),
       ("overview", 5), ("create", 15)]
FACETS = ["organization", "vocab_theme", "vocab_sdg", "vocab_conforms_to"]
QUERIES = ["", "badplatser", "vatten", "kalmar", "parkering", "energi", "skola", "evenemang"]
GOALS = ["3", "6", "7", "8", "11", "12", "16"]
# The catalog scenario (issue 23, item 6): readers fetch the complete catalog in both formats while
# editors save datasets (a create, then updates of the datasets they made), each save changing the catalog.
CATALOG_FORMATS = ["rdf", "ttl"]
ORGANIZATIONS = ["kalmar-kommun", "nybro-kommun", "vastervik-kommun", "region-kalmar-lan"]


def new_dataset(name: str, title: str, notes: str, owner_org: str, goal: str, tag: str, private: bool = False,
                linked_csv: bool = True) -> dict:
    """A dataset as the benchmark's clients create it (bench/cluster_*.py too): what the Swedish schema asks
    for at creation, and a linked CSV unless told not to (a public dataset needs its data)."""
    body = {"name": name, "title": title, "notes": notes, "owner_org": owner_org, "private": private,
            "classification_confirmed": True, "sdg": [goal], "tags": [{"name": tag}],
            "contact_email": f"{tag}@example.org"}  # not every organization has a default contact yet
    if linked_csv:
        body["resources"] = [{"url": f"https://example.se/{name}.csv", "format": "CSV"}]
    return body


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Run:
    def __init__(self, base: str, token: str, run_id: str, organizations: list[str], names: list[str]):
        self.base, self.token, self.run_id = base.rstrip("/"), token, run_id
        self.organizations, self.names = organizations, names
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.failures: list[str] = []
        self.acknowledged: list[str] = []
        self.saved: dict[str, str] = {}  # the catalog scenario: dataset name -> the last notes acknowledged
        self.sizes: dict[str, list[int]] = defaultdict(list)  # bytes of each catalog answer, per kind
        self.count = 0
        self.started, self.started_at = time.monotonic(), time.time()
        # Every answer as (seconds since the start, kind, status, seconds taken): what a fault did when.
        self.timeline: list[tuple[float, str, int, float]] = []

    def request(self, session: requests.Session, kind: str, rng: random.Random) -> None:
        headers = {}
        if kind == "search":
            fq = f'organization:"{rng.choice(self.organizations)}"' if rng.random() < 0.3 else ""
            params = {"q": rng.choice(QUERIES), "fq": fq, "rows": 20, "facet.field": json.dumps(FACETS),
                      "facet.limit": 50}
            call = lambda: session.get(f"{self.base}/api/3/action/package_search", params=params, timeout=120)
        elif kind == "dataset page":
            name = rng.choice(self.names)
            call = lambda: session.get(f"{self.base}/dataset/{name}", timeout=120)
        elif kind == "search page":
            params = {"q": rng.choice(QUERIES), "vocab_sdg": rng.choice(GOALS)} if rng.random() < 0.5 else {}
            call = lambda: session.get(f"{self.base}/dataset/", params=params, timeout=120)
        elif kind == "catalog":
            call = lambda: session.get(f"{self.base}/catalog.ttl", timeout=300)
        elif kind.startswith("catalog."):
            call = lambda: session.get(f"{self.base}/{kind}", timeout=600)
        elif kind == "goal page":
            call = lambda: session.get(f"{self.base}/agenda2030/{rng.choice(GOALS)}", timeout=120)
        elif kind == "overview":
            call = lambda: session.get(f"{self.base}/oversikt", timeout=120)
        else:
            name = f"bench-load-{self.run_id}-{uuid.uuid4().hex[:12]}"
            headers = {"Authorization": self.token}
            body = new_dataset(name, f"Lasttest {name}", "Skapad av bench/load.py.", rng.choice(self.organizations),
                               rng.choice(GOALS), "lasttest")
            call = lambda: session.post(f"{self.base}/api/3/action/package_create", json=body, headers=headers,
                                        timeout=120)
        response, status, _ = self.timed(kind, call)
        with self.lock:
            if kind == "create" and status == 200 and response.json().get("success"):
                self.acknowledged.append(name)
            elif kind.startswith("catalog.") and status == 200:
                self.sizes[kind].append(len(response.content))

    def timed(self, kind: str, call) -> tuple[requests.Response | None, int, float]:
        """Make one request and record it: its time and status under ``kind``, a failure if it failed
        (status 0: no answer)."""
        start = time.perf_counter()
        try:
            response = call()
            status = response.status_code
        except requests.RequestException as error:
            status, response = 0, None
            with self.lock:
                self.failures.append(f"{kind}: {type(error).__name__}: {error}")
        elapsed = time.perf_counter() - start
        with self.lock:
            self.samples[kind].append(elapsed)
            self.timeline.append((round(time.monotonic() - self.started, 3), kind, status, round(elapsed, 4)))
            self.statuses[kind][status] += 1
            self.count += 1
            if status >= 400:
                self.failures.append(f"{kind}: HTTP {status}: {response.text[:200]}")
        return response, status, elapsed


def client(run: Run, seed: int, deadline: float, max_requests: int, mix: list[tuple[str, int]] = MIX) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*mix)
    with requests.Session() as session:
        while time.monotonic() < deadline:
            with run.lock:
                if run.count >= max_requests:
                    return
            run.request(session, rng.choices(kinds, weights)[0], rng)


def reader(run: Run, seed: int, deadline: float, max_requests: int) -> None:
    """The catalog scenario's reader: the complete catalog, RDF/XML and Turtle in turn."""
    rng = random.Random(seed)
    with requests.Session() as session:
        n = seed
        while time.monotonic() < deadline:
            with run.lock:
                if run.count >= max_requests:
                    return
            run.request(session, f"catalog.{CATALOG_FORMATS[n % len(CATALOG_FORMATS)]}", rng)
            n += 1


def editor(run: Run, seed: int, deadline: float, max_requests: int, pause: float) -> None:
    """The catalog scenario's editor: creates a dataset, then saves its own datasets again (new notes) with
    ``package_patch``, one save every ``pause`` seconds at most; every acknowledged save is remembered."""
    rng = random.Random(seed)
    mine: list[str] = []
    headers = {"Authorization": run.token}
    with requests.Session() as session:
        n = 0
        while time.monotonic() < deadline:
            with run.lock:
                if run.count >= max_requests:
                    return
            n += 1
            if not mine or n % 4 == 0:
                kind = "save (create)"
                name = f"bench-load-{run.run_id}-{seed}-{n}"
                notes = f"Lasttest {run.run_id}: skapad av redaktör {seed}, sparning {n}."
                body = new_dataset(name, f"Lasttest {name}", notes, rng.choice(run.organizations),
                                   rng.choice(GOALS), "lasttest")
                action = "package_create"
            else:
                kind = "save (update)"
                name = rng.choice(mine)
                notes = f"Lasttest {run.run_id}: ändrad av redaktör {seed}, sparning {n}."
                body = {"id": name, "notes": notes}
                action = "package_patch"
            response, status, elapsed = run.timed(kind, lambda: session.post(
                f"{run.base}/api/3/action/{action}", json=body, headers=headers, timeout=300))
            if status == 200 and response.json().get("success"):
                with run.lock:
                    if action == "package_create":
                        run.acknowledged.append(name)
                        mine.append(name)
                    run.saved[name] = notes
            time.sleep(max(0.0, pause - elapsed))


def verify_saves(base: str, token: str, saved: dict[str, str]) -> dict[str, list[str]]:
    """Every acknowledged save must be what the database and the search index hold: the dataset exists and
    its notes are those of its last acknowledged save."""
    headers = {"Authorization": token}
    wrong_db, wrong_index = [], []
    for name, notes in saved.items():
        shown = requests.post(f"{base}/api/3/action/package_show", json={"id": name}, headers=headers, timeout=60)
        if shown.status_code != 200 or shown.json()["result"].get("notes") != notes:
            wrong_db.append(name)
        found = requests.post(f"{base}/api/3/action/package_search", headers=headers, timeout=60, json={
            "fq": f'name:"{name}"', "include_private": True}).json()["result"]["results"]
        if not found or found[0].get("notes") != notes:
            wrong_index.append(name)
    return {"missing_in_database": wrong_db, "missing_in_index": wrong_index}


def machine_cpu() -> tuple[int, int]:
    """The machine's CPU time so far, busy and in all (jiffies, /proc/stat's first line; idle and iowait are
    not busy)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:9]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


ROLES = (("jobs worker", "jobs workers"), ("jobs-worker", "jobs workers"), ("harvest-consumer", "harvest consumers"),
         ("uwsgi", "web processes"),
         (" run -H", "web processes"), ("load.py", "clients"), ("java", "Solr"), ("postgres", "PostgreSQL"),
         ("nginx", "nginx"), ("redis", "Redis"))


def cpu_by_role() -> dict[str, float]:
    """CPU seconds used so far by every process of the machine, by what it is (its command line): a
    process's own and its reaped children's (a jobs worker's forked work horses)."""
    used: dict[str, float] = defaultdict(float)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        role = next((name for mark, name in ROLES if mark in command), "other")
        used[role] += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return used


def count_builds(log: str, since: int, server_pid: int | list[int]) -> dict[str, dict[str, int]]:
    """Builds of the catalog documents recorded in ``builds.log`` after its first ``since`` lines, by
    document and by where they ran: a request (the web server's process id) or the jobs worker (our portal's kept
    catalogs; stock CKAN keeps nothing, so has no such log)."""

    if not log or not os.path.exists(log):
        return {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    servers = set(server_pid) if isinstance(server_pid, list) else {server_pid}  # the web processes' ids
    with open(log, encoding="utf-8") as f:
        for line in f.readlines()[since:]:
            build = json.loads(line)
            counts[build["document"]]["request" if build.get("pid") in servers else "jobs worker"] += 1
    return {doc: dict(where) for doc, where in counts.items()}


def log_lines(log: str) -> int:

    if not log or not os.path.exists(log):
        return 0
    with open(log, encoding="utf-8") as f:
        return sum(1 for _ in f)


def verify(base: str, token: str, run_id: str, acknowledged: list[str]) -> dict[str, list[str]]:
    """Every acknowledged create must be in the database and in the search index."""
    headers = {"Authorization": token}
    missing_db = [n for n in acknowledged
                  if requests.post(f"{base}/api/3/action/package_show", json={"id": n}, headers=headers,
                                   timeout=60).status_code != 200]
    indexed: set[str] = set()
    start = 0
    while True:
        result = requests.post(f"{base}/api/3/action/package_search", headers=headers, timeout=120, json={
            "q": f"name:bench-load-{run_id}-*", "rows": 1000, "start": start, "fl": "name",
            "include_private": True}).json()["result"]
        indexed.update(d["name"] for d in result["results"])
        start += 1000
        if start >= result["count"]:
            break
    return {"missing_in_database": missing_db, "missing_in_index": sorted(set(acknowledged) - indexed)}


def clean_up(base: str, token: str, names: list[str]) -> None:
    for name in names:
        requests.post(f"{base}/api/3/action/dataset_purge", json={"id": name}, headers={"Authorization": token},
                      timeout=60)


def markdown(summary: dict, args: argparse.Namespace, base: str) -> str:
    import platform

    version = requests.get(f"{base}/api/3/action/status_show", timeout=60).json()["result"]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        "# Load run (issue 11): N concurrent clients on loopback",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}",
        f"- CKAN {version['ckan_version']}, plugins: {' '.join(version['extensions'])}",
        f"- server: {args.server or base}",
        f"- command: `bench/run-load` (clients {args.clients}, duration {args.duration:g} s, "
        f"at most {args.max_requests} requests)",
        "- mix (weights): " + ", ".join(f"{kind} {weight}" for kind, weight in MIX),
        "",
        "## Result",
        "",
        f"- {summary['requests']} requests in {summary['duration_s']} s: **{summary['requests_per_s']} requests/s**",
        f"- latency over all requests: p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms",
        f"- **5xx answers: {summary['server_errors']}**, transport errors: {summary['transport_errors']}",
        f"- creates acknowledged: {summary['creates_acknowledged']}; **lost writes: {summary['lost_writes']}** "
        "(each acknowledged create looked up with package_show and package_search afterwards)",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms | mean ms | statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, row in summary["by_kind"].items():
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(row["statuses"].items()))
        lines.append(f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | "
                     f"{row['mean_ms']} | {statuses} |")
    if summary["failures"]:
        lines += ["", "## First failures", ""] + [f"- `{f}`" for f in summary["failures"]]
    lines += ["", "Target: zero 5xx and zero lost writes. Latencies are of one 2-core machine running the "
              "portal, its services and the clients together; they are not a production capacity figure.", ""]
    return "\n".join(lines)


def summarize(run: Run, wall: float, lost: dict[str, list[str]], clients: int) -> dict:
    everything = [s for samples in run.samples.values() for s in samples]
    server_errors = sum(n for statuses in run.statuses.values() for code, n in statuses.items() if code >= 500)
    return {
        "clients": clients, "duration_s": round(wall, 1), "requests": run.count,
        "requests_per_s": round(run.count / wall, 2),
        "p50_ms": round(percentile(everything, 50) * 1000, 1), "p95_ms": round(percentile(everything, 95) * 1000, 1),
        "p99_ms": round(percentile(everything, 99) * 1000, 1),
        "server_errors": server_errors, "transport_errors": sum(s.get(0, 0) for s in run.statuses.values()),
        "creates_acknowledged": len(run.acknowledged),
        "lost_writes": len(set(lost["missing_in_database"]) | set(lost["missing_in_index"])),
        "lost": lost,
        "by_kind": {kind: {"requests": len(samples), "p50_ms": round(percentile(samples, 50) * 1000, 1),
                           "p95_ms": round(percentile(samples, 95) * 1000, 1),
                           "p99_ms": round(percentile(samples, 99) * 1000, 1),
                           "mean_ms": round(statistics.fmean(samples) * 1000, 1),
                           "statuses": dict(run.statuses[kind])}
                    for kind, samples in sorted(run.samples.items())},
        "failures": run.failures[:20],
    }


def catalog_markdown(ours: dict, stock: dict) -> str:
    """The catalog scenario's section: ours and stock CKAN, the same load, one run."""
    lines = [
        "# Load run, catalog scenario (issue 23, item 6): readers of the complete catalog while editors save",
        "",
        f"- date: {ours['date']}; command: `{ours['command']}`",
        f"- database: `{ours['database']}`, {ours['public_datasets']} public datasets before the run; "
        f"{ours['readers']} readers fetching `/catalog.rdf` and `/catalog.ttl` in turn, {ours['editors']} editors "
        f"saving (a create, then `package_patch` of their own datasets, one save every {ours['edit_pause_s']:g} s "
        f"at most each), {ours['duration_s']} s per server",
        "- ours: " + ours["server"],
        "- stock: " + stock["server"],
        f"- load average (1 min) before/after: ours {ours['load'][0]}/{ours['load'][1]}, "
        f"stock {stock['load'][0]}/{stock['load'][1]}",
        "",
        "| server | request | count | p50 ms | p95 ms | p99 ms | mean bytes | statuses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, result in (("ours", ours), ("stock", stock)):
        for kind, row in result["by_kind"].items():
            sizes = result["sizes"].get(kind)
            mean_bytes = f"{statistics.fmean(sizes):,.0f}" if sizes else "—"
            statuses = ", ".join(f"{code}: {n}" for code, n in sorted(row["statuses"].items()))
            lines.append(f"| {label} | {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | "
                         f"{row['p99_ms']} | {mean_bytes} | {statuses} |")
    lines += ["", "| | ours | stock | ours / stock |", "|---|---|---|---|"]
    for fmt in CATALOG_FORMATS:
        kind = f"catalog.{fmt}"
        for p in ("p50_ms", "p95_ms"):
            a, b = ours["by_kind"].get(kind, {}).get(p), stock["by_kind"].get(kind, {}).get(p)
            ratio = f"{a / b:.3f}" if a and b else "—"
            lines.append(f"| `/{kind}` {p[:3]} (ms) | {a} | {b} | {ratio} |")
        a, b = ours["by_kind"].get(kind, {}).get("requests"), stock["by_kind"].get(kind, {}).get("requests")
        lines.append(f"| `/{kind}` answers in the run | {a} | {b} | {a / b:.2f} |" if a and b else
                     f"| `/{kind}` answers in the run | {a} | {b} | — |")
    for label, result in (("ours", ours), ("stock", stock)):
        builds = result["builds"]
        said = ("; ".join(f"`{doc}` " + ", ".join(f"{n} in the {where}" for where, n in sorted(w.items()))
                          for doc, w in sorted(builds.items())) or "none") \
            if result["builds_counted"] else "not counted (stock keeps no catalog: every answer is built)"
        lines.append(f"- {label}: saves acknowledged {result['saves_acknowledged']} "
                     f"(datasets {len(result['saved'])}); **5xx {result['server_errors']}**, transport errors "
                     f"{result['transport_errors']}, **lost writes {result['lost_writes']}**; catalog builds: {said}")
    lines += ["", "Stock is ckanext-dcat's own endpoint (`/catalog.{_format}`, profile `euro_dcat_ap_3`) with "
              "`ckanext.dcat.datasets_per_page` raised to the whole catalog, so that both answer the same "
              "datasets in one document; it builds every answer in the request. Ours serves the kept document "
              "and makes the changed parts in the jobs worker after each save (`catalog/refresh.py`), or in "
              "the request if a request comes first; the builds are counted from `builds.log`.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="the portal, on loopback")
    parser.add_argument("--token", help="API token of an editor (or sysadmin)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (at most 600)")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--json", help="write the raw summary here")
    parser.add_argument("--markdown", help="write the results page here (bench/RESULTS-load.md)")
    parser.add_argument("--server", default="", help="how the portal was served, for the results page")
    parser.add_argument("--keep", action="store_true", help="keep the datasets created by the run")
    parser.add_argument("--scenario", choices=["mix", "catalog"], default="mix")
    parser.add_argument("--readers", type=int, default=8, help="the catalog scenario's readers")
    parser.add_argument("--editors", type=int, default=2, help="the catalog scenario's editors")
    parser.add_argument("--edit-pause", type=float, default=2.0, help="an editor's seconds between saves, at least")
    parser.add_argument("--builds-log", default="", help="the server's builds.log (ours), to count builds")
    parser.add_argument("--meta", default="{}", help="JSON merged into the catalog scenario's raw summary")
    parser.add_argument("--without", nargs="*", default=[], choices=[kind for kind, _ in MIX],
                        help="kinds of request left out of the mix (stock CKAN has no goal pages or overview)")
    parser.add_argument("--timeline", action="store_true", help="every answer's time and status in the summary")
    parser.add_argument("--report-catalog", nargs=2, metavar=("OURS", "STOCK"),
                        help="write the catalog scenario's section from two raw summaries and stop")
    args = parser.parse_args()
    if args.report_catalog:
        ours, stock = (json.load(open(path)) for path in args.report_catalog)
        text = catalog_markdown(ours, stock)
        print(text)
        if args.markdown:
            with open(args.markdown, "w") as f:
                f.write(text)
        return 0
    if not args.url or not args.token:
        parser.error("--url and --token are needed for a run")
    host = urlsplit(args.url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        parser.error("load runs target loopback addresses only")
    duration = min(args.duration, 600.0)
    base = args.url.rstrip("/")

    organizations = [o for o in ORGANIZATIONS
                     if requests.get(f"{base}/api/3/action/organization_show", params={"id": o},
                                     timeout=60).status_code == 200]
    found = requests.get(f"{base}/api/3/action/package_search", params={"rows": 50}, timeout=60).json()["result"]
    names = [d["name"] for d in found["results"]]
    if not organizations or not names:
        print("the portal needs its organizations and some public datasets (make run)", file=sys.stderr)
        return 2
    run = Run(base, args.token, uuid.uuid4().hex[:8], organizations, names)
    cpu_before, roles_before = machine_cpu(), cpu_by_role()
    deadline = time.monotonic() + duration
    started = time.perf_counter()
    if args.scenario == "catalog":
        load_before = os.getloadavg()[0]
        builds_before = log_lines(args.builds_log)
        threads = [threading.Thread(target=reader, args=(run, seed, deadline, args.max_requests))
                   for seed in range(args.readers)]
        threads += [threading.Thread(target=editor, args=(run, 1000 + seed, deadline, args.max_requests,
                                                          args.edit_pause)) for seed in range(args.editors)]
        clients = args.readers + args.editors
    else:
        mix = [(kind, weight) for kind, weight in MIX if kind not in args.without]
        threads = [threading.Thread(target=client, args=(run, seed, deadline, args.max_requests, mix))
                   for seed in range(args.clients)]
        clients = args.clients
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    (busy1, total1), (busy0, total0) = machine_cpu(), cpu_before
    cpu = {"machine_busy": round((busy1 - busy0) / max(1, total1 - total0), 3),
           "cores_by_role": {role: round((seconds - roles_before.get(role, 0.0)) / wall, 2)
                             for role, seconds in sorted(cpu_by_role().items())}}
    if args.scenario == "catalog":
        time.sleep(5)  # the saves' background jobs, so that their builds are counted
        builds = count_builds(args.builds_log, builds_before, json.loads(args.meta).get("server_pid", 0))
        lost = verify_saves(base, args.token, run.saved)
    else:
        lost = verify(base, args.token, run.run_id, run.acknowledged)
    if not args.keep:
        clean_up(base, args.token, run.acknowledged)

    summary = summarize(run, wall, lost, clients)
    summary.update(json.loads(args.meta))
    summary["cpu"] = cpu  # the machine's CPU busy share and the cores used by each role
    summary["mix"] = [[kind, weight] for kind, weight in MIX if kind not in args.without]
    if args.timeline:
        summary.update(timeline=run.timeline, started_at=run.started_at)
    if args.scenario == "catalog":
        summary.update(json.loads(args.meta))
        summary.update({
            "scenario": "catalog", "readers": args.readers, "editors": args.editors, "edit_pause_s": args.edit_pause,
            "public_datasets": found["count"], "server": args.server or base,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "builds_counted": bool(args.builds_log), "builds": builds,
            "saves_acknowledged": sum(n for kind, st in run.statuses.items() if kind.startswith("save")
                                      for code, n in st.items() if code == 200),
            "saved": run.saved, "sizes": {k: v for k, v in run.sizes.items()}})
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    if args.markdown and args.scenario == "mix":
        with open(args.markdown, "w") as f:
            f.write(markdown(summary, args, base))
    errors = summary["server_errors"] + summary["lost_writes"] + summary["transport_errors"]
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
