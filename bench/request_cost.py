"""What one request of each kind costs the machine, unsaturated: one client, one kind at a time.

The load runs saturate the 2-core machine, so their p50 follows the CPU the whole mix asks for: a
slower kind there may be slow in itself or slowed by what runs beside it (Solr, the jobs workers). Here
each kind is asked REQUESTS times in a row by one client against a quiet portal, and the CPU every
process of the machine used meanwhile (by role, ``load.cpu_by_role``) is divided by the requests. For
creates, the jobs they queue (file check, DataStore load, catalog parts) are waited for and counted too.

    python bench/request_cost.py --url URL --token TOKEN --json OUT [--kinds search "search page" ...]

The cluster bench (bench/run-cluster) runs it against our cluster and stock's, one after the other.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

import requests
from cluster_checks import drain
from load import MIX, Run, clean_up, cpu_by_role, percentile

ROLES = ("web processes", "Solr", "PostgreSQL", "jobs workers", "nginx", "Redis")


def measure(run: Run, kind: str, count: int, redis_url: str) -> dict:
    """``count`` requests of ``kind`` in a row; wall times, and CPU seconds per request by role."""
    rng = random.Random(7)
    with requests.Session() as session:
        for _ in range(3):  # warm: the first request of a kind fills the processes' caches
            run.request(session, kind, rng)
        if redis_url:
            drain(redis_url)
        before, mark = cpu_by_role(), len(run.samples[kind])
        for _ in range(count):
            run.request(session, kind, rng)
        if redis_url:
            drain(redis_url)  # what the requests queued is part of their cost
        after = cpu_by_role()
    samples = run.samples[kind][mark:]
    cpu = {role: round((after.get(role, 0.0) - before.get(role, 0.0)) / count * 1000, 1) for role in ROLES}
    return {"requests": len(samples), "p50_ms": round(percentile(samples, 50) * 1000, 1),
            "mean_ms": round(statistics.fmean(samples) * 1000, 1), "cpu_ms": cpu,
            "cpu_ms_total": round(sum(cpu.values()), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True, help="API token of a sysadmin (for creates)")
    parser.add_argument("--redis", default="", help="the jobs queue's Redis URL: creates' jobs are waited for")
    parser.add_argument("--kinds", nargs="*", default=["search", "dataset page", "search page", "create"],
                        choices=[kind for kind, _ in MIX])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--json", help="write the raw results here")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    found = requests.get(f"{base}/api/3/action/package_search", params={"rows": 50}, timeout=60).json()["result"]
    run = Run(base, args.token, f"cost{int(time.time())}", ["kalmar-kommun", "nybro-kommun"],
              [d["name"] for d in found["results"]])
    results = {kind: measure(run, kind, args.requests, args.redis) for kind in args.kinds}
    summary = {"label": args.label, "url": base, "requests_per_kind": args.requests, "by_kind": results,
               "failures": run.failures[:20], "created": len(run.acknowledged)}
    clean_up(base, args.token, run.acknowledged)
    print(json.dumps(summary, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
