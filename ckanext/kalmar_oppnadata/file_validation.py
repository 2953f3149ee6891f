"""Validation of a CSV file against a specification's Table Schema, with a report people can read.

The report: ``status`` (valid | invalid), ``errors`` (row, column, message in Swedish and English; at
most MAX_ERRORS listed, ``error_count`` counts them all), the specification, when it was checked, and the
checksum of the checked file. Never raises for a bad file: every problem becomes an error in the report.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
from typing import Any

import frictionless
from frictionless.formats import CsvControl

MAX_BYTES = 10 * 1024 * 1024
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
    "required": ("Rad {row}: kolumnen {column} får inte vara tom.", "Row {row}: the column {column} must not be empty."),
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
    if not raw.strip():
        return None, [_finding("empty")]
    if b"\x00" in raw[:4096]:
        return None, [_finding("binary")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        try:
            raw.decode("cp1252")
            return None, [_finding("encoding", encoding="Latin-1/Windows-1252")]
        except UnicodeDecodeError:
            return None, [_finding("binary")]


def _delimiter(header_line: str) -> str | None:
    counts = {d: header_line.count(d) for d in (",", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


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
    if len(raw) > MAX_BYTES:
        return _report([_finding("too-large", limit=MAX_BYTES // (1024 * 1024))])
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
