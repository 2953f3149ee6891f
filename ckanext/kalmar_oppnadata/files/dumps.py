"""A table in the DataStore as an Excel workbook: ``/datastore/dump/<id>?format=xlsx``.

CKAN 2.12's dump (``ckanext.datastore.blueprint.dump``) writes CSV, TSV, JSON and XML only, and answers any
other ``format`` with a server error: its ``one_of`` validator fails while formatting its own message
(``'Value must be one of %s' % ('csv', 'tsv', 'json', 'xml')``). Editors and visitors here work in Excel,
so the portal answers ``xlsx`` itself (``web/views.py`` sends the request here before CKAN's view runs) and
any other unknown format with a 400 that names the formats there are.

The workbook is written page by page from ``datastore_search`` (the caller's own access, as CKAN's dump
checks it) with openpyxl's write-only mode, which the portal already uses to read workbooks: numbers stay
numbers, dates and timestamps become Excel dates, and the internal columns (``_id``, ``_full_text``) are
left out.
"""
from __future__ import annotations

import datetime
import json
import tempfile
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import ckan.plugins.toolkit as tk

FORMATS = ("csv", "tsv", "json", "xml", "xlsx")  # CKAN's four, and ours
# What the resource page offers: label, format, byte order mark (so that Excel reads CSV/TSV as UTF-8).
OFFERED = (("CSV", "csv", True), ("Excel (XLSX)", "xlsx", False), ("JSON", "json", False),
           ("TSV", "tsv", True), ("XML", "xml", False))
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What each format is answered as. CKAN 2.12's dump means to send these for its four, but passes them as
# bytes beside ``mimetype='application/octet-stream'``, which wins: web/views.py sets them after it.
MEDIA_TYPES = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/json",
               "xml": "text/xml", "xlsx": MEDIA_TYPE}
PAGE = 10000  # rows per datastore_search call
MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header
IN_MEMORY = 16 * 1024 * 1024  # larger workbooks are spooled to a temporary file
INTERNAL_COLUMNS = ("_id", "_full_text")


def _cell(value: Any, column_type: str) -> Any:
    """A DataStore value as an Excel cell value."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if column_type in ("timestamp", "timestamptz", "date"):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is not None:  # Excel has no time zones
            moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return moment.date() if column_type == "date" else moment
    if column_type == "numeric":
        try:
            return float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            return text
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def write_workbook(context: dict[str, Any], resource_id: str, out: IO[bytes],
                   search: dict[str, Any] | None = None) -> int:
    """Write the table ``resource_id`` to ``out`` as XLSX; returns the number of rows written.

    ``search``: ``filters``, ``q`` or ``sort`` as in ``datastore_search``. Raises what
    ``datastore_search`` raises (``ObjectNotFound``, ``NotAuthorized``, ``ValidationError``)."""
    query = {"resource_id": resource_id, "limit": PAGE, "sort": "_id", **(search or {})}
    first = tk.get_action("datastore_search")(dict(context), {**query, "limit": 0})
    fields = [f for f in first["fields"] if f["id"] not in INTERNAL_COLUMNS]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Data")
    sheet.append([f["id"] for f in fields])
    written, offset = 0, 0
    while written < MAX_ROWS:
        page = tk.get_action("datastore_search")(dict(context), {**query, "offset": offset})
        records = page["records"]
        for record in records[:MAX_ROWS - written]:
            sheet.append([_cell(record.get(f["id"]), f["type"]) for f in fields])
        written += min(len(records), MAX_ROWS - written)
        offset += len(records)
        if len(records) < PAGE:
            break
    book.save(out)
    return written


def _search_arguments(args: Any) -> dict[str, Any]:
    """The dump's query arguments that ``datastore_search`` takes as they are (CKAN's dump accepts them)."""
    search: dict[str, Any] = {}
    if args.get("filters"):
        try:
            search["filters"] = json.loads(args["filters"])
        except ValueError:
            tk.abort(400, tk._("filters: not valid JSON"))
    for key in ("q", "sort"):
        if args.get(key):
            search[key] = args[key]
    return search


def xlsx_response(resource_id: str):
    """The response to ``/datastore/dump/<resource_id>?format=xlsx``: the workbook as a download, or 404
    when the table does not exist or the caller may not read it (as CKAN's dump answers)."""
    from flask import send_file

    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        write_workbook({}, resource_id, out, _search_arguments(tk.request.args))
    except (tk.ObjectNotFound, tk.NotAuthorized):
        out.close()
        tk.abort(404, tk._("DataStore resource not found"))
    except tk.ValidationError as error:
        out.close()
        tk.abort(400, "; ".join(f"{k}: {v}" for k, v in error.error_dict.items()))
    out.seek(0)
    return send_file(out, mimetype=MEDIA_TYPE, as_attachment=True, download_name=f"{resource_id}.xlsx")


def check_format(args: Any) -> str:
    """The dump's ``format`` (CKAN's default: csv); a 400 naming the formats there are for any other."""
    fmt = args.get("format") or "csv"
    if fmt not in FORMATS:
        tk.abort(400, tk._("The format {format} is not offered. Choose one of: {formats}.").format(
            format=fmt, formats=", ".join(FORMATS)))
    return fmt
