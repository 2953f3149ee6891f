"""What the background jobs record on a resource, and whether a record is about the current file.

Three records, each a JSON object on the resource that only the jobs write (validator ``kalmar_job_record``):
``validation_report`` (the specification check, ``checking``), ``datastore_load`` (``loading``) and
``link_check`` (the scheduled check of a linked file, ``links/``).

A record is the portal's note about a file, not a change of the dataset: ``write`` stores it on the
resource's row and indexes the dataset again, as CKAN's DataStore records ``datastore_active``, without
``package_update``. So the dataset's ``metadata_modified`` stays what its editors made it, no "changed
dataset" activity is written in their name, and the catalog's kept part of the dataset, whose key leaves
the records out (``catalog/keeping.py``), stays valid.

The index is not committed for a record: it is in the index's next commit, at the latest a second later
(``search/reindexing.py``). Until then ``package_show`` serves the record before (its index entry, whose
``metadata_modified`` the record leaves as it was).
"""
from __future__ import annotations

import contextlib
import json
import threading
from typing import Any, Iterator

import ckan.model as model

from ckanext.kalmar_oppnadata.common import recorded
from ckanext.kalmar_oppnadata.search import reindexing

REPORT = "validation_report"
LOAD = "datastore_load"
LINK_CHECK = "link_check"  # the scheduled check of a linked file (links/)
FIELDS = (REPORT, LOAD, LINK_CHECK)


def report_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    return recorded(resource, REPORT)


def load_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    return recorded(resource, LOAD)


def same_file(record: dict[str, Any], resource: dict[str, Any]) -> bool:
    """Whether what a job recorded is about the resource's current file: an upload by its checksum (when
    known), a link by its address."""
    if resource.get("url_type") == "upload":
        return not resource.get("hash") or record.get("file_sha1") == resource.get("hash")
    return record.get("file_url") == resource.get("url")


def write(resource_id: str, field: str, record: dict[str, Any], index: bool = True) -> str | None:
    """Store ``record`` as the resource's ``field`` (one of ``FIELDS``), commit, and index its dataset
    without an index commit (unless ``index`` is false: ``indexed_if_still_running``). The dataset's id, or
    None if the resource is gone (nothing stored)."""
    if field not in FIELDS:
        raise ValueError(f"not a job record: {field}")
    resource = (model.Session.query(model.Resource).filter(model.Resource.id == resource_id)
                .with_for_update().one_or_none())
    if resource is None or resource.state != "active":
        model.Session.rollback()
        return None  # deleted since the job was queued
    resource.extras = {**(resource.extras or {}), field: json.dumps(record)}
    package_id = resource.package_id
    model.Session.commit()
    if index:
        reindexing.reindex(package_id, commit=False)
    return package_id


@contextlib.contextmanager
def indexed_if_still_running(resource_id: str, field: str, record: dict[str, Any], after: float) -> Iterator[None]:
    """Store a job's "running" record (a load's ``loading``) now, and index its dataset only if the block is
    still running ``after`` seconds from now.

    Until the dataset is indexed again, its index entry (which ``package_show`` serves, the records leaving
    ``metadata_modified`` as it was) still has the record before; most loads are over in a moment, and
    each index write costs the search index. The indexing is done from a thread of its own, and
    never after the block has ended, so the job's final record, written and indexed after the block, is
    always what the index holds last."""
    package_id = write(resource_id, field, record, index=False)
    if package_id is None:
        yield  # the resource is gone: nothing stored, nothing to index
        return
    done = False
    lock = threading.Lock()

    def index_unless_done() -> None:
        try:
            with lock:
                if not done:
                    reindexing.reindex(package_id, commit=False)
        finally:
            model.Session.remove()  # the thread's own session and connection

    timer = threading.Timer(after, index_unless_done)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done = True
        timer.cancel()
