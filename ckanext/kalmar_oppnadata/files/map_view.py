"""A resource view of our own: the rows of an uploaded CSV with coordinates, on a map.

Place data (bathing sites, outdoor gyms, playgrounds) is usually a CSV with latitude and longitude
columns. The file is read from the portal's own storage (never fetched from elsewhere), the points are
drawn with ckanext-spatial's map module and tiles (``ckanext.spatial.common_map.*``).
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import formats, limits, reading

VIEW_TYPE = "kalmar_csv_map"
LATITUDE = ("latitude", "lat", "latitud", "wgs84_lat")
LONGITUDE = ("longitude", "lon", "lng", "long", "longitud", "wgs84_lon")
NAME = ("name", "namn", "title", "titel")
MAX_POINTS = 5000


def info() -> dict[str, Any]:
    return {"name": VIEW_TYPE, "title": tk._("Map of the places"), "icon": "globe",
            "iframed": False, "always_available": False, "default_title": tk._("Map")}


def can_view(data_dict: dict[str, Any]) -> bool:
    """An uploaded CSV whose header names a latitude and a longitude column: only then is the map a
    default view (``ckan.views.default_views``), so that a table without places does not open on a map
    tab saying it cannot be drawn."""
    resource = data_dict["resource"]
    return (formats.table_format(resource) == "csv" and resource.get("url_type") == "upload"
            and has_coordinates(resource))


def has_coordinates(resource: dict[str, Any]) -> bool:
    """Whether the uploaded CSV's header (read from the file's first ``limits.HEADER`` bytes, up to the last
    whole line in them) names a latitude and a longitude column."""
    try:
        raw = reading.read_bytes(resource, limit=limits.HEADER)
        if len(raw) == limits.HEADER and b"\n" in raw:
            raw = raw[:raw.rfind(b"\n") + 1]
        header = reading.read(raw, "csv").header
    except (reading.Unreadable, reading.TableError):
        return False
    return None not in _coordinate_columns(header)


def _read_upload(resource: dict[str, Any]) -> reading.Table | None:
    """The uploaded CSV as a table (the portal's one CSV reader), or None if it cannot be read."""
    try:
        raw = reading.read_bytes(resource, limit=limits.MAP_VIEW + 1)
        if len(raw) > limits.MAP_VIEW:
            return None
        return reading.read(raw, "csv")
    except (reading.Unreadable, reading.TableError):
        return None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _coordinate_columns(header: list[str]) -> tuple[int | None, int | None]:
    """Which columns hold the latitude and the longitude (None where there is none)."""
    return _column(header, LATITUDE), _column(header, LONGITUDE)


def points(table: reading.Table) -> dict[str, Any]:
    """GeoJSON points from a table with latitude/longitude columns (decimal point or comma). Rows without
    valid WGS84 coordinates are counted as skipped."""
    header, rows = table.header, table.rows
    (lat, lon), name = _coordinate_columns(header), _column(header, NAME)
    features, skipped = [], 0
    if lat is None or lon is None:
        return {"type": "FeatureCollection", "features": [], "skipped": 0, "columns_found": False}
    for row in rows:
        try:
            y = float(row[lat].replace(",", "."))
            x = float(row[lon].replace(",", "."))
        except (IndexError, ValueError):
            skipped += 1
            continue
        if not (-90 <= y <= 90 and -180 <= x <= 180) or len(features) >= MAX_POINTS:
            skipped += 1
            continue
        properties = {"name": row[name]} if name is not None and name < len(row) else {}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features, "skipped": skipped, "columns_found": True}


def setup_template_variables(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    table = _read_upload(data_dict["resource"])
    collection = points(table) if table is not None else {"features": [], "skipped": 0, "columns_found": False}
    geojson = {"type": "FeatureCollection", "features": collection["features"]}
    return {"map_geojson": json.dumps(geojson) if collection["features"] else "",
            "map_count": len(collection["features"]), "map_skipped": collection["skipped"],
            "map_columns_found": collection["columns_found"]}
