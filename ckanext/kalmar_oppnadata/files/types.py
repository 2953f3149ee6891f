"""The DataStore type of each column, as a Swedish editor means it, and the typed values.

A column gets a type only if every non-empty value in it fits; otherwise it is text, so loading never
fails on a value. In order of preference:

- ``int``: whole numbers without a leading zero, optionally grouped by spaces ("1 200"); a leading zero
  means a code (kommunkod 0880, postnummer 01234, telephone numbers stay text with their zero);
- ``numeric``: decimal numbers with a decimal comma (Swedish, "3,5") or a point ("3.5"), optionally
  with spaces as thousands separators ("1 234,5"); a column may not mix a comma in one value with a
  point in another, since "1,234" and "1.234" could then mean different things;
- ``date``: ISO dates (2024-06-01); ``timestamp``: ISO date and time (2024-06-01 12:30[:00]);
- ``text``: everything else.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from ckanext.kalmar_oppnadata.registers.values import N_

INT4 = 2**31 - 1
_INT = re.compile(r"[+-]?(0|[1-9]\d{0,2}([ \u00a0]\d{3})+|[1-9]\d*)")
_DECIMAL_COMMA = re.compile(r"[+-]?(0|[1-9]\d{0,2}([ \u00a0]\d{3})+|[1-9]\d*),\d+|[+-]?[1-9]\d{0,2}([ \u00a0]\d{3})+")
_DECIMAL_POINT = re.compile(r"[+-]?(0|[1-9]\d*)\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")

MAX_COLUMN_NAME = 63  # PostgreSQL's identifier length

# What each DataStore type is called where people read it (the data dictionary); types of tables made
# elsewhere (through the API) keep their own name.
NAMES = {"text": N_("text"), "int": N_("whole number"), "int4": N_("whole number"), "int8": N_("whole number"),
         "numeric": N_("decimal number"), "float8": N_("decimal number"), "date": N_("date"),
         "timestamp": N_("date and time"), "bool": N_("yes or no"), "json": N_("JSON")}


def column_ids(header: list[str]) -> list[str]:
    """DataStore column ids from a header: non-empty, unique, not starting with '_' (reserved), at most
    63 characters, no double quote. Swedish letters are kept."""
    ids: list[str] = []
    for position, name in enumerate(header, start=1):
        cleaned = " ".join(name.replace('"', "").split()).lstrip("_").strip()[:MAX_COLUMN_NAME] or f"kolumn_{position}"
        candidate, n = cleaned, 2
        while candidate in ids:
            suffix = f"_{n}"
            candidate, n = cleaned[:MAX_COLUMN_NAME - len(suffix)] + suffix, n + 1
        ids.append(candidate)
    return ids


def _valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _valid_timestamp(value: str) -> bool:
    try:
        datetime.datetime.fromisoformat(value.replace(" ", "T", 1))
        return True
    except ValueError:
        return False


def column_type(values: list[str]) -> str:
    filled = [v.strip() for v in values if v and v.strip()]
    if not filled:
        return "text"
    if all(_INT.fullmatch(v) for v in filled):
        return "int" if all(abs(int(_ungrouped(v))) <= INT4 for v in filled) else "numeric"
    if all(_INT.fullmatch(v) or _DECIMAL_COMMA.fullmatch(v) for v in filled) or \
            all(_INT.fullmatch(v) or _DECIMAL_POINT.fullmatch(v) for v in filled):
        return "numeric"
    if all(_DATE.fullmatch(v) and _valid_date(v) for v in filled):
        return "date"
    if all(_TIMESTAMP.fullmatch(v) and _valid_timestamp(v) for v in filled):
        return "timestamp"
    return "text"


def _ungrouped(value: str) -> str:
    return value.replace("\u00a0", "").replace(" ", "")


def typed_value(value: str, column: str) -> Any:
    """The value as the DataStore stores it for a column of that type (None for an empty cell)."""
    value = value.strip() if value else ""
    if not value:
        return None
    if column == "int":
        return int(_ungrouped(value))
    if column == "numeric":
        return Decimal(_ungrouped(value).replace(",", "."))
    if column == "timestamp":
        return value.replace(" ", "T", 1)
    return value


def infer(header: list[str], rows: list[list[str]]) -> list[dict[str, str]]:
    """DataStore field definitions (``id``, ``type``) for the table."""
    ids = column_ids(header)
    return [{"id": column, "type": column_type([row[i] if i < len(row) else "" for row in rows])}
            for i, column in enumerate(ids)]


def records(fields: list[dict[str, str]], rows: list[list[str]]):
    """The rows as DataStore records (dicts by column id); short rows are padded, extra cells dropped."""
    for row in rows:
        yield {f["id"]: typed_value(row[i] if i < len(row) else "", f["type"]) for i, f in enumerate(fields)}
