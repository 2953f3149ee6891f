"""Geographic extents (registers/geometry.py): what an editor may type, and the one form stored."""
from __future__ import annotations

import json

import pytest

from ckanext.kalmar_oppnadata.registers import geometry

KALMAR_BOX = [[[16.5, 56.6], [16.5, 56.8], [16.2, 56.8], [16.2, 56.6], [16.5, 56.6]]]


def test_a_bounding_box_becomes_a_polygon():
    parsed = geometry.parse_extent("16.2,56.6,16.5,56.8")
    assert parsed["type"] == "Polygon"
    assert json.loads(geometry.to_text(parsed))["coordinates"] == KALMAR_BOX
    assert geometry.parse_extent("16.2;56.6;16.5;56.8") == parsed  # a semicolon list too


def test_stored_text_is_compact_geojson():
    text = geometry.to_text(geometry.parse_extent("16.2,56.6,16.5,56.8"))
    assert text == '{"type":"Polygon","coordinates":' + json.dumps(KALMAR_BOX, separators=(",", ":")) + "}"


def test_geojson_text_a_dict_and_a_feature_are_accepted():
    point = {"type": "Point", "coordinates": [16.36, 56.66]}
    assert geometry.parse_extent(json.dumps(point)) == {"type": "Point", "coordinates": (16.36, 56.66)}
    assert geometry.parse_extent(point)["type"] == "Point"
    feature = {"type": "Feature", "properties": {}, "geometry": point}
    assert geometry.parse_extent(json.dumps(feature))["type"] == "Point"


@pytest.mark.parametrize("value, message", [
    ("", "empty"),
    ("17,57,16,58", "minimum must be less"),
    ("16,56,17", "four numbers"),
    ("a,b,c,d", "four numbers"),
    ("16,56,190,57", "Longitude"),
    ('{"type":"Point","coordinates":[16.3,95]}', "Latitude"),
    ("{not json", "Not valid GeoJSON"),
    ('{"type":"GeometryCollection","geometries":[]}', "must be a Point"),
    ('{"type":"Point","coordinates":[]}', "empty"),
])
def test_a_bad_extent_says_why(value, message):
    with pytest.raises(geometry.InvalidGeometry) as refused:
        geometry.parse_extent(value)
    assert message in refused.value.message


def test_a_polygon_crossing_itself_names_where():
    bowtie = '{"type":"Polygon","coordinates":[[[16,56],[17,57],[17,56],[16,57],[16,56]]]}'
    with pytest.raises(geometry.InvalidGeometry) as refused:
        geometry.parse_extent(bowtie)
    assert "crossing itself" in refused.value.message
    assert refused.value.detail.startswith("Self-intersection")
