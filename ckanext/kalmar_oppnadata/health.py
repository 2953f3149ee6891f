"""Reachability of the services the portal needs, for monitoring (``/health``).

Each check opens a fresh connection to the configured address with a short timeout, so it reports the
service's state now, not a pooled connection's. Details name the failure's kind only, never a URL or a
credential.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import redis
import requests
import sqlalchemy
from sqlalchemy.pool import NullPool

import ckan.plugins.toolkit as tk

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
    return {"ok": all(r["ok"] for r in results.values()), "services": results}
