"""Reading a resource's file: its bytes (an upload, or a link through ``fetch``), and a table file's bytes
→ a header and rows of text. The one CSV reader of the portal: the specification check, the DataStore load
and the map preview all decode and split with it. Raises ``TableError`` / ``Unreadable`` with a message
for people.

CSV records are split by ``split_records`` (RFC 4180 quoting) so that a broken quote is found and named
rather than silently merging lines: a quoted value that is never closed, text right after a closing quote,
or a quoted value running over several lines into a record of the wrong width. Such a record is set aside
(``Record.problem == "quote"``) and reading goes on from the next line of the file, so one stray quote costs
one row, not the rest of the file. Each record knows the file line it starts on (the header is line 1 when
the file has no blank lines before it), which is the row number people see in reports.
"""
from __future__ import annotations

import bisect
import datetime
import io
import os
from dataclasses import dataclass, field
from typing import Any

import requests

from ckan.lib import uploader

from ckanext.kalmar_oppnadata.files import fetch

XLSX_SIGNATURE = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")


class TableError(Exception):
    """A file that cannot be read as a table; ``sv`` and ``en`` say why."""

    def __init__(self, sv: str, en: str):
        super().__init__(en)
        self.sv, self.en = sv, en


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    encoding: str | None = None
    delimiter: str | None = None
    lines: list[int] = field(default_factory=list)  # the file line each row starts on (CSV)
    broken: list[int] = field(default_factory=list)  # lines of records with a broken quote, not in ``rows``


@dataclass
class Record:
    cells: list[str]
    line: int  # the file line the record starts on, from 1
    problem: str | None = None  # "quote": a broken quote, the record could not be read (``cells`` empty)


def read(raw: bytes, file_format: str) -> Table:
    """``file_format``: 'csv' or 'xlsx' (the resource's format; the bytes decide when they disagree)."""
    if not raw.strip():
        raise TableError("Filen är tom.", "The file is empty.")
    if raw.startswith(XLSX_SIGNATURE) or file_format == "xlsx":
        return _read_xlsx(raw)
    return _read_csv(raw)


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in raw[:4096]:
        raise TableError("Filen är inte en textfil (CSV).", "The file is not a text (CSV) file.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TableError("Filens teckenkodning kunde inte läsas.", "The file's character encoding could not be read.")


def delimiter(header_line: str) -> str | None:
    """The separator the header line uses most (comma, semicolon or tab); None if it has none."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def _unquoted_end(text: str, start: int, separator: str) -> int:
    """Where an unquoted value (or the rest of a value after its closing quote) ends."""
    ends = [i for i in (text.find(separator, start), text.find("\n", start)) if i != -1]
    return min(ends) if ends else len(text)


def _one_record(text: str, pos: int, separator: str) -> tuple[list[str], int, bool]:
    """The cells of the record starting at ``pos``, where the next one starts, and whether a quote in it is
    broken (never closed, or followed by text before the next separator)."""
    cells: list[str] = []
    broken = False
    end = len(text)
    while True:
        parts: list[str] = []
        if pos < end and text[pos] == '"':
            pos += 1
            while True:
                close = text.find('"', pos)
                if close == -1:  # never closed: the rest of the file would be one value
                    return cells + ["".join(parts) + text[pos:]], end, True
                parts.append(text[pos:close])
                if text.startswith('"', close + 1):  # "" is a quote inside the value
                    parts.append('"')
                    pos = close + 2
                    continue
                pos = close + 1
                break
            if pos < end and text[pos] not in (separator, "\n"):
                broken = True
                stop = _unquoted_end(text, pos, separator)
                parts.append(text[pos:stop])
                pos = stop
        else:
            stop = _unquoted_end(text, pos, separator)
            parts.append(text[pos:stop])
            pos = stop
        cells.append("".join(parts))
        if pos >= end:
            return cells, end, broken
        if text[pos] == "\n":
            return cells, pos + 1, broken
        pos += 1  # the separator: another cell follows


def split_records(text: str, separator: str) -> list[Record]:
    """The file's non-blank records, each with the line it starts on; a record whose quote is broken is
    kept as ``Record(problem="quote")`` without cells, and reading goes on from the line after its start.

    The first record read is the header; a later record that runs over several lines (a quoted value with
    line breaks) and then has another number of values than the header is taken to be a broken quote too.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' not in text:  # no quotes: every line is one record (the same result, much faster for big files)
        return [Record(cells=line.split(separator), line=number) for number, line in enumerate(text.split("\n"), 1)
                if line.replace(separator, "").strip()]
    line_starts = [0]
    newline = text.find("\n")
    while newline != -1:
        line_starts.append(newline + 1)
        newline = text.find("\n", newline + 1)
    records: list[Record] = []
    width: int | None = None
    pos = 0
    while pos < len(text):
        line = bisect.bisect_right(line_starts, pos)
        next_line = line_starts[line] if line < len(line_starts) else len(text)
        cells, after, broken = _one_record(text, pos, separator)
        if not broken and width is not None and after > next_line and len(cells) != width:
            broken = True  # a quote that closed only lines later, taking them into one value
        if broken:
            records.append(Record(cells=[], line=line, problem="quote"))
            pos = next_line
            continue
        if any(cell.strip() for cell in cells):
            records.append(Record(cells=cells, line=line))
            if width is None:
                width = len(cells)
        pos = after
    return records


def _read_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    separator = delimiter(text.split("\n", 1)[0]) or ","
    records = split_records(text, separator)
    readable = [r for r in records if r.problem is None]
    if not readable:
        raise TableError("Filen är tom.", "The file is empty.")
    header, rows = readable[0], readable[1:]
    return Table(header=[h.strip() for h in header.cells], rows=[r.cells for r in rows], encoding=encoding,
                 delimiter=separator, lines=[r.line for r in rows],
                 broken=[r.line for r in records if r.problem])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(raw: bytes) -> Table:
    import openpyxl  # only loaded for workbooks

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign file
        raise TableError("Filen kunde inte läsas som Excel-arbetsbok (XLSX).",
                         f"The file could not be read as an Excel workbook (XLSX): {type(error).__name__}.")
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise TableError("Arbetsbokens första blad är tomt.", "The workbook's first sheet is empty.")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return Table(header=rows[0], rows=rows[1:])


class Unreadable(Exception):
    """A resource's file could not be read; ``sv`` and ``en`` say why (shown on the resource)."""

    def __init__(self, sv: str, en: str):
        super().__init__(en)
        self.sv, self.en = sv, en


def read_bytes(resource: dict[str, Any], limit: int) -> bytes:
    """The resource's bytes (at most ``limit``): from the portal's storage, or a link to a public address
    (every redirect checked too, see ``fetch``). Raises ``Unreadable`` saying why not."""
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
