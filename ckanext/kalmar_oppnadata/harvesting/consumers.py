"""ckanext-harvest's gather and fetch consumers, kept running.

- **As the site user.** ckanext-dcat's harvester looks up the dataset a harvested URI already has with
  ``package_show`` and an empty context, that is as the current user. Outside a web request that is
  anonymous, who may not see a withdrawn (deleted) dataset, so a dataset back at its source after being
  withdrawn raised ``NotAuthorized`` and ended the consumer. The consumers run in a request context whose
  user is the site user, which is what the harvester writes as anyway.
- **Waiting again.** The consumers wait on Redis with a blocking pop that has no time limit, but the Redis
  client CKAN 2.12 installs (redis-py 8) gives up any read after its socket timeout: an idle consumer then
  exits with ``redis.exceptions.TimeoutError``. Here it starts waiting again; a message is taken off the
  queue only by a completed pop, so nothing is lost.
- **Alive, visibly.** A heartbeat in Redis (``jobs/heartbeat.py``) says the consumer runs; ``/health`` reports
  it.
- **Not ended by one bad message.** Any other error is logged and the consumer goes on with the next
  message (ckanext-harvest's job runner re-queues messages left unfinished).
"""
from __future__ import annotations

import logging
import time
from typing import Any

from ckanext.kalmar_oppnadata.common import site_context
from ckanext.kalmar_oppnadata.jobs import heartbeat

log = logging.getLogger(__name__)

def consume(queue: str) -> None:
    """Run the ``queue`` consumer ("gather" or "fetch") until the process is stopped. Call inside a request
    context (the CLI command does)."""
    from ckanext.harvest import utils

    run = {"gather": utils.gather_consumer, "fetch": utils.fetch_consumer}[queue]
    with heartbeat.running(f"harvest-{queue}"):  # /health reports a consumer whose heartbeat stopped
        _consume(queue, run)


def _consume(queue: str, run: Any) -> None:
    import redis
    from flask import g

    while True:
        try:
            if not getattr(g, "user", None):
                g.user = site_context()["user"]
            run()
        except redis.exceptions.TimeoutError:
            log.debug("%s consumer: no message within the socket timeout; waiting again", queue)
        except Exception:  # noqa: BLE001 - a supervisor's loop: report, then consume on
            log.exception("%s consumer: a message failed; going on with the next", queue)
            import ckan.model as model

            model.Session.remove()
            time.sleep(2)
