"""Which resources are table files (CSV, XLSX): by the resource's format, else its media type."""
from __future__ import annotations

from typing import Any

FORMATS = {"csv": "csv", "xlsx": "xlsx", "text/csv": "csv",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}


def table_format(resource: dict[str, Any]) -> str | None:
    """'csv' or 'xlsx' if the resource is a table file."""
    for value in (resource.get("format"), resource.get("mimetype")):
        found = FORMATS.get(str(value or "").strip().lower())
        if found:
            return found
    return None
