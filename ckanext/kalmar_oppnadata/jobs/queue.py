"""Queueing the extension's background jobs, once per resource and kind, and the context they act in.

Redis being unreachable never stops an editor from saving: the job is then not queued, and
``ckan kalmar queue-pending`` (run by the stack at start, and by the operator after an outage) queues
every check and load that is missing or stale.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Callable

from redis.exceptions import RedisError

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context

log = logging.getLogger(__name__)

# In a context: the save is the extension's own job recording what it found (reports, load status). Only
# such saves may write those fields (validator ``kalmar_job_record``), and they queue no further work.
JOB_CONTEXT_FLAG = "kalmar_background_job"


def job_context() -> dict[str, Any]:
    """The context of the extension's background jobs: the site user, and the job flag.

    The site user's row is read once here: CKAN's ``check_access`` otherwise reads it again for every
    action a job calls (a ``resource_show`` twice), each on a copy of this context."""
    context = site_context(**{JOB_CONTEXT_FLAG: True})
    context["auth_user_obj"] = model.User.get(context["user"])
    return context


def enqueue_once(function: Callable[[str], None], kind: str, resource_id: str, title: str,
                 timeout: int = 300) -> int:
    """Queue ``function(resource_id)`` as the job ``kalmar-<kind>-<resource_id>`` unless that job is already
    waiting. Returns 1 if queued now."""
    return enqueue_unique(function, f"kalmar-{kind}-{resource_id}", title, [resource_id], timeout)


# A job waiting to run: in the queue, waiting for another, or scheduled for later (``delay``)
WAITING = ("queued", "deferred", "scheduled")


def enqueue_unique(function: Callable[..., Any], job_id: str, title: str, args: list[Any] | None = None,
                   timeout: int = 300, delay: int = 0) -> int:
    """Queue ``function(*args)`` as the job ``job_id`` unless that job is already waiting. Returns 1 if
    queued now.

    With ``delay`` (seconds), the job is scheduled to enter the queue that much later (the jobs worker's
    scheduler moves it), so that what happens meanwhile is done by one run: the job is queued at most once
    per ``delay`` and what it does, plus the time it runs.

    If Redis cannot be reached, nothing is queued and the save goes on: ``ckan kalmar queue-pending``
    queues what is missing later."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from ckan.lib import jobs as ckan_jobs

    queue = ckan_jobs.get_queue()
    try:
        try:
            if Job.fetch(job_id, connection=queue.connection).get_status() in WAITING:
                return 0
        except NoSuchJobError:
            pass
        if delay > 0:
            # As ``tk.enqueue_job`` does, with the title in the job's meta (``ckan jobs list`` shows it)
            queue.enqueue_in(timedelta(seconds=delay), function, *(args or []), job_id=job_id,
                             job_timeout=timeout, meta={"title": title})
            log.info("%s scheduled in %s s", title, delay)
        else:
            tk.enqueue_job(function, args or [], title=title, rq_kwargs={"timeout": timeout, "job_id": job_id})
    except RedisError as error:
        log.warning("%s not queued (Redis unreachable: %s)", title, error)
        return 0
    return 1
