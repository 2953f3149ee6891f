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
ORGANIZATIONS = ["kalmar-kommun", "nybro-kommun", "vastervik-kommun", "region-kalmar-lan"]


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
        self.count = 0

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
        elif kind == "goal page":
            call = lambda: session.get(f"{self.base}/agenda2030/{rng.choice(GOALS)}", timeout=120)
        elif kind == "overview":
            call = lambda: session.get(f"{self.base}/oversikt", timeout=120)
        else:
            name = f"bench-load-{self.run_id}-{uuid.uuid4().hex[:12]}"
            headers = {"Authorization": self.token}
            body = {"name": name, "title": f"Lasttest {name}", "notes": "Skapad av bench/load.py.",
                    "owner_org": rng.choice(self.organizations), "private": False,
                    "classification_confirmed": True, "sdg": [rng.choice(GOALS)], "tags": [{"name": "lasttest"}],
                    "contact_email": "lasttest@example.org",  # not every organization has a default yet
                    "resources": [{"url": f"https://example.se/{name}.csv", "format": "CSV"}]}
            call = lambda: session.post(f"{self.base}/api/3/action/package_create", json=body, headers=headers,
                                        timeout=120)
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
            self.statuses[kind][status] += 1
            self.count += 1
            if kind == "create" and status == 200 and response is not None and response.json().get("success"):
                self.acknowledged.append(name)
            elif status >= 400:
                self.failures.append(f"{kind}: HTTP {status}: {response.text[:200] if response is not None else ''}")


def client(run: Run, seed: int, deadline: float, max_requests: int) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX)
    with requests.Session() as session:
        while time.monotonic() < deadline:
            with run.lock:
                if run.count >= max_requests:
                    return
            run.request(session, rng.choices(kinds, weights)[0], rng)


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
    import os
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the portal, on loopback")
    parser.add_argument("--token", required=True, help="API token of an editor (or sysadmin)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (at most 600)")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--json", help="write the raw summary here")
    parser.add_argument("--markdown", help="write the results page here (bench/RESULTS-load.md)")
    parser.add_argument("--server", default="", help="how the portal was served, for the results page")
    parser.add_argument("--keep", action="store_true", help="keep the datasets created by the run")
    args = parser.parse_args()
    host = urlsplit(args.url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        parser.error("load runs target loopback addresses only")
    duration = min(args.duration, 600.0)
    base = args.url.rstrip("/")

    organizations = [o for o in ORGANIZATIONS
                     if requests.get(f"{base}/api/3/action/organization_show", params={"id": o},
                                     timeout=60).status_code == 200]
    names = [d["name"] for d in requests.get(f"{base}/api/3/action/package_search", params={"rows": 50},
                                             timeout=60).json()["result"]["results"]]
    if not organizations or not names:
        print("the portal needs its organizations and some public datasets (make run)", file=sys.stderr)
        return 2
    run = Run(base, args.token, uuid.uuid4().hex[:8], organizations, names)
    deadline = time.monotonic() + duration
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(run, seed, deadline, args.max_requests))
               for seed in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    lost = verify(base, args.token, run.run_id, run.acknowledged)
    if not args.keep:
        clean_up(base, args.token, run.acknowledged)

    everything = [s for samples in run.samples.values() for s in samples]
    server_errors = sum(n for statuses in run.statuses.values() for code, n in statuses.items() if code >= 500)
    summary = {
        "clients": args.clients, "duration_s": round(wall, 1), "requests": run.count,
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
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(summary, args, base))
    return 0 if server_errors == 0 and summary["lost_writes"] == 0 and summary["transport_errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
