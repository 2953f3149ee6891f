"""The jobs worker the portal runs (``ckan kalmar jobs-worker``): CKAN's, with each job run in the worker's
own process.

CKAN's worker (``ckan jobs worker``, ``ckan.lib.jobs.Worker``) forks a work horse for each job, as RQ does,
and the work horse first runs ``load_environment``: every plugin unloaded and loaded again, templates and
configuration included: about 0.7 s of CPU per job, measured on the cluster (bench/RESULTS-cluster.md).
Forking without that reload still cost about 0.2 s of CPU per job: each work horse starts cold, and makes
again what the worker's process had never made (the Swedish locale's data, the database connection, the
compiled queries), then throws it away. A DataStore load of a file that cannot be fetched, the commonest
job under load, cost 267 ms of CPU forked and 49 ms in the worker's process.

So this worker runs each job in its own process, as RQ's ``SimpleWorker`` does, and keeps the rest of
CKAN's (its registration, its log lines, failure handling; no ``IForkObserver`` is told of a fork, as none
is made). Around each job:

- before it, the site settings an administrator edits in the web UI are read again if they changed, as
  each of CKAN's web requests does (``app_globals``: one query for the time of the last change, and all
  of them only after one), so a job uses what is set now, not what was set when the worker started;
- after it, the job's database session is closed (``Session.remove``); the connection pool stays;
- a job's time limit still holds (RQ's alarm signal, in this process);
- if the process has grown beyond ``ckanext.kalmar_oppnadata.jobs_worker_max_memory`` MB (a large file's
  load leaves Python's memory with the process), the worker stops taking jobs, leaves RQ's register and
  starts itself again in the same process (``exec``), so its memory never stays at a large load's peak
  (not a burst worker, which ends when the queue is empty, nor one asked to stop meanwhile);
- while it runs, a thread renews the worker's heartbeat in Redis (so a worker killed during a job leaves
  RQ's list of workers, and ``/health``, within 90 s), and ends the process if the job is still running a
  minute after its time limit (stuck in a database call, where RQ's alarm cannot interrupt it), as RQ's
  forking worker kills such a work horse.

Not done here, unlike RQ's forking worker: the job's own heartbeat is not renewed while it runs; it is set
for the job's whole time limit (plus a minute) when it starts. A job whose worker was killed is taken for
abandoned (and failed by RQ's clean-up) only after that; a DataStore load is queued again sooner, through
its own heartbeat (jobs/heartbeat.py) and ``ckan kalmar queue-pending``.

A job that kills its process (out of memory) kills the worker: it is restarted as any stopped daemon (the
stack's ``start`` and ``cluster restore``, the containers' restart policy), and ``ckan kalmar
queue-pending`` queues again the load it interrupted (its heartbeat expired, jobs/heartbeat.py).

Jobs scheduled for later (the catalogs' refresh, ``catalog/refresh.py``) are moved into the queue by RQ's
scheduler, which one worker runs (it holds a lock in Redis). If that worker dies, the lock expires after
about a minute, and another worker takes it over at its next maintenance: every ``MAINTENANCE`` seconds
after a job, and at the latest when its wait for a job (``WORKER_TTL`` less 15 s) ends. RQ's defaults (10
minutes, 420 s) would leave a scheduled job waiting that long.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from rq.exceptions import StopRequested
from rq.worker import WorkerStatus
from rq.worker.worker_classes import SimpleWorker

import ckan.lib.app_globals as app_globals
import ckan.lib.jobs as ckan_jobs
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.search import reindexing

log = logging.getLogger(__name__)

MAINTENANCE = 30
WORKER_TTL = 60


def resident_megabytes() -> float:
    """The process's resident memory now (Linux: /proc/self/statm), in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Worker(ckan_jobs.Worker):
    grown = False  # set when the process outgrew its limit: work() starts it again
    restarts = False  # whether it may stop for its memory (work(): not a burst worker)

    def execute_job(self, job: Any, queue: Any) -> None:
        """Run ``job`` here, as RQ's SimpleWorker does (module notes)."""
        title = f"{job.id} ({job.meta['title']})" if (job.meta or {}).get("title") else job.id
        origin = ckan_jobs.remove_queue_name_prefix(job.origin)
        log.info('Worker %s starts job %s from queue "%s"', self.key, title, origin)  # as CKAN's worker logs it
        self.prepare_execution(job)
        try:
            app_globals.app_globals._check_uptodate()  # as CKAN's web requests do (module notes)
        except StopRequested:
            raise
        except Exception:  # noqa: BLE001 - the job still runs, with the settings read before
            log.exception("the site settings could not be read again for job %s", job.id)
            model.Session.remove()  # not a failed transaction for the job to start in
        done = threading.Event()
        watch = threading.Thread(target=self._watch, args=(job, done), name=f"watch {job.id}", daemon=True)
        watch.start()
        try:
            self.perform_job(job, queue)
        finally:
            done.set()
            watch.join()
        self.set_state(WorkerStatus.IDLE)
        log.info('Worker %s has finished job %s from queue "%s"', self.key, title, origin)
        limit = tk.config.get("ckanext.kalmar_oppnadata.jobs_worker_max_memory")
        if self.restarts and limit and not self._stop_requested and (used := resident_megabytes()) > limit:
            log.warning("jobs worker at %.0f MB after job %s (limit %s MB): stopping to start again", used, job.id,
                        limit)
            self.grown = True
            raise StopRequested()  # RQ's loop ends, and its teardown leaves the register, stops the scheduler

    def _watch(self, job: Any, done: threading.Event) -> None:
        """While ``job`` runs: the worker's heartbeat in Redis, every ``job_monitoring_interval`` seconds (so
        that a worker killed during a job leaves RQ's list of workers, and ``/health``, within
        ``job_monitoring_interval`` + 60 s), and its end if the job is stuck a minute past its time limit
        where RQ's alarm cannot reach it (a C call, a database call), as RQ's forking worker kills such a
        work horse; the worker is then started again (module notes)."""
        interval = self.job_monitoring_interval
        deadline = time.monotonic() + job.timeout + 60 if job.timeout and job.timeout > 0 else None
        while True:
            wait = interval if deadline is None else min(interval, max(0.0, deadline - time.monotonic()))
            if done.wait(wait):
                return
            if deadline is not None and time.monotonic() >= deadline:
                _overran(job.id)
            try:
                self.heartbeat(interval + 60)
            except Exception:  # noqa: BLE001 - Redis away for a moment: the next beat may reach it
                log.warning("the jobs worker's heartbeat could not be sent", exc_info=True)

    def prepare_job_execution(self, job: Any, *args: Any, **kwargs: Any) -> None:
        super().prepare_job_execution(job, *args, **kwargs)
        # RQ has just set the worker's heartbeat, like the job's, for the job's whole time limit: the
        # worker's is renewed while the job runs (_watch), so it lasts one interval.
        self.heartbeat(self.job_monitoring_interval + 60)

    def get_heartbeat_ttl(self, job: Any) -> int:
        # The job's (and its execution's) heartbeat is not renewed while it runs (only the worker's, _watch):
        # set for the job's whole time limit, so that RQ never takes a running job for an abandoned one.
        return SimpleWorker.get_heartbeat_ttl(self, job)

    def perform_job(self, job: Any, queue: Any) -> bool:
        # RQ's, without CKAN's disposal of the database engine after each job (meant for a work horse about
        # to exit): the job's session is closed, the pool kept.
        try:
            return super(ckan_jobs.Worker, self).perform_job(job, queue)
        finally:
            try:
                model.Session.remove()
            except Exception:  # noqa: BLE001 - as CKAN's worker: logged, the next job gets a new session
                log.exception("error while closing the job's database session")


def _overran(job_id: str) -> None:
    log.critical("job %s is still running a minute after its time limit: the jobs worker ends", job_id)
    logging.shutdown()
    os._exit(1)


def work(queues: list[str], burst: bool = False, max_idle_time: int | None = None,
         with_scheduler: bool = True) -> bool:
    """Take jobs from ``queues`` (CKAN's default queue if none) and run them, as ``ckan jobs worker``; start
    the process again (the same command) if it outgrew its memory limit. A burst worker (``burst``: until
    the queues are empty, as the tests run it inside their own process) ends anyway, and never restarts."""
    worker = Worker(queues, maintenance_interval=MAINTENANCE, worker_ttl=WORKER_TTL)
    worker.restarts = not burst
    try:
        result = worker.work(burst=burst, max_idle_time=max_idle_time, with_scheduler=with_scheduler)
    except StopRequested:  # told to stop while it was stopping to start again: it stays stopped
        log.info("jobs worker stopped on request")
        return True
    if burst:  # what its jobs recorded is searchable when it returns, not only a second later
        reindexing.make_searchable()
    if worker.grown and not worker._stop_requested:  # (not if a stop was asked for meanwhile)
        # From here a stop signal ends the process at once: it has left RQ's register already.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, *sys.argv])
    return result
