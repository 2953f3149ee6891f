"""What the background jobs record on a resource, and whether a record is about the current file.

Two records, each a JSON object on the resource that only the jobs write (validator ``kalmar_job_record``):
``validation_report`` (the specification check, ``checking``) and ``datastore_load`` (``loading``).
"""
from __future__ import annotations

from typing import Any

from ckanext.kalmar_oppnadata.common import recorded

REPORT = "validation_report"
LOAD = "datastore_load"
FIELDS = (REPORT, LOAD)


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
