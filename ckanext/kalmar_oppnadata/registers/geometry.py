"""Geographic extents: what an editor may type, and the one form we store.

Accepted input: a GeoJSON geometry (or a Feature wrapping one), or a bounding box written
``minx,miny,maxx,maxy`` (WGS84 longitude/latitude, as ckanext-spatial and DCAT's ``dcat:bbox`` use).
Stored: the GeoJSON geometry as compact JSON text, the form ckanext-spatial indexes from ``spatial``.
"""
from __future__ import annotations

import json
import math
from typing import Any

from shapely.geometry import box, mapping, shape
from shapely.validation import explain_validity

from ckanext.kalmar_oppnadata.registers.values import N_, InvalidValue

ALLOWED_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


class InvalidGeometry(InvalidValue):
    """An extent that is not valid (see ``values.InvalidValue``)."""


def _check_ranges(minx: float, miny: float, maxx: float, maxy: float) -> None:
    for value in (minx, miny, maxx, maxy):
        if not math.isfinite(value):
            raise InvalidGeometry(N_("Coordinates must be numbers"))
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180):
        raise InvalidGeometry(N_("Longitude must be between -180 and 180"))
    if not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise InvalidGeometry(N_("Latitude must be between -90 and 90"))


def _parse_bbox(text: str) -> dict[str, Any]:
    parts = [p for p in text.replace(";", ",").split(",")]
    if len(parts) != 4:
        raise InvalidGeometry(N_("A bounding box is four numbers: minx,miny,maxx,maxy"))
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise InvalidGeometry(N_("A bounding box is four numbers: minx,miny,maxx,maxy"))
    _check_ranges(minx, miny, maxx, maxy)
    if minx >= maxx or miny >= maxy:
        raise InvalidGeometry(N_("In a bounding box the minimum must be less than the maximum"))
    return mapping(box(minx, miny, maxx, maxy))


def _parse_geojson(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidGeometry(N_("Not valid GeoJSON"))
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ALLOWED_TYPES:
        raise InvalidGeometry(N_("GeoJSON must be a Point, LineString or Polygon geometry (or Multi-)"))
    try:
        geom = shape(data)
    except Exception:
        raise InvalidGeometry(N_("Not valid GeoJSON"))
    if geom.is_empty:
        raise InvalidGeometry(N_("The geometry is empty"))
    _check_ranges(*geom.bounds)
    if not geom.is_valid:
        # e.g. "Self-intersection[18.5 57.2]"
        raise InvalidGeometry(N_("The geometry is not valid, e.g. a polygon crossing itself"),
                              explain_validity(geom))
    return mapping(geom)


def parse_extent(value: Any) -> dict[str, Any]:
    """Parse an editor's extent (GeoJSON text, a GeoJSON dict, or a bbox) into a GeoJSON geometry dict."""
    if isinstance(value, dict):
        value = json.dumps(value)
    text = str(value).strip()
    if not text:
        raise InvalidGeometry(N_("The extent is empty"))
    if text.startswith("{"):
        return _parse_geojson(text)
    return _parse_bbox(text)


def to_text(geometry: dict[str, Any]) -> str:
    """The stored form: compact GeoJSON, coordinates as plain lists."""
    return json.dumps(json.loads(json.dumps(geometry)), separators=(",", ":"))
