"""The time a file's rows cover: from date columns (ISO dates, with or without a time) and year columns.

A column counts when at least 80 % of its non-empty values read as dates (or, in a column named as a
year, as years 1900–2100). Columns that say when a row was last changed ("updated", "uppdaterad", …) tell
when the data was kept, not what time it covers, and are left out.
"""
from __future__ import annotations

import dataclasses
import datetime
import re

from ckanext.kalmar_oppnadata.proposals.columns import normal

YEAR_NAMES = {"ar", "year", "artal", "verksamhetsar", "lasar", "kalenderar"}
NOT_COVERAGE = ("updated", "uppdaterad", "andrad", "modified", "skapad", "created", "senast")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
_YEAR = re.compile(r"(19|20)\d{2}")
ENOUGH = 0.8
SAMPLE = 1000  # rows that decide whether a column holds dates or years (all rows give the period)


@dataclasses.dataclass
class Period:
    start: datetime.date
    end: datetime.date
    columns: list[str]


def _date(value: str) -> datetime.date | None:
    found = _DATE.fullmatch(value.strip())
    if not found:
        return None
    try:
        return datetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _texts(rows: list[list[str]], position: int) -> list[str]:
    return [row[position].strip() for row in rows if position < len(row) and row[position].strip()]


def _column(rows: list[list[str]], position: int, name: str) -> tuple[datetime.date, datetime.date] | None:
    sample = _texts(rows[:SAMPLE], position)
    if not sample:
        return None
    if sum(1 for v in sample if _date(v)) >= ENOUGH * len(sample):
        dates = [d for d in (_date(v) for v in _texts(rows, position)) if d]
        return min(dates), max(dates)
    if name in YEAR_NAMES and sum(1 for v in sample if _YEAR.fullmatch(v)) >= ENOUGH * len(sample):
        years = [int(v) for v in _texts(rows, position) if _YEAR.fullmatch(v)]
        return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)
    return None


def period(header: list[str], rows: list[list[str]]) -> Period | None:
    """The period from the earliest to the latest date (or year) in the file's date and year columns."""
    spans, used = [], []
    for position, name in enumerate(header):
        plain = normal(name)
        if any(word in plain for word in NOT_COVERAGE):
            continue
        span = _column(rows, position, plain)
        if span:
            spans.append(span)
            used.append(name)
    if not spans:
        return None
    return Period(start=min(s[0] for s in spans), end=max(s[1] for s in spans), columns=used)
