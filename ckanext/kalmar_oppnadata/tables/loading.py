"""The background job that loads a CSV or XLSX resource into CKAN's DataStore.

After a resource is created or its file changes, the job replaces the resource's DataStore table with
the file's rows (types from ``types``), creates the default views (the data preview), and records the
outcome on the resource as ``datastore_load``: ``loading`` while it runs, then ``complete`` (rows,
columns) or ``error`` (a message in Swedish and English). Only the extension's jobs write that field.
A load that fails leaves no partial table; a job that died (worker killed, timeout) is shown as
interrupted once it is overdue, and ``ckan kalmar queue-pending`` queues it again.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
from typing import Any, Iterable, Iterator

import ckan.plugins.toolkit as tk

from .. import jobs
from . import reading, types

log = logging.getLogger(__name__)

FIELD = "datastore_load"
MAX_BYTES = 50 * 1024 * 1024
BATCH = 1000
TIMEOUT = 600  # seconds a load may take before RQ stops it
FORMATS = {"csv": "csv", "xlsx": "xlsx", "text/csv": "csv",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}


def file_format(resource: dict[str, Any]) -> str | None:
    """'csv' or 'xlsx' if the resource is a table file the job can load."""
    for value in (resource.get("format"), resource.get("mimetype")):
        found = FORMATS.get(str(value or "").strip().lower())
        if found:
            return found
    return None


def status_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    return jobs.recorded(resource, FIELD)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def overdue(status: dict[str, Any]) -> bool:
    """A 'loading' status older than the job may run: the job died without saying so."""
    if status.get("status") != "loading":
        return False
    try:
        started = datetime.datetime.fromisoformat(status["started_at"])
    except (KeyError, ValueError):
        return True
    return _now() - started > datetime.timedelta(seconds=TIMEOUT * 2)


def needs_load(resource: dict[str, Any]) -> bool:
    if not resource.get("id") or file_format(resource) is None or not resource.get("url"):
        return False
    status = status_of(resource)
    if not status or overdue(status):
        return True
    if status.get("status") == "loading":
        return False
    return not jobs.same_file(status, resource)


def state(resource: dict[str, Any]) -> dict[str, Any] | None:
    """What the resource page says: None for files that are not loaded; else ``state`` (pending,
    loading, complete, error, interrupted) and the status."""
    if file_format(resource) is None:
        return None
    status = status_of(resource)
    if status and overdue(status):
        return {"state": "interrupted", "status": status}
    if not status or (status.get("status") != "loading" and not jobs.same_file(status, resource)):
        return {"state": "pending", "status": status}
    return {"state": status["status"], "status": status}


def enqueue_if_needed(context: dict[str, Any], dataset: dict[str, Any]) -> int:
    """After a dataset or resource is saved: queue the loads of table files that changed."""
    if context.get(jobs.JOB_CONTEXT_FLAG):
        return 0
    return sum(jobs.enqueue_once(load_resource, "load", r["id"], f"Load {r['id']} into the DataStore",
                                 timeout=TIMEOUT)
               for r in dataset.get("resources", []) if needs_load(r))


# ------------------------------------------------------------------------------------------ the job
def _record(context: dict[str, Any], resource_id: str, status: dict[str, Any]) -> None:
    tk.get_action("resource_patch")(dict(context), {"id": resource_id, FIELD: json.dumps(status)})


def _drop_table(context: dict[str, Any], resource_id: str) -> None:
    try:
        tk.get_action("datastore_delete")(dict(context), {"resource_id": resource_id, "force": True})
    except tk.ObjectNotFound:
        pass


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _replace_table(context: dict[str, Any], resource_id: str, fields: list[dict[str, str]],
                   records: Iterable[dict[str, Any]]) -> None:
    _drop_table(context, resource_id)
    batches = _batches(records)
    tk.get_action("datastore_create")(dict(context), {
        "resource_id": resource_id, "force": True, "fields": fields, "records": next(batches, [])})
    for batch in batches:
        tk.get_action("datastore_upsert")(dict(context), {
            "resource_id": resource_id, "force": True, "method": "insert", "records": batch})


def _add_table_preview(context: dict[str, Any], resource_id: str) -> None:
    """CKAN's data table preview, once there is a table to show, titled in the portal's language."""
    if "datatables_view" not in tk.config.get("ckan.views.default_views", ""):
        return
    views = tk.get_action("resource_view_list")(dict(context), {"id": resource_id})
    if not any(v["view_type"] == "datatables_view" for v in views):
        tk.get_action("resource_view_create")(dict(context), {
            "resource_id": resource_id, "view_type": "datatables_view", "title": jobs.portal_gettext("Table")})


def load_resource(resource_id: str) -> None:
    """The job: load one resource's file into the DataStore and record the outcome on the resource."""
    context = jobs.job_context()
    resource = jobs.saved_resource(context, resource_id)
    if resource is None:
        return  # deleted meanwhile, or never saved
    file_type = file_format(resource)
    if file_type is None:
        return
    base = {"file_url": resource.get("url"), "started_at": _now().isoformat()}
    _record(context, resource_id, {**base, "status": "loading"})
    raw = jobs.read_file(resource, limit=MAX_BYTES + 1)
    base["file_sha1"] = hashlib.sha1(raw).hexdigest() if raw is not None else None
    try:
        if raw is None:
            raise reading.TableError("Filen kunde inte hämtas.", "The file could not be fetched.")
        if len(raw) > MAX_BYTES:
            raise reading.TableError(f"Filen är större än {MAX_BYTES // 2**20} MB och läses inte in.",
                                     f"The file is larger than {MAX_BYTES // 2**20} MB and is not loaded.")
        table = reading.read(raw, file_type)
        fields = types.infer(table.header, table.rows)
        _replace_table(context, resource_id, fields, types.records(fields, table.rows))
        status = {"status": "complete", "rows": len(table.rows), "columns": len(fields),
                  "fields": fields, "encoding": table.encoding, "delimiter": table.delimiter}
    except reading.TableError as error:
        _drop_table(context, resource_id)
        status = {"status": "error", "message": error.sv, "message_en": error.en}
    except Exception as error:  # a refusal of the database, say: recorded, never a stuck status
        log.exception("loading resource %s into the DataStore failed", resource_id)
        _drop_table(context, resource_id)
        status = {"status": "error",
                  "message": f"Filen kunde inte läsas in i API:t ({type(error).__name__}).",
                  "message_en": f"The file could not be loaded into the API ({type(error).__name__})."}
    _record(context, resource_id, {**base, **status, "finished_at": _now().isoformat()})
    if status["status"] == "complete":
        _add_table_preview(context, resource_id)
    log.info("loaded resource %s into the DataStore: %s", resource_id, status["status"])
