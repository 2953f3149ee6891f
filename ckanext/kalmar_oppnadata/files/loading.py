"""The background job that loads a CSV or XLSX resource into CKAN's DataStore.

After a resource is created or its file changes, the job replaces the resource's DataStore table with
the file's rows (types from ``types``), creates the default views (the data preview), and records the
outcome on the resource as ``datastore_load``: ``loading`` while it runs (indexed once it has run
``LOADING_SHOWN_AFTER`` seconds), then ``complete`` (rows,
columns) or ``error`` (a message in Swedish and English). A row that cannot be read (a broken quote, more
values than the header) is left out of the table and named in ``unreadable_rows`` with a message, never
merged into another row's value. Only the extension's jobs write that field.
A load that fails leaves no partial table, and a reload that fails keeps the previous table answering
(``staging``); the status then says so (``kept``). A job that died (worker killed, timeout) stops its
heartbeat (``jobs.heartbeat``) and is shown as interrupted, and ``ckan kalmar queue-pending`` queues it again.
"""
from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import portal_gettext
from ckanext.kalmar_oppnadata.files import formats, limits, reading, records, staging, types
from ckanext.kalmar_oppnadata.jobs import heartbeat, locks, queue

log = logging.getLogger(__name__)

TIMEOUT = 600  # seconds a load may take before RQ stops it
# The ``loading`` record is in the search index (and so on the resource page, which reads the dataset from
# it) only for a load still running after this many seconds; a shorter one is indexed with its outcome only.
LOADING_SHOWN_AFTER = 2.0
file_format = formats.table_format
status_of = records.load_of


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def overdue(status: dict[str, Any]) -> bool:
    """A 'loading' status whose job died without saying so: its heartbeat stopped (or, when Redis cannot
    be asked, it is older than the job may run)."""
    if status.get("status") != "loading":
        return False
    try:
        age = (_now() - datetime.datetime.fromisoformat(status["started_at"])).total_seconds()
    except (KeyError, ValueError):
        return True
    if status.get("heartbeat") and age > heartbeat.lifetime():
        alive = heartbeat.alive(status["heartbeat"])
        if alive is not None:
            return not alive
    return age > TIMEOUT * 2


def needs_load(resource: dict[str, Any]) -> bool:
    if not resource.get("id") or file_format(resource) is None or not resource.get("url"):
        return False
    status = status_of(resource)
    if not status or overdue(status):
        return True
    if status.get("status") == "loading":
        return False
    return not records.same_file(status, resource)


def state(resource: dict[str, Any]) -> dict[str, Any] | None:
    """What the resource page says: None for files that are not loaded; else ``state`` (pending,
    loading, complete, error, interrupted) and the status."""
    if file_format(resource) is None:
        return None
    status = status_of(resource)
    if status and overdue(status):
        return {"state": "interrupted", "status": status}
    if not status or (status.get("status") != "loading" and not records.same_file(status, resource)):
        return {"state": "pending", "status": status}
    return {"state": status["status"], "status": status}


def queue_loads(dataset: dict[str, Any]) -> int:
    """Queue the loads of the dataset's table files that changed; how many were queued."""
    # Twice the load's own limit: a run may first wait for another run of the same load (load_resource).
    return sum(queue.enqueue_once(load_resource, "load", r["id"], f"Load {r['id']} into the DataStore",
                                 timeout=2 * TIMEOUT)
               for r in dataset.get("resources", []) if needs_load(r))


# ------------------------------------------------------------------------------------------ the job
def _record(context: dict[str, Any], resource_id: str, status: dict[str, Any]) -> None:
    records.write(resource_id, records.LOAD, status)  # not a change of the dataset (files/records.py)


def _add_table_preview(context: dict[str, Any], resource_id: str) -> None:
    """CKAN's data table preview, once there is a table to show, titled in the portal's language."""
    if "datatables_view" not in tk.config.get("ckan.views.default_views", ""):
        return
    views = tk.get_action("resource_view_list")(dict(context), {"id": resource_id})
    if not any(v["view_type"] == "datatables_view" for v in views):
        tk.get_action("resource_view_create")(dict(context), {
            "resource_id": resource_id, "view_type": "datatables_view", "title": portal_gettext("Table")})


def _previous(status: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a failed reload keeps: the last complete load's rows, columns and file."""
    if not status:
        return None
    if status.get("status") == "complete":
        return {k: status.get(k) for k in ("rows", "columns", "file_url", "finished_at")}
    return status.get("kept")


def load_resource(resource_id: str) -> None:
    """The job: load one resource's file into the DataStore and record the outcome on the resource.

    While it runs it keeps a heartbeat in Redis, so a load whose worker died shows as interrupted within
    the heartbeat's lifetime."""
    context = queue.job_context()
    # The resource as the database holds it, not the search index's copy (``use_cache``): a job's record
    # reaches the index up to a second after the job (search/reindexing.py), and this load's record keeps
    # what the previous one loaded (``kept``) and decides whether a run that waited has anything to do.
    # Its stored values are all the load reads (format, address, checksum, its own record, read by
    # ``records``), so the dataset is not put through its display schema (``validate``), as CKAN reads a
    # dataset it indexes (reading the resource was a quarter of the job's CPU for a link that cannot be
    # fetched, mostly that schema and the site user's lookups, which ``queue.job_context`` now saves).
    fresh = dict(context, use_cache=False, validate=False)
    try:
        resource = tk.get_action("resource_show")(dict(fresh), {"id": resource_id})
    except tk.ObjectNotFound:
        return  # deleted since it was queued
    file_type = file_format(resource)
    if file_type is None:
        return
    # One load of a resource at a time, whichever worker runs it: a second run (the file changed again
    # while the first ran) waits, then loads the file as it is then, if the first did not already.
    with locks.one_at_a_time(f"load:{resource_id}", TIMEOUT) as waited:
        if waited:  # what the run waited for recorded
            try:
                resource = tk.get_action("resource_show")(dict(fresh), {"id": resource_id})
            except tk.ObjectNotFound:
                return
            file_type = file_format(resource)
            if file_type is None or not needs_load(resource):
                return
        with heartbeat.running(f"load:{resource_id}:{uuid.uuid4().hex[:12]}") as beat:  # one per run
            status = _load(context, resource, file_type, beat)
    if status["status"] == "complete":
        _add_table_preview(context, resource_id)
    log.info("loaded resource %s into the DataStore: %s", resource_id, status["status"])


# Why a row of a file could not be read into the table (Swedish, English).
UNREADABLE = {"quote": ("ett citattecken stängs aldrig eller följs av text",
                        "a quote is never closed or is followed by text"),
              "cells": ("fler värden än rubrikraden har kolumner", "more values than the header has columns")}
LISTED = 20


def readable_rows(table: reading.Table) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """The rows that can go into the table, and those that cannot (their file line and why): a record with
    a broken quote (``reading.split_records``), or a row with more values than the header has columns
    (which of them belong to which column cannot be known). Short rows are kept: the missing values at
    the end are empty."""
    width = len(table.header)
    unreadable = [{"row": line, "reason": "quote"} for line in table.broken]
    rows = []
    for position, row in enumerate(table.rows):
        line = table.lines[position] if table.lines else position + 2
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            unreadable.append({"row": line, "reason": "cells"})
        else:
            rows.append(row)
    return rows, sorted(unreadable, key=lambda u: u["row"])


def unreadable_message(unreadable: list[dict[str, Any]]) -> dict[str, str]:
    """What the resource page says about the rows that are not in the table, in Swedish and English."""
    listed = unreadable[:LISTED]
    sv = ", ".join(f"rad {u['row']} ({UNREADABLE[u['reason']][0]})" for u in listed)
    en = ", ".join(f"row {u['row']} ({UNREADABLE[u['reason']][1]})" for u in listed)
    if len(unreadable) > LISTED:
        sv += f" och {len(unreadable) - LISTED} till"
        en += f" and {len(unreadable) - LISTED} more"
    if len(unreadable) == 1:
        return {"message": f"En rad kunde inte läsas och finns inte i API:t: {sv}.",
                "message_en": f"One row could not be read and is not in the API: {en}."}
    return {"message": f"{len(unreadable)} rader kunde inte läsas och finns inte i API:t: {sv}.",
            "message_en": f"{len(unreadable)} rows could not be read and are not in the API: {en}."}


def _read_and_replace(context: dict[str, Any], resource: dict[str, Any], file_type: str,
                      base: dict[str, Any]) -> dict[str, Any]:
    """Read the file and replace the resource's table with its rows; the outcome (``base`` gains the file's
    checksum once read)."""
    resource_id = resource["id"]
    try:
        raw = reading.read_bytes(resource, limit=limits.LOAD + 1)
        base["file_sha1"] = hashlib.sha1(raw).hexdigest()
        if len(raw) > limits.LOAD:
            raise reading.TableError(f"Filen är större än {limits.LOAD // limits.MB} MB och läses inte in.",
                                     f"The file is larger than {limits.LOAD // limits.MB} MB and is not loaded.")
        table = reading.read(raw, file_type)
        rows, unreadable = readable_rows(table)
        fields = types.infer(table.header, rows)
        staging.replace(context, resource_id, fields, types.records(fields, rows))
        status = {"status": "complete", "rows": len(rows), "columns": len(fields),
                  "fields": fields, "encoding": table.encoding, "delimiter": table.delimiter}
        if unreadable:
            status.update(unreadable_rows=unreadable, **unreadable_message(unreadable))
    except (reading.Unreadable, reading.TableError) as error:
        status = {"status": "error", "message": error.sv, "message_en": error.en}
    except Exception as error:  # a refusal of the database, say: recorded, never a stuck status
        log.exception("loading resource %s into the DataStore failed", resource_id)
        status = {"status": "error",
                  "message": f"Filen kunde inte läsas in i API:t ({type(error).__name__}).",
                  "message_en": f"The file could not be loaded into the API ({type(error).__name__})."}
    return status


def _load(context: dict[str, Any], resource: dict[str, Any], file_type: str, beat: str) -> dict[str, Any]:
    resource_id = resource["id"]
    previous = _previous(status_of(resource))
    base = {"file_url": resource.get("url"), "started_at": _now().isoformat()}
    loading = {**base, "status": "loading", "heartbeat": beat}
    with records.indexed_if_still_running(resource_id, records.LOAD, loading, LOADING_SHOWN_AFTER):
        status = _read_and_replace(context, resource, file_type, base)
    if status["status"] == "error" and previous and staging.table_exists(resource_id):
        status["kept"] = previous  # the previous file's rows still answer (staging.replace)
    status = {**base, **status, "finished_at": _now().isoformat()}
    _record(context, resource_id, status)
    return status
