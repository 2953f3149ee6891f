"""What bench/run-cluster checks between its runs, on the cluster's Redis, database and index.

  cluster_checks.py drain REDIS-URL              wait (at most 15 min) until no job waits or runs
  cluster_checks.py after REDIS-URL URL PG-PORT JSON   drain, then the public datasets in the index against
                                                        the database (if they differ, again after `ckan kalmar
                                                        index-reconcile`, $CKAN_INI's); written to JSON; exit 1
                                                        if they still differ or a job was left
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from redis import Redis
from rq import Queue
from rq.registry import ScheduledJobRegistry, StartedJobRegistry


def waiting(redis: Redis) -> dict[str, int]:
    """Jobs queued, running or scheduled for later (the catalogs' refresh), per queue."""
    # (not RQ's own ":intermediate" lists: a job a killed worker had just taken stays there until RQ cleans it)
    names = [key.decode()[len("rq:queue:"):] for key in redis.keys("rq:queue:*")
             if ":intermediate" not in key.decode()]  # (nor RQ's "first seen" marks of those jobs)
    return {name: len(Queue(name, connection=redis)) + len(StartedJobRegistry(name, connection=redis))
            + len(ScheduledJobRegistry(name, connection=redis)) for name in names}


def drain(redis_url: str, timeout: float = 900) -> dict[str, int]:
    redis = Redis.from_url(redis_url)
    started, end = time.monotonic(), time.monotonic() + timeout
    while any(waiting(redis).values()) and time.monotonic() < end:
        time.sleep(2)
    left = waiting(redis)
    print(f"    jobs drained in {time.monotonic() - started:.0f} s; left: {sum(left.values())}", flush=True)
    return left


def public_in_database(pg_port: str) -> int:
    sql = "SELECT count(*) FROM package WHERE state = 'active' AND NOT private AND type = 'dataset'"
    done = subprocess.run(["psql", "-X", "-q", "-tA", "-h", "127.0.0.1", "-p", pg_port, "-U", "ckan", "-d",
                           "ckan_cluster", "-c", sql], capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


def main() -> int:
    command, redis_url = sys.argv[1], sys.argv[2]
    if command == "drain":
        return 1 if any(drain(redis_url).values()) else 0
    url, pg_port, out = sys.argv[3:6]
    left = drain(redis_url, 600)

    def public_in_index() -> int:
        found = requests.get(f"{url}/api/3/action/package_search", params={"rows": 0}, timeout=60).json()
        return found["result"]["count"]

    in_database, in_index = public_in_database(pg_port), public_in_index()
    result = {"jobs_waiting_or_running": left, "public_datasets_database": in_database,
              "public_datasets_index": in_index}
    if in_index != in_database:
        # The portal's own mending (the hourly upkeep's job, here run at once): an entry is removed once older
        # than any request can last (6 min), so it is tried every 30 s for at most 8 min.
        started, said = time.monotonic(), ""
        while in_index != in_database and time.monotonic() - started < 480:
            time.sleep(30)
            done = subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", os.environ["CKAN_INI"],
                                   "kalmar", "index-reconcile"], capture_output=True, text=True)
            said = (done.stdout.strip().splitlines() or [""])[-1]
            in_database, in_index = public_in_database(pg_port), public_in_index()
        result["after_index_reconcile"] = {"seconds": round(time.monotonic() - started), "said": said,
                                           "public_datasets_database": in_database,
                                           "public_datasets_index": in_index}
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))
    return 0 if not any(left.values()) and in_database == in_index else 1


if __name__ == "__main__":
    sys.exit(main())
