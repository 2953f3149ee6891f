"""A heartbeat in Redis that says a job or a process is alive.

While a block runs, Redis holds ``kalmar:heartbeat:<name>``, refreshed by a thread three times per lifetime
(``ckanext.kalmar_oppnadata.heartbeat_seconds``). A process that dies (killed, out of memory, machine gone)
stops refreshing it and it expires: how a load or a consumer that died is told from one that is busy.
"""
from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from typing import Iterator

from redis.exceptions import RedisError

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)
HEARTBEAT_PREFIX = "kalmar:heartbeat:"


def lifetime() -> int:
    """Seconds a heartbeat lives unless refreshed."""
    return tk.config.get("ckanext.kalmar_oppnadata.heartbeat_seconds")


@contextlib.contextmanager
def running(name: str) -> Iterator[str]:
    """While the block runs, Redis holds ``kalmar:heartbeat:<name>``, refreshed by a thread three times per
    lifetime. A process that dies (killed, out of memory, machine gone) stops refreshing it, and it expires
    within ``lifetime()``: how a load or a consumer that died is told from one that is busy.
    Yields the name to record. Redis being unreachable never stops the work."""
    from ckan.lib.redis import connect_to_redis

    ttl = max(1, int(lifetime()))
    key = HEARTBEAT_PREFIX + name
    stop = threading.Event()

    def beat() -> None:
        while True:
            try:
                connect_to_redis().set(key, datetime.datetime.now(datetime.timezone.utc).isoformat(), ex=ttl)
            except RedisError as error:
                log.warning("heartbeat %s not written: %s", name, error)
            if stop.wait(ttl / 3):
                return

    thread = threading.Thread(target=beat, name=f"heartbeat-{name}", daemon=True)
    thread.start()
    try:
        yield name
    finally:
        stop.set()
        thread.join()
        with contextlib.suppress(RedisError):
            connect_to_redis().delete(key)


def age(name: str) -> float | None:
    """Seconds since the heartbeat ``name`` was last written; None if it is not alive (or Redis cannot
    be asked: see ``alive``)."""
    from ckan.lib.redis import connect_to_redis

    value = connect_to_redis().get(HEARTBEAT_PREFIX + name)
    if not value:
        return None
    written = datetime.datetime.fromisoformat(value.decode() if isinstance(value, bytes) else value)
    return (datetime.datetime.now(datetime.timezone.utc) - written).total_seconds()


def alive(name: str) -> bool | None:
    """Whether the heartbeat ``name`` is alive; None if Redis cannot be asked."""
    try:
        return age(name) is not None
    except RedisError:
        return None
