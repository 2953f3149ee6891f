"""The specification check: a CSV file against its specification's Table Schema, with a report people can
read, and the background job that makes it (``check_resource``).

A CSV resource of a dataset that conforms to a specification with a Table Schema is checked after it is
created or its file changes (``files.queueing``). The report is stored on the resource
(``validation_report``); only this job writes it (see the validator ``kalmar_job_record``).

The report: ``status`` (valid | invalid), ``errors`` (row, column, message in Swedish and English; at
most MAX_ERRORS listed, ``error_count`` counts them all), the specification, when it was checked, and the
checksum of the checked file. Never raises for a bad file: every problem becomes an error in the report.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import logging
from typing import Any

import frictionless
from frictionless.formats import CsvControl

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import formats, limits, reading, records
from ckanext.kalmar_oppnadata.jobs import queue
from ckanext.kalmar_oppnadata.registers import specifications

log = logging.getLogger(__name__)

MAX_ERRORS = 100

# Swedish and English wording of each problem; {row}, {column}, {value}, … come from the finding.
MESSAGES = {
    "empty": ("Filen är tom.", "The file is empty."),
    "too-large": ("Filen är större än {limit} MB och kontrolleras inte.",
                  "The file is larger than {limit} MB and is not checked."),
    "binary": ("Filen är inte en textfil (CSV).", "The file is not a text (CSV) file."),
    "encoding": ("Filen är inte kodad som UTF-8 (troligen {encoding}). Spara om den som UTF-8.",
                 "The file is not UTF-8 encoded (probably {encoding}). Save it again as UTF-8."),
    "delimiter": ("Kolumnerna ska skiljas med komma eller semikolon.",
                  "Columns must be separated by commas or semicolons."),
    "missing-column": ("Kolumnen {column} saknas.", "The column {column} is missing."),
    "duplicate-column": ("Kolumnen {column} finns flera gånger.", "The column {column} appears more than once."),
    "required": ("Rad {row}: kolumnen {column} får inte vara tom.",
                 "Row {row}: the column {column} must not be empty."),
    "type": ("Rad {row}: {value!r} i kolumnen {column} är inte {type_sv}.",
             "Row {row}: {value!r} in the column {column} is not {type_en}."),
    "range": ("Rad {row}: {value!r} i kolumnen {column} ligger utanför {minimum}–{maximum}.",
              "Row {row}: {value!r} in the column {column} is outside {minimum}–{maximum}."),
    "pattern": ("Rad {row}: {value!r} i kolumnen {column} har fel form.",
                "Row {row}: {value!r} in the column {column} has the wrong form."),
    "cells": ("Rad {row} har {found} värden men rubrikraden {expected}.",
              "Row {row} has {found} values but the header {expected}."),
    "other": ("Rad {row}: {note}", "Row {row}: {note}"),
}
TYPES = {"number": ("ett tal", "a number"), "integer": ("ett heltal", "an integer"),
         "date": ("ett datum (ÅÅÅÅ-MM-DD)", "a date (YYYY-MM-DD)"), "boolean": ("sant/falskt", "true/false")}


def _finding(code: str, row: int | None = None, column: str | None = None, **params: Any) -> dict[str, Any]:
    sv, en = MESSAGES[code]
    params = {"row": row, "column": column, **params}
    return {"code": code, "row": row, "column": column,
            "message": sv.format(**params), "message_en": en.format(**params)}


def _decode(raw: bytes) -> tuple[str | None, list[dict[str, Any]]]:
    """The text, if the file is UTF-8 as specifications require (read with the portal's one reader)."""
    if not raw.strip():
        return None, [_finding("empty")]
    try:
        text, encoding = reading.decode(raw)
    except reading.TableError:
        return None, [_finding("binary")]
    if encoding != "utf-8-sig":
        return None, [_finding("encoding", encoding="Latin-1/Windows-1252")]
    return text, []


def _delimiter(header_line: str) -> str | None:
    """Comma or semicolon, as specifications allow; None otherwise."""
    found = reading.delimiter(header_line)
    return found if found in (",", ";") else None


def _from_frictionless(error: Any, fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    field = fields.get(column or "", {})
    if error.type == "constraint-error":
        constraints = field.get("constraints", {})
        if "constraint \"required\"" in error.note or not value:
            return _finding("required", row, column)
        if "minimum" in constraints or "maximum" in constraints:
            return _finding("range", row, column, value=value, minimum=constraints.get("minimum", "…"),
                            maximum=constraints.get("maximum", "…"))
        return _finding("pattern", row, column, value=value)
    if error.type == "type-error":
        type_sv, type_en = TYPES.get(field.get("type"), (field.get("type"), field.get("type")))
        return _finding("type", row, column, value=value, type_sv=type_sv, type_en=type_en)
    if error.type in ("extra-cell", "missing-cell"):
        cells = getattr(error, "cells", None) or []
        return _finding("cells", row, column, found=len(cells), expected=len(fields))
    return _finding("other", row, column, note=error.note or error.title)


def validate(raw: bytes, schema: dict[str, Any]) -> dict[str, Any]:
    """Check CSV bytes against a Table Schema descriptor; returns the report (without provenance)."""
    if len(raw) > limits.CHECK:
        return _report([_finding("too-large", limit=limits.CHECK // limits.MB)])
    text, problems = _decode(raw)
    if text is None:
        return _report(problems)
    header_line = text.split("\n", 1)[0]
    delimiter = _delimiter(header_line)
    if delimiter is None and len(schema["fields"]) > 1:
        return _report([_finding("delimiter")])
    header = [h.strip() for h in next(csv.reader(io.StringIO(header_line), delimiter=delimiter or ","))]

    errors = [_finding("duplicate-column", column=h) for h in sorted({h for h in header if header.count(h) > 1})]
    errors += [_finding("missing-column", column=f["name"]) for f in schema["fields"]
               if f.get("constraints", {}).get("required") and f["name"] not in header]
    # Only the columns the file has are checked for types and values (optional columns may be absent).
    fields = {f["name"]: f for f in schema["fields"] if f["name"] in header}
    sub_schema = {"fields": [fields[h] if h in fields else {"name": h, "type": "string"} for h in header
                             if h and header.count(h) == 1]}
    if len(sub_schema["fields"]) == len(header):
        resource = frictionless.Resource(
            data=text.encode("utf-8"), format="csv", encoding="utf-8",
            dialect=frictionless.Dialect(controls=[CsvControl(delimiter=delimiter or ",")]),
            schema=frictionless.Schema.from_descriptor(sub_schema),
        )
        report = frictionless.validate(resource, limit_errors=MAX_ERRORS * 2,
                                       skip_errors=["blank-row", "blank-label"])
        for task in report.tasks:
            errors += [_from_frictionless(e, fields) for e in task.errors]
    return _report(errors)


def _report(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"status": "invalid" if errors else "valid", "error_count": len(errors), "errors": errors[:MAX_ERRORS]}


def with_provenance(report: dict[str, Any], raw: bytes | None, specification: str) -> dict[str, Any]:
    return {**report, "specification": specification,
            "checked_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
            "file_sha1": hashlib.sha1(raw).hexdigest() if raw is not None else None}


# ------------------------------------------------------------------------------------------ the job
def needs_check(resource: dict[str, Any], spec: dict[str, Any] | None) -> bool:
    if spec is None or formats.table_format(resource) != "csv":
        return False
    report = records.report_of(resource)
    if not report or report.get("specification") != spec["uri"]:
        return True
    return not records.same_file(report, resource)


def queue_checks(dataset: dict[str, Any]) -> int:
    """Queue the checks of the dataset's CSV files whose report is missing or stale; how many were queued."""
    spec = specifications.for_dataset(dataset)
    return sum(queue.enqueue_once(check_resource, "validate", r["id"], f"Check {r['id']} against {spec['name']}")
               for r in dataset.get("resources", []) if r.get("id") and needs_check(r, spec))


def check_resource(resource_id: str) -> None:
    """The job: check one resource against its dataset's specification and store the report on it."""
    context = queue.job_context()
    try:
        resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
        dataset = tk.get_action("package_show")(dict(context), {"id": resource["package_id"]})
    except tk.ObjectNotFound:
        return  # deleted since it was queued
    spec = specifications.for_dataset(dataset)
    if spec is None or formats.table_format(resource) != "csv":
        return
    try:
        raw: bytes | None = reading.read_bytes(resource, limit=limits.CHECK + 1)
    except reading.Unreadable as unreadable:
        raw = None
        report = {"status": "error", "error_count": 1, "errors": [{
            "code": "unreadable", "row": None, "column": None,
            "message": unreadable.sv, "message_en": unreadable.en}]}
    else:
        report = validate(raw, specifications.table_schema(spec))
    report = with_provenance(report, raw, spec["uri"])
    report["file_url"] = resource.get("url")
    records.write(resource_id, records.REPORT, report)  # not a change of the dataset (files/records.py)
    log.info("checked resource %s against %s: %s", resource_id, spec["uri"], report["status"])
