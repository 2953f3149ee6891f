"""One run at a time across every process that shares the database (web processes, jobs workers, other
machines): a PostgreSQL advisory lock per name, held on a connection of its own, so that it is released
when the process dies (killed, out of memory, machine gone) and nothing is left to clean up.

Used by the kept catalogs' builds (``catalog/caching.build_lock``) and by the DataStore loads
(``files/loading.py``): with several jobs workers, a second run of one resource's load waits for the
first instead of replacing the table under it.
"""
from __future__ import annotations

import contextlib
import hashlib
import time
from typing import Iterator

import sqlalchemy as sa

import ckan.model as model

_LOCK_CLASS = 0x4B41  # "KA": the extension's advisory locks, apart from anyone else's


def _lock_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


@contextlib.contextmanager
def one_at_a_time(name: str, wait: float) -> Iterator[bool]:
    """Hold the lock ``name``, waiting at most ``wait`` seconds for whoever holds it (then TimeoutError);
    yields whether another run was waited for."""
    connection = model.meta.engine.connect()
    key = {"c": _LOCK_CLASS, "o": _lock_id(name)}
    waited = released = False
    try:
        deadline = time.monotonic() + wait
        while not connection.execute(sa.text("SELECT pg_try_advisory_lock(:c, :o)"), key).scalar():
            waited = True
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not end within {wait:.0f} s")
            time.sleep(0.1)
        connection.commit()
        try:
            yield waited
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:c, :o)"), key)
            connection.commit()
            released = True
    finally:
        if not released:
            # Interrupted (a job's time limit, a stop) with the lock perhaps held: the connection is closed
            # rather than returned to the pool, which ends its session and every lock it held.
            connection.invalidate()
        connection.close()
