"""Reachability of the services the portal needs, and life of its background processes, for monitoring
(``/health``).

Each service check opens a fresh connection to the configured address with a short timeout, so it reports
the service's state now, not a pooled connection's. Details name the failure's kind only, never a URL or a
credential. A service down makes the answer 503.

The background processes are reported beside them (``processes``, with their own ``ok``): the jobs worker
by RQ's own registration and heartbeat in Redis (a worker stopped cleanly leaves at once; one killed leaves
when its RQ heartbeat expires), the harvest consumers by the heartbeat they keep (``jobs/heartbeat.py``). A
process down does not make the web answer 503, since the portal still serves; monitoring reads
``processes.ok``.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import redis
import requests
import sqlalchemy
from sqlalchemy.pool import NullPool

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.jobs import heartbeat

TIMEOUT = 3


def _database() -> None:
    engine = sqlalchemy.create_engine(tk.config["sqlalchemy.url"], poolclass=NullPool,
                                      connect_args={"connect_timeout": TIMEOUT})
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
    finally:
        engine.dispose()


def _solr() -> None:
    url = tk.config["solr_url"].rstrip("/") + "/select"
    response = requests.get(url, params={"q": "*:*", "rows": 0, "wt": "json"}, timeout=TIMEOUT)
    response.raise_for_status()


def _redis() -> None:
    client = redis.Redis.from_url(tk.config["ckan.redis.url"], socket_timeout=TIMEOUT,
                                  socket_connect_timeout=TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "solr": _solr, "redis": _redis}


def _workers() -> dict[str, Any]:
    from rq import Worker

    from ckan.lib import jobs as ckan_jobs

    queue = ckan_jobs.get_queue()
    alive = [w for w in Worker.all(connection=queue.connection, queue=queue) if w.state != "suspended"]
    return {"ok": bool(alive), "count": len(alive)}


def _consumer(queue: str) -> Callable[[], dict[str, Any]]:
    def probe() -> dict[str, Any]:
        age = heartbeat.age(f"harvest-{queue}")
        return {"ok": age is not None, **({"seconds_since_heartbeat": round(age, 1)} if age is not None else {})}

    return probe


PROCESSES: dict[str, Callable[[], dict[str, Any]]] = {
    "jobs_worker": _workers, "harvest_gather": _consumer("gather"), "harvest_fetch": _consumer("fetch")}


def processes() -> dict[str, Any]:
    results = {}
    for name, probe in PROCESSES.items():
        try:
            results[name] = probe()
        except Exception as error:  # Redis unreachable: the process's state is unknown, so not ok
            results[name] = {"ok": False, "error": type(error).__name__}
    return {"ok": all(r["ok"] for r in results.values()), **results}


def check() -> dict[str, Any]:
    results = {}
    for name, probe in CHECKS.items():
        start = time.monotonic()
        try:
            probe()
            results[name] = {"ok": True}
        except Exception as error:  # any failure means "not reachable"; its kind is the detail
            results[name] = {"ok": False, "error": type(error).__name__}
        results[name]["ms"] = round((time.monotonic() - start) * 1000)
    return {"ok": all(r["ok"] for r in results.values()), "services": results, "processes": processes()}
