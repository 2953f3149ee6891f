"""Queueing the extension's background jobs, once per resource and kind, and the context they act in.

Redis being unreachable never stops an editor from saving: the job is then not queued, and
``ckan kalmar queue-pending`` (run by the stack at start, and by the operator after an outage) queues
every check and load that is missing or stale.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from redis.exceptions import RedisError

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context

log = logging.getLogger(__name__)

# In a context: the save is the extension's own job recording what it found (reports, load status). Only
# such saves may write those fields (validator ``kalmar_job_record``), and they queue no further work.
JOB_CONTEXT_FLAG = "kalmar_background_job"


def job_context() -> dict[str, Any]:
    """The context of the extension's background jobs: the site user, and the job flag."""
    return site_context(**{JOB_CONTEXT_FLAG: True})


def enqueue_once(function: Callable[[str], None], kind: str, resource_id: str, title: str,
                 timeout: int = 300) -> int:
    """Queue ``function(resource_id)`` as the job ``kalmar-<kind>-<resource_id>`` unless a run of it is
    already waiting (``enqueue_unique``). Returns 1 if queued now."""
    return enqueue_unique(function, f"kalmar-{kind}-{resource_id}", title, [resource_id], timeout)


# A job's second id: the run queued while the job runs, to start when it ends (``enqueue_unique``).
FOLLOWING = "{}-next"


def enqueue_unique(function: Callable[..., Any], job_id: str, title: str, args: list[Any] | None = None,
                   timeout: int = 300) -> int:
    """Queue ``function(*args)`` as the job ``job_id`` unless a run of it is already waiting. Returns 1 if
    queued now.

    A run of the job that is under way may have read the data before the change that queues it now, so a
    change then queues one more run, which waits for that one to end (RQ's ``depends_on``): two workers
    never run the same job at once (the same DataStore load, say). That run has the job's second id
    (``FOLLOWING``), and the two ids take turns.

    If Redis cannot be reached, nothing is queued and the save goes on: ``ckan kalmar queue-pending``
    queues what is missing later."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Dependency, Job

    from ckan.lib import jobs as ckan_jobs

    def status(some_id: str) -> str | None:
        try:
            return Job.fetch(some_id, connection=ckan_jobs.get_queue().connection).get_status()
        except NoSuchJobError:
            return None

    try:
        ids = (job_id, FOLLOWING.format(job_id))
        statuses = {some_id: status(some_id) for some_id in ids}
        running = next((some_id for some_id in ids if statuses[some_id] == "started"), None)
        if "queued" in statuses.values() or (running is not None and "deferred" in statuses.values()):
            return 0
        for some_id in ids:  # a run that waited for one no longer running (cleared): replaced now
            if statuses[some_id] == "deferred":
                Job.fetch(some_id, connection=ckan_jobs.get_queue().connection).delete()
        rq_kwargs: dict[str, Any] = {"timeout": timeout, "job_id": job_id}
        if running is not None:
            # It runs even if the running one fails (a failed load is retried by the next change's run).
            rq_kwargs.update(job_id=ids[1] if running == ids[0] else ids[0],
                             depends_on=Dependency(jobs=[running], allow_failure=True))
        tk.enqueue_job(function, args or [], title=title, rq_kwargs=rq_kwargs)
    except RedisError as error:
        log.warning("%s not queued (Redis unreachable: %s)", title, error)
        return 0
    return 1
