"""Reading a resource's file: its bytes (an upload, or a link through ``fetch``), and a table file's bytes
→ a header and rows of text. The one CSV reader of the portal: the specification check, the DataStore load
and the map preview all decode and split with it. Raises ``TableError`` / ``Unreadable`` with a message
for people."""
from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass
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


def _read_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    separator = delimiter(text.split("\n", 1)[0]) or ","
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
                if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise TableError(f"Filen kunde inte läsas som CSV: {error}.", f"The file could not be read as CSV: {error}.")
    if not rows:
        raise TableError("Filen är tom.", "The file is empty.")
    return Table(header=[h.strip() for h in rows[0]], rows=rows[1:], encoding=encoding, delimiter=separator)


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
