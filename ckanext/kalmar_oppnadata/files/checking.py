"""The specification check: a CSV file against its specification's Table Schema, with a report people can
read, and the background job that makes it (``check_resource``).

A CSV resource of a dataset that conforms to a specification with a Table Schema is checked after it is
created or its file changes (``files.queueing``). The report is stored on the resource
(``validation_report``); only this job writes it (see the validator ``kalmar_job_record``).

One pass finds every problem, so an editor fixes the file once: the encoding (a Windows-1252 file is
still read and checked), the separator, the columns (missing, doubled, unexpected, and a name that
differs from the specification's only in case or accents, whose values are then checked under the right
name), and every row: a broken quote (named as such, see ``reading.split_records``), a row with another
number of values than the header (reported once, its cells are not checked), and each cell against its
column's type and rules. Row numbers are the file's lines (the header is row 1).

The report: ``status`` (valid | invalid), ``errors`` and ``warnings`` (code, row, column, message in
Swedish and English; at most MAX_ERRORS of each listed, ``error_count`` and ``warning_count`` count them
all), ``rows`` (data rows in the file) and ``rows_with_errors``, the columns found, the encoding and
separator, the specification, when it was checked and the checksum of the checked file. Unexpected columns
are warnings (a file may carry more than the specification asks); everything else is an error. Never
raises for a bad file: every problem becomes a finding in the report.
"""
from __future__ import annotations

import datetime
import hashlib
import logging
import re
from typing import Any, Callable

import frictionless

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import formats, limits, reading, records
from ckanext.kalmar_oppnadata.jobs import queue
from ckanext.kalmar_oppnadata.registers import specifications, table_schemas

log = logging.getLogger(__name__)

MAX_ERRORS = 100
WARNINGS = {"unexpected-column", "no-rows"}

# Swedish and English wording of each problem; {row}, {column}, {value}, … come from the finding.
MESSAGES = {
    "empty": ("Filen är tom.", "The file is empty."),
    "too-large": ("Filen är större än {limit} MB och kontrolleras inte.",
                  "The file is larger than {limit} MB and is not checked."),
    "binary": ("Filen är inte en textfil (CSV).", "The file is not a text (CSV) file."),
    "encoding": ("Filen är inte kodad som UTF-8 (troligen {encoding}). Spara om den som UTF-8.",
                 "The file is not UTF-8 encoded (probably {encoding}). Save it again as UTF-8."),
    "delimiter": ("Kolumnerna ska skiljas med komma eller semikolon{found_sv}.",
                  "Columns must be separated by commas or semicolons{found_en}."),
    "missing-column": ("Kolumnen {column} saknas.", "The column {column} is missing."),
    "column-name": ("Kolumnen {found} ska heta {column}: namnen skiljer sig bara i stora och små bokstäver "
                    "eller accenter.",
                    "The column {found} must be called {column}: the names differ only in case or accents."),
    "duplicate-column": ("Kolumnen {column} finns flera gånger.", "The column {column} appears more than once."),
    "unexpected-column": ("Kolumnen {column} ingår inte i specifikationen.",
                          "The column {column} is not part of the specification."),
    "no-rows": ("Filen har inga rader under rubrikraden.", "The file has no rows below the header."),
    "quote": ("Rad {row}: ett citattecken (\") stängs aldrig eller följs av text, så raden kunde inte läsas. "
              "Ett värde med citattecken ska börja och sluta med \" och ett citattecken inuti skrivas \"\".",
              "Row {row}: a quote (\") is never closed or is followed by text, so the row could not be read. "
              "A quoted value must start and end with \" and a quote inside it be written \"\"."),
    "cells": ("Rad {row} har {found} värden men rubrikraden har {expected}.",
              "Row {row} has {found} values but the header has {expected}."),
    "required": ("Rad {row}: kolumnen {column} får inte vara tom.",
                 "Row {row}: the column {column} must not be empty."),
    "type": ("Rad {row}: ”{value}” i kolumnen {column} är inte {type_sv}.",
             "Row {row}: “{value}” in the column {column} is not {type_en}."),
    "decimal-comma": ("Rad {row}: ”{value}” i kolumnen {column} har decimalkomma; specifikationen kräver "
                      "decimalpunkt ({fixed}).",
                      "Row {row}: “{value}” in the column {column} has a decimal comma; the specification "
                      "requires a decimal point ({fixed})."),
    "range": ("Rad {row}: ”{value}” i kolumnen {column} ligger utanför {minimum}–{maximum}.",
              "Row {row}: “{value}” in the column {column} is outside {minimum}–{maximum}."),
    "pattern": ("Rad {row}: ”{value}” i kolumnen {column} har fel form.",
                "Row {row}: “{value}” in the column {column} has the wrong form."),
    "enum": ("Rad {row}: ”{value}” i kolumnen {column} är inte ett av de tillåtna värdena ({allowed}).",
             "Row {row}: “{value}” in the column {column} is not one of the allowed values ({allowed})."),
    "other": ("Rad {row}: ”{value}” i kolumnen {column} följer inte specifikationen ({note}).",
              "Row {row}: “{value}” in the column {column} does not follow the specification ({note})."),
}
TYPES = {"number": ("ett tal", "a number"), "integer": ("ett heltal", "an integer"),
         "date": ("ett datum (ÅÅÅÅ-MM-DD)", "a date (YYYY-MM-DD)"), "boolean": ("sant/falskt", "true/false")}
SEPARATOR_NAMES = {"\t": ("tabb", "tab")}
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _finding(code: str, row: int | None = None, column: str | None = None, **params: Any) -> dict[str, Any]:
    sv, en = MESSAGES[code]
    params = {"row": row, "column": column, **params}
    return {"code": code, "row": row, "column": column,
            "message": sv.format(**params), "message_en": en.format(**params)}


class _Findings:
    """Errors and warnings as they are found, each counted, the first MAX_ERRORS of each kept."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.error_count = self.warning_count = 0
        self.rows_with_errors: set[int] = set()

    def add(self, code: str, row: int | None = None, column: str | None = None, **params: Any) -> None:
        if code in WARNINGS:
            self.warning_count += 1
            if len(self.warnings) < MAX_ERRORS:
                self.warnings.append(_finding(code, row, column, **params))
            return
        self.error_count += 1
        if row is not None:
            self.rows_with_errors.add(row)
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(_finding(code, row, column, **params))


def _cell_finding(field: dict[str, Any], notes: dict[str, str], value: str) -> tuple[str, dict[str, Any]]:
    """The finding for a cell that frictionless's cell reader refused (its notes say which rule)."""
    constraints = field.get("constraints", {})
    if "required" in notes:
        return "required", {}
    if "type" in notes:
        if field.get("type") in ("number", "integer") and _DECIMAL_COMMA.fullmatch(value):
            return "decimal-comma", {"value": value, "fixed": value.replace(",", ".")}
        type_sv, type_en = TYPES.get(field.get("type"), (field.get("type"), field.get("type")))
        return "type", {"value": value, "type_sv": type_sv, "type_en": type_en}
    if {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} & set(notes):
        return "range", {"value": value, "minimum": constraints.get("minimum", "…"),
                         "maximum": constraints.get("maximum", "…")}
    if "pattern" in notes:
        return "pattern", {"value": value}
    if "enum" in notes:
        return "enum", {"value": value, "allowed": ", ".join(str(v) for v in constraints["enum"])}
    return "other", {"value": value, "note": ", ".join(sorted(notes))}


def _cell_reader(field: dict[str, Any]) -> Callable[[Any], tuple[Any, dict[str, str] | None]]:
    descriptor = {k: v for k, v in field.items() if k in ("name", "type", "format", "constraints")}
    return frictionless.Field.from_descriptor(descriptor).create_cell_reader()


def _known(name: str, schema: dict[str, Any]) -> bool:
    return table_schemas.comparable(name) in {table_schemas.comparable(f["name"]) for f in schema["fields"]}


def _columns(header: list[str], schema: dict[str, Any], found: _Findings) -> dict[int, dict[str, Any]]:
    """Check the header; returns the schema field of each position whose values are to be checked."""
    fields = {f["name"]: f for f in schema["fields"]}
    near = {table_schemas.comparable(name): name for name in fields}
    for name in sorted({h for h in header if h and header.count(h) > 1}):
        found.add("duplicate-column", column=name)
    checked: dict[int, dict[str, Any]] = {}
    matched: set[str] = set()
    for position, name in enumerate(header):
        if name in fields:
            if name not in matched:
                checked[position] = fields[name]
                matched.add(name)
            continue
        meant = near.get(table_schemas.comparable(name))
        if meant and meant not in header and meant not in matched:
            found.add("column-name", column=meant, found=name)
            checked[position] = fields[meant]
            matched.add(meant)
        elif name and not table_schemas.accepted_extra(schema, name):
            found.add("unexpected-column", column=name)
    for field in schema["fields"]:
        if table_schemas.required(field) and field["name"] not in matched:
            found.add("missing-column", column=field["name"])
    return checked


def _rows(rows: list[reading.Record], width: int, checked: dict[int, dict[str, Any]], found: _Findings) -> None:
    readers = {position: _cell_reader(field) for position, field in checked.items()}
    for record in rows:
        if record.problem:
            found.add("quote", record.line)
            continue
        cells = record.cells
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # empty cells after the last column (a trailing separator) are harmless
        if len(cells) != width:
            found.add("cells", record.line, found=len(cells), expected=width)
            continue
        for position, read_cell in readers.items():
            value = cells[position].strip()
            _, notes = read_cell(value)
            if notes:
                code, params = _cell_finding(checked[position], notes, value)
                found.add(code, record.line, checked[position]["name"], **params)


def validate(raw: bytes, schema: dict[str, Any]) -> dict[str, Any]:
    """Check CSV bytes against a Table Schema descriptor; returns the report (without provenance)."""
    found = _Findings()
    if len(raw) > limits.CHECK:
        found.add("too-large", limit=limits.CHECK // limits.MB)
        return _report(found)
    if not raw.strip():
        found.add("empty")
        return _report(found)
    try:
        text, encoding = reading.decode(raw)
    except reading.TableError:
        found.add("binary")
        return _report(found)
    if encoding != "utf-8-sig":
        found.add("encoding", encoding="Latin-1/Windows-1252")
    header_line = text.split("\n", 1)[0].split("\r", 1)[0]
    separator = reading.delimiter(header_line)
    one_known_column = separator is None and _known(header_line.strip(), schema)
    if separator not in (",", ";") and len(schema["fields"]) > 1 and not one_known_column:
        sv, en = SEPARATOR_NAMES.get(separator or "", (None, None))
        found.add("delimiter", found_sv=f" (filen använder {sv})" if sv else "",
                  found_en=f" (the file uses {en})" if en else "")
        if separator is None:  # the columns cannot be told apart
            return _report(found, encoding=encoding)
    separator = separator or ","
    file_records = reading.split_records(text, separator)
    header_at = next((i for i, r in enumerate(file_records) if r.problem is None), None)
    if header_at is None:
        for record in file_records:
            found.add("quote", record.line)
        if not file_records:
            found.add("empty")
        return _report(found, encoding=encoding, delimiter=separator)
    for record in file_records[:header_at]:
        found.add("quote", record.line)
    header = [h.strip() for h in file_records[header_at].cells]
    rows = file_records[header_at + 1:]
    checked = _columns(header, schema, found)
    if not rows:
        found.add("no-rows")
    _rows(rows, len(header), checked, found)
    return _report(found, encoding=encoding, delimiter=separator, rows=len(rows), columns=header)


def _report(found: _Findings, **facts: Any) -> dict[str, Any]:
    return {"status": "invalid" if found.error_count else "valid",
            "error_count": found.error_count, "errors": found.errors,
            "warning_count": found.warning_count, "warnings": found.warnings,
            "rows_with_errors": len(found.rows_with_errors), **facts}


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


def failing_resources(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's files whose current report says they do not follow its specification (or could not
    be read); a file waiting for its check is not counted."""
    spec = specifications.for_dataset(dataset)
    if spec is None:
        return []
    return [r for r in dataset.get("resources", [])
            if not needs_check(r, spec) and (records.report_of(r) or {}).get("status") in ("invalid", "error")]


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
            "message": unreadable.sv, "message_en": unreadable.en}], "warning_count": 0, "warnings": []}
    else:
        report = validate(raw, specifications.table_schema(spec))
    report = with_provenance(report, raw, spec["uri"])
    report["file_url"] = resource.get("url")
    records.write(resource_id, records.REPORT, report)  # not a change of the dataset (files/records.py)
    log.info("checked resource %s against %s: %s", resource_id, spec["uri"], report["status"])
