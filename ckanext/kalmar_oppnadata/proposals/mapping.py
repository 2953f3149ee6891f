"""A file whose columns almost match a specification, made to conform: its columns renamed to the
specification's names and put in its order, numbers written with a decimal point, and ``latitude`` and
``longitude`` computed from SWEREF 99 TM where the file has only those. Columns the specification does
not name are kept, after its own. The result is a UTF-8 CSV with commas.
"""
from __future__ import annotations

import csv
import io

from ckanext.kalmar_oppnadata.files import reading
from ckanext.kalmar_oppnadata.proposals import extent as extents
from ckanext.kalmar_oppnadata.proposals.columns import Match

NUMBER_TYPES = {"number", "integer"}


def plan(header: list[str], found: Match) -> list[dict[str, str]]:
    """The corrected file's columns: each with its name, where it comes from ("column", "derived",
    "extra") and the file's column it is taken from."""
    columns = []
    for field in found.schema["fields"]:
        name = field["name"]
        if name in found.columns:
            columns.append({"name": name, "from": header[found.columns[name]], "how": "column",
                            "type": field.get("type", "string")})
        elif name in found.derived:
            columns.append({"name": name, "from": found.derived[name], "how": "derived", "type": "number"})
    used = set(found.columns.values())
    columns += [{"name": h, "from": h, "how": "extra", "type": "string"}
                for i, h in enumerate(header) if i not in used]
    return columns


def needed(table: reading.Table, found: Match) -> bool:
    """Whether the corrected file differs from the file (names, order, numbers, encoding or separator)."""
    names = [c["name"] for c in plan(table.header, found)]
    if names != table.header or found.derived:
        return True
    if table.encoding not in (None, "utf-8-sig") or table.delimiter not in (None, ","):
        return True
    numbers = [found.columns[f["name"]] for f in found.schema["fields"]
               if f.get("type") in NUMBER_TYPES and f["name"] in found.columns]
    return any("," in row[i] for row in table.rows for i in numbers if i < len(row))


def _number(value: str) -> str:
    read = extents.number(value)
    return value.strip() if read is None else (str(int(read)) if read.is_integer() and "." not in value
                                                 and "," not in value else repr(read))


def corrected_csv(table: reading.Table, found: Match) -> str:
    """The file as the specification names and orders it (UTF-8 text; encode it as UTF-8)."""
    columns = plan(table.header, found)
    position = {h: i for i, h in reversed(list(enumerate(table.header)))}
    sweref = extents.sweref_columns(table.header, table.rows) if found.derived else None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c["name"] for c in columns])
    for row in table.rows:
        coordinates = None
        if sweref:
            north, east = (extents.number(row[i]) if i < len(row) else None for i in sweref)
            if north is not None and east is not None:
                lon, lat = extents.sweref_to_wgs84(north, east)
                coordinates = {"latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}"}
        cells = []
        for column in columns:
            if column["how"] == "derived":
                cells.append((coordinates or {}).get(column["name"], ""))
                continue
            i = position[column["from"]]
            value = row[i] if i < len(row) else ""
            cells.append(_number(value) if column["type"] in NUMBER_TYPES and value.strip() else value)
        writer.writerow(cells)
    return out.getvalue()
