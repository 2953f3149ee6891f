"""Background jobs (CKAN's RQ jobs on Redis): validating resources against their specification.

A CSV resource of a dataset that conforms to a specification with a Table Schema is validated after it
is created or its file changes. The report is stored on the resource (``validation_report``); only
this job writes it (see the validator ``kalmar_job_record``).

Redis being unreachable never stops an editor from saving: the job is then not queued, and
``ckan kalmar queue-pending`` (run by the stack at start, and by the operator after an outage)
queues every check and load that is missing or stale.
"""
from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import threading
import time
from typing import Any, Iterator

import requests
from redis.exceptions import RedisError

import ckan.plugins.toolkit as tk
from ckan.lib import uploader

from . import file_validation, specifications
from .files import fetch
from .logic.validators import as_list

log = logging.getLogger(__name__)
JOB_CONTEXT_FLAG = "kalmar_background_job"
HEARTBEAT_PREFIX = "kalmar:heartbeat:"


def heartbeat_seconds() -> int:
    return tk.config.get("ckanext.kalmar_oppnadata.heartbeat_seconds")


@contextlib.contextmanager
def heartbeat(name: str) -> Iterator[str]:
    """While the block runs, Redis holds ``kalmar:heartbeat:<name>``, refreshed by a thread three times per
    lifetime. A process that dies (killed, out of memory, machine gone) stops refreshing it, and it expires
    within ``heartbeat_seconds``: how a load or a consumer that died is told from one that is busy.
    Yields the name to record. Redis being unreachable never stops the work."""
    from ckan.lib.redis import connect_to_redis

    ttl = max(1, int(heartbeat_seconds()))
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


def heartbeat_age(name: str) -> float | None:
    """Seconds since the heartbeat ``name`` was last written; None if it is not alive (or Redis cannot
    be asked: see ``heartbeat_alive``)."""
    from ckan.lib.redis import connect_to_redis

    value = connect_to_redis().get(HEARTBEAT_PREFIX + name)
    if not value:
        return None
    written = datetime.datetime.fromisoformat(value.decode() if isinstance(value, bytes) else value)
    return (datetime.datetime.now(datetime.timezone.utc) - written).total_seconds()


def heartbeat_alive(name: str) -> bool | None:
    """Whether the heartbeat ``name`` is alive; None if Redis cannot be asked."""
    try:
        return heartbeat_age(name) is not None
    except RedisError:
        return None


def specification_for(dataset: dict[str, Any]) -> dict[str, Any] | None:
    """The first specification the dataset conforms to that has a Table Schema."""
    for uri in as_list(dataset.get("conforms_to")):
        spec = specifications.get(str(uri))
        if spec and spec.get("table_schema"):
            return spec
    return None


def is_csv(resource: dict[str, Any]) -> bool:
    return str(resource.get("format") or "").lower() == "csv" or resource.get("mimetype") == "text/csv"


def recorded(resource: dict[str, Any], field: str) -> dict[str, Any] | None:
    """What a background job recorded on a resource (a JSON object, stored as text), or None."""
    value = resource.get(field)
    if isinstance(value, str) and value:
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value or None


def report_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    return recorded(resource, "validation_report")


def needs_validation(resource: dict[str, Any], spec: dict[str, Any] | None) -> bool:
    if spec is None or not is_csv(resource):
        return False
    report = report_of(resource)
    if not report or report.get("specification") != spec["uri"]:
        return True
    return not same_file(report, resource)


def same_file(record: dict[str, Any], resource: dict[str, Any]) -> bool:
    """Whether what a job recorded (a report, a load status) is about the resource's current file: an
    upload by its checksum (when known), a link by its address."""
    if resource.get("url_type") == "upload":
        return not resource.get("hash") or record.get("file_sha1") == resource.get("hash")
    return record.get("file_url") == resource.get("url")


def enqueue_if_needed(context: dict[str, Any], dataset: dict[str, Any]) -> int:
    """After a dataset or resource is saved: queue the resources whose report is missing or stale.

    Returns how many checks are queued now. If Redis cannot be reached, nothing is queued and the save
    goes on: the checks are picked up by ``queue_pending`` later.
    """
    if context.get(JOB_CONTEXT_FLAG):
        return 0
    spec = specification_for(dataset)
    return sum(enqueue_once(validate_resource, "validate", r["id"], f"Validate {r['id']} against {spec['name']}")
               for r in dataset.get("resources", []) if r.get("id") and needs_validation(r, spec))


def enqueue_once(function: Any, kind: str, resource_id: str, title: str, timeout: int = 300) -> int:
    """Queue ``function(resource_id)`` as the job ``kalmar-<kind>-<resource_id>`` unless that job is already
    waiting: saving a resource triggers both the resource and the dataset hooks. Returns 1 if queued now.

    If Redis cannot be reached, nothing is queued and the save goes on: ``ckan kalmar queue-pending``
    queues what is missing later."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from ckan.lib import jobs as ckan_jobs

    job_id = f"kalmar-{kind}-{resource_id}"
    try:
        try:
            if Job.fetch(job_id, connection=ckan_jobs.get_queue().connection).get_status() in ("queued", "deferred"):
                return 0
        except NoSuchJobError:
            pass
        tk.enqueue_job(function, [resource_id], title=title, rq_kwargs={"timeout": timeout, "job_id": job_id})
    except RedisError as error:
        log.warning("%s not queued (Redis unreachable: %s); 'ckan kalmar queue-pending' queues it later",
                    title, error)
        return 0
    return 1


def _seconds_queued() -> float:
    """How long the running RQ job waited in the queue (0 outside a job)."""
    from rq import get_current_job

    job = get_current_job()
    queued_at = getattr(job, "enqueued_at", None)
    if queued_at is None:
        return 0.0
    if queued_at.tzinfo is None:
        queued_at = queued_at.replace(tzinfo=datetime.timezone.utc)
    return (datetime.datetime.now(datetime.timezone.utc) - queued_at).total_seconds()


def saved_resource(context: dict[str, Any], resource_id: str, patience: float = 10.0) -> dict[str, Any] | None:
    """The resource a job is about, waiting briefly for the save that queued the job to commit: CKAN calls
    ``after_dataset_create`` before it commits, so a quick worker may look before the resource exists.
    The wait counts from when the job was queued, so a job that waited in a backlog does not wait again.
    None if it does not appear (deleted meanwhile, or the save failed)."""
    import ckan.model as model

    deadline = time.monotonic() + max(0.0, patience - _seconds_queued())
    while True:
        try:
            return tk.get_action("resource_show")(dict(context), {"id": resource_id})
        except tk.ObjectNotFound:
            if time.monotonic() >= deadline:
                return None
            model.Session.remove()  # see what other transactions committed meanwhile
            time.sleep(0.25)


def queue_pending() -> tuple[int, int]:
    """Queue every file check and DataStore load that is missing or stale, in every dataset (also private
    and draft ones). Returns (datasets looked at, jobs queued)."""
    from .search import all_datasets
    from .tables import loading

    seen = queued = 0
    for dataset in all_datasets(job_context(), include_private=True, include_drafts=True):
        seen += 1
        if dataset.get("harvest_source_id"):
            continue  # a harvested dataset's files are its source's (as in the plugin's save hooks)
        queued += enqueue_if_needed({}, dataset) + loading.enqueue_if_needed({}, dataset)
    return seen, queued


def portal_gettext(message: str) -> str:
    """``message`` in the portal's default language, from CKAN's and the extension's catalogs, for text a
    job stores (a preview's title): a job has no request to take a language from, and CKAN's ``_``
    leaves text untranslated there."""
    from babel.support import Translations

    import ckan

    locale = tk.config.get("ckan.locale_default") or "en"
    translations = Translations.load(os.path.join(os.path.dirname(ckan.__file__), "i18n"), [locale], "ckan")
    ours = Translations.load(os.path.join(os.path.dirname(__file__), "i18n"), [locale], "ckanext-kalmar_oppnadata")
    if isinstance(translations, Translations) and isinstance(ours, Translations):
        translations.merge(ours)
    return translations.gettext(message)


def job_context() -> dict[str, Any]:
    """The context of the extension's background jobs: the site user, and the flag that lets only them
    write what they record on a resource (reports, load status)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"], JOB_CONTEXT_FLAG: True}


class Unreadable(Exception):
    """A resource's file could not be read; ``sv`` and ``en`` say why (shown on the resource)."""

    def __init__(self, sv: str, en: str):
        super().__init__(en)
        self.sv, self.en = sv, en


def read_file(resource: dict[str, Any], limit: int = file_validation.MAX_BYTES + 1) -> bytes:
    """The resource's bytes (at most ``limit``): from the portal's storage, or a link to a public address
    (every redirect checked too, see ``files.fetch``). Raises ``Unreadable`` saying why not."""
    if resource.get("url_type") == "upload":
        path = uploader.get_resource_uploader(resource).get_path(resource["id"])
        if isinstance(path, str) and os.path.isfile(path):
            with open(path, "rb") as f:
                return f.read(limit)
        raise Unreadable("Den uppladdade filen finns inte i portalens lagring.",
                         "The uploaded file is not in the portal's storage.")
    url = resource.get("url") or ""
    try:
        fetched = fetch.fetch(url, limit=limit)
    except fetch.AddressRefused as refused:
        raise Unreadable(refused.sv, refused.en) from None
    except requests.RequestException as error:
        raise Unreadable(f"Filen kunde inte hämtas från {url} ({type(error).__name__}).",
                         f"The file could not be fetched from {url} ({type(error).__name__}).") from None
    if fetched.status >= 400:
        raise Unreadable(f"Filen kunde inte hämtas: {url} svarade med HTTP {fetched.status}.",
                         f"The file could not be fetched: {url} answered HTTP {fetched.status}.")
    return fetched.body


def validate_resource(resource_id: str) -> None:
    """The job: validate one resource and store the report on it."""
    context = job_context()
    resource = saved_resource(context, resource_id)
    if resource is None:
        return  # deleted meanwhile, or never saved
    try:
        dataset = tk.get_action("package_show")(dict(context), {"id": resource["package_id"]})
    except tk.ObjectNotFound:
        return
    spec = specification_for(dataset)
    if spec is None or not is_csv(resource):
        return
    try:
        raw: bytes | None = read_file(resource)
    except Unreadable as unreadable:
        raw = None
        report = {"status": "error", "error_count": 1, "errors": [{
            "code": "unreadable", "row": None, "column": None,
            "message": unreadable.sv, "message_en": unreadable.en}]}
    else:
        report = file_validation.validate(raw, specifications.table_schema(spec))
    report = file_validation.with_provenance(report, raw, spec["uri"])
    report["file_url"] = resource.get("url")
    tk.get_action("resource_patch")(dict(context), {"id": resource_id, "validation_report": json.dumps(report)})
    log.info("validated resource %s against %s: %s", resource_id, spec["uri"], report["status"])
