"""The jobs worker the portal runs (``ckan kalmar jobs-worker``): CKAN's, without loading CKAN again per job.

CKAN's worker (``ckan jobs worker``, ``ckan.lib.jobs.Worker``) forks a work horse for each job, as RQ does,
and the work horse first runs ``load_environment``: every plugin unloaded and loaded again, templates and
configuration included. Measured on the cluster (bench/RESULTS-cluster.md), that took about 0.7 s of CPU
per job, more than most of the portal's jobs themselves; each dataset saved queues two (its DataStore load
and the catalogs' refresh).

The work horse is a fork of a worker that has loaded CKAN already, so it starts with everything loaded.
This worker keeps the rest of CKAN's (the database engine disposed of before the fork and after the job,
the fork observers, the logging) and refreshes in the work horse only what can change while the worker
runs: the site settings an administrator edits in the web UI (``app_globals``, one query).

Jobs scheduled for later (the catalogs' refresh, ``catalog/refresh.py``) are moved into the queue by RQ's
scheduler, which one worker runs (it holds a lock in Redis). If that worker dies, the lock expires after
about a minute, and another worker takes it over at its next maintenance: every ``MAINTENANCE`` seconds
after a job, and at the latest when its wait for a job (``WORKER_TTL`` less 15 s) ends. RQ's defaults (10
minutes, 420 s) would leave a scheduled job waiting that long.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.lib.app_globals as app_globals
import ckan.lib.jobs as ckan_jobs

log = logging.getLogger(__name__)

MAINTENANCE = 30
WORKER_TTL = 60


class Worker(ckan_jobs.Worker):
    def main_work_horse(self, job: Any, queue: Any) -> None:
        # Right after the fork, in the work horse: RQ's own start of a work horse, without CKAN's
        # load_environment (module notes). Outside RQ's own handling of the work horse, so nothing may
        # escape: if the settings cannot be read (the database unreachable), the job runs with the worker's.
        try:
            app_globals.reset()
        except Exception:  # noqa: BLE001 - the job still runs, and says why below
            log.exception("the site settings could not be read again for job %s", job.id)
        return super(ckan_jobs.Worker, self).main_work_horse(job, queue)


def work(queues: list[str], burst: bool = False, max_idle_time: int | None = None,
         with_scheduler: bool = True) -> bool:
    """Take jobs from ``queues`` (CKAN's default queue if none) and run them, as ``ckan jobs worker``."""
    worker = Worker(queues, maintenance_interval=MAINTENANCE, worker_ttl=WORKER_TTL)
    return worker.work(burst=burst, max_idle_time=max_idle_time, with_scheduler=with_scheduler)
