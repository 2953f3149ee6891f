"""The spatial extent a file's rows cover: from coordinate columns in WGS84 (latitude/longitude) or
SWEREF 99 TM (EPSG:3006, northing/easting, which Swedish municipal files often use), else from kommunkod
columns (the municipalities' extents in ``data/organizations.yaml``); else none (the caller falls back to
the organization's extent).

SWEREF 99 TM columns are told apart by their values, not their names: Swedish surveying calls the northing
X and the easting Y, many files the other way round, so the column whose values lie between 6.1 and 7.7
million metres is the northing. Coordinates are converted with pyproj.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

from shapely.geometry import shape

from ckanext.kalmar_oppnadata.proposals.columns import normal
from ckanext.kalmar_oppnadata.registers import geometry, organizations

LATITUDE = {"latitude", "lat", "latitud", "breddgrad", "wgs84_lat", "lat_wgs84", "lat_wgs_84", "y_wgs84"}
LONGITUDE = {"longitude", "lon", "lng", "long", "longitud", "langdgrad", "wgs84_lon", "lon_wgs84", "lon_wgs_84",
             "x_wgs84"}
PROJECTED = {"x", "y", "n", "e", "nord", "ost", "northing", "easting", "nordkoordinat", "ostkoordinat",
             "sweref_n", "sweref_e", "sweref99_n", "sweref99_e", "sweref99tm_n", "sweref99tm_e", "n_sweref99tm",
             "e_sweref99tm", "x_sweref99tm", "y_sweref99tm", "x_koordinat", "y_koordinat", "koordinat_x",
             "koordinat_y", "koordinat_n", "koordinat_e"}
KOMMUNKOD = {"kommunkod", "kommun_kod", "kommunnr", "kommunnummer", "kommun_id", "kommun_nr", "kommunkod_scb",
             "kn_kod", "kom_kod"}
SWEDEN_LAT, SWEDEN_LON = (55.0, 69.1), (10.5, 24.2)
NORTHING, EASTING = (6.1e6, 7.7e6), (2.5e5, 9.3e5)
ENOUGH = 0.8  # share of a column's non-empty values that must read as coordinates
SAMPLE = 1000  # rows that decide which columns hold coordinates (all rows give the extent)


@dataclasses.dataclass
class Extent:
    geometry: dict[str, Any]  # GeoJSON (a Point, or the Polygon of the bounding box), WGS84
    bbox: tuple[float, float, float, float]
    source: str  # "wgs84" | "sweref99tm" | "kommunkod"
    columns: list[str]
    points: int = 0
    codes: list[str] = dataclasses.field(default_factory=list)

    @property
    def text(self) -> str:
        return geometry.to_text(self.geometry)


def number(value: str) -> float | None:
    """A number as Swedish files write it: decimal point or comma, spaces as thousands separators."""
    try:
        result = float(value)  # the common case, fast
    except ValueError:
        pass
    else:
        return result if math.isfinite(result) else None
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        result = float(text)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def _values(rows: list[list[str]], position: int) -> list[float | None]:
    return [number(row[position]) if position < len(row) else None for row in rows]


def _readable(values: list[float | None], low: float, high: float) -> list[float] | None:
    """The values, if enough of the non-empty ones lie within ``low``–``high``."""
    present = [v for v in values if v is not None]
    inside = [v for v in present if low <= v <= high]
    return inside if present and len(inside) >= ENOUGH * len(present) else None


def _box(points: list[tuple[float, float]], source: str, columns: list[str]) -> Extent:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    minx, miny = math.floor(min(xs) * 1e4) / 1e4, math.floor(min(ys) * 1e4) / 1e4
    maxx, maxy = math.ceil(max(xs) * 1e4) / 1e4, math.ceil(max(ys) * 1e4) / 1e4
    if minx == maxx or miny == maxy:  # one place, or all on one line: a point at the middle
        geom = {"type": "Point", "coordinates": [round((min(xs) + max(xs)) / 2, 6), round((min(ys) + max(ys)) / 2, 6)]}
    else:
        geom = geometry.parse_extent(f"{minx},{miny},{maxx},{maxy}")
    return Extent(geometry=geom, bbox=(minx, miny, maxx, maxy), source=source, columns=columns, points=len(points))


def _wgs84(header: list[str], rows: list[list[str]]) -> Extent | None:
    lat = next((i for i, h in enumerate(header) if normal(h) in LATITUDE), None)
    lon = next((i for i, h in enumerate(header) if normal(h) in LONGITUDE), None)
    if lat is None or lon is None:
        return None
    if _readable(_values(rows[:SAMPLE], lat), *SWEDEN_LAT) is None or \
            _readable(_values(rows[:SAMPLE], lon), *SWEDEN_LON) is None:
        return None
    lats, lons = _values(rows, lat), _values(rows, lon)
    points = [(x, y) for x, y in zip(lons, lats)
              if x is not None and y is not None and SWEDEN_LAT[0] <= y <= SWEDEN_LAT[1]
              and SWEDEN_LON[0] <= x <= SWEDEN_LON[1]]
    return _box(points, "wgs84", [header[lat], header[lon]]) if points else None


def sweref_columns(header: list[str], rows: list[list[str]]) -> tuple[int, int] | None:
    """The positions of the northing and easting columns in SWEREF 99 TM, told apart by their values."""
    candidates = [i for i, h in enumerate(header)
                  if normal(h) in PROJECTED or normal(h) in LATITUDE or normal(h) in LONGITUDE]
    sample = rows[:SAMPLE]
    north = next((i for i in candidates if _readable(_values(sample, i), *NORTHING)), None)
    east = next((i for i in candidates if i != north and _readable(_values(sample, i), *EASTING)), None)
    return (north, east) if north is not None and east is not None else None


@functools.cache
def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def sweref_to_wgs84(northing: float, easting: float) -> tuple[float, float]:
    """(longitude, latitude) in WGS84 of a SWEREF 99 TM point."""
    lon, lat = _to_wgs84().transform(easting, northing)
    return lon, lat


def _sweref(header: list[str], rows: list[list[str]]) -> Extent | None:
    found = sweref_columns(header, rows)
    if found is None:
        return None
    north, east = found
    pairs = [(n, e) for n, e in zip(_values(rows, north), _values(rows, east))
             if n is not None and e is not None and NORTHING[0] <= n <= NORTHING[1] and EASTING[0] <= e <= EASTING[1]]
    if not pairs:
        return None
    transformer = _to_wgs84()
    lons, lats = transformer.transform([e for _, e in pairs], [n for n, _ in pairs])
    return _box(list(zip(lons, lats)), "sweref99tm", [header[north], header[east]])


@functools.cache
def municipality_extents() -> dict[str, str]:
    """kommunkod → bbox text of the organizations in ``data/organizations.yaml`` that have both."""
    return {o["municipality_code"]: o["spatial"] for o in organizations.load_organizations()
            if o.get("municipality_code") and o.get("spatial")}


def _kommunkod(header: list[str], rows: list[list[str]]) -> Extent | None:
    position = next((i for i, h in enumerate(header) if normal(h) in KOMMUNKOD), None)
    if position is None:
        return None
    codes = sorted({row[position].strip().zfill(4) for row in rows
                    if position < len(row) and row[position].strip().isdigit()})
    known = municipality_extents()
    if not codes or any(code not in known for code in codes):
        return None  # a municipality whose extent the portal does not know: guess nothing
    boxes = [shape(geometry.parse_extent(known[code])).bounds for code in codes]
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return Extent(geometry=geometry.parse_extent(f"{minx},{miny},{maxx},{maxy}"), bbox=(minx, miny, maxx, maxy),
                  source="kommunkod", columns=[header[position]], codes=codes)


def extent(header: list[str], rows: list[list[str]]) -> Extent | None:
    """The extent the rows cover, from the first source that has one (WGS84, SWEREF 99 TM, kommunkod)."""
    return _wgs84(header, rows) or _sweref(header, rows) or _kommunkod(header, rows)
