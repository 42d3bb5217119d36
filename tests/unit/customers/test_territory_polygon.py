"""Territory polygons: GeoJSON Polygon/MultiPolygon with closed rings in range."""

from __future__ import annotations

from backend.territories.core import polygon_errors

RING = [[24.6, 59.4], [24.9, 59.4], [24.9, 59.5], [24.6, 59.5], [24.6, 59.4]]


def _fields(geometry):
    return [e.field for e in polygon_errors(geometry)]


def test_valid_polygons_pass():
    assert _fields({"type": "Polygon", "coordinates": [RING]}) == []
    hole = [[24.7, 59.42], [24.8, 59.42], [24.8, 59.45], [24.7, 59.42]]
    assert _fields({"type": "Polygon", "coordinates": [RING, hole]}) == []
    assert _fields({"type": "MultiPolygon", "coordinates": [[RING], [RING]]}) == []


def test_rings_must_be_closed_long_enough_and_in_range():
    assert _fields({"type": "Polygon", "coordinates": [[*RING[:-1], [24.7, 59.4]]]}) == [
        "polygon.coordinates[0]"
    ]
    assert _fields({"type": "Polygon", "coordinates": [RING[:3]]}) == ["polygon.coordinates[0]"]
    bad = [[181, 59.4], [24.9, -91], [24.9, 59.5], ["x", 1], [181, 59.4]]
    assert _fields({"type": "Polygon", "coordinates": [bad]}) == [
        "polygon.coordinates[0][0]",
        "polygon.coordinates[0][1]",
        "polygon.coordinates[0][3]",
        "polygon.coordinates[0][4]",
    ]


def test_only_polygon_geometries_are_accepted():
    assert _fields({"type": "LineString", "coordinates": RING}) == ["polygon.type"]
    assert _fields({"type": "Polygon", "coordinates": []}) == ["polygon.coordinates"]
    assert _fields({"type": "Polygon", "coordinates": [RING], "crs": {}}) == ["polygon"]
    assert _fields([RING]) == ["polygon"]
