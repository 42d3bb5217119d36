"""GeoJSON polygon checks for territories: pure logic, so the PWA and imports can share it."""

from __future__ import annotations

from typing import Any

from backend.errors import FieldError


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_ring(ring: Any, path: str) -> list[FieldError]:
    if not isinstance(ring, list) or len(ring) < 4:
        return [FieldError(path, "a ring needs at least 4 positions", "ring_too_short")]
    errors: list[FieldError] = []
    for i, pos in enumerate(ring):
        where = f"{path}[{i}]"
        if not isinstance(pos, list) or len(pos) not in (2, 3) or not all(map(_is_number, pos)):
            errors.append(FieldError(where, "a position is [longitude, latitude]", "position"))
            continue
        lon, lat = pos[0], pos[1]
        if not -180 <= lon <= 180:
            errors.append(FieldError(where, "longitude must be within -180..180", "range"))
        if not -90 <= lat <= 90:
            errors.append(FieldError(where, "latitude must be within -90..90", "range"))
    if not errors and ring[0][:2] != ring[-1][:2]:
        errors.append(FieldError(path, "a ring must end where it starts", "ring_not_closed"))
    return errors


def _check_polygon(rings: Any, path: str) -> list[FieldError]:
    if not isinstance(rings, list) or not rings:
        return [FieldError(path, "a polygon is a non-empty list of rings", "polygon")]
    errors: list[FieldError] = []
    for i, ring in enumerate(rings):
        errors.extend(_check_ring(ring, f"{path}[{i}]"))
    return errors


# A territory is drawn by hand or imported from a map: a few thousand corners is plenty, and
# the bound keeps point-in-polygon over 10,000 customers fast and a device's replica small.
MAX_VERTICES = 5000

# Colours of territories on the team map, picked by code so a territory keeps its colour.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#843c39",
)


def territory_colour(code: str) -> str:
    """A stable colour for a territory (the same code always gets the same colour)."""
    return PALETTE[sum(code.encode()) % len(PALETTE)]


def _vertex_count(geometry: dict[str, Any]) -> int:
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    return sum(len(ring) for poly in polygons for ring in poly)


def geometry_errors(geometry: Any, field: str = "geometry") -> list[FieldError]:
    """What is wrong with a territory's geometry: GeoJSON shape, closed rings, ranges, size."""
    errors = polygon_errors(geometry, field)
    if not errors and (n := _vertex_count(geometry)) > MAX_VERTICES:
        errors.append(
            FieldError(
                f"{field}.coordinates",
                f"{n} positions; at most {MAX_VERTICES} are allowed",
                "too_many_vertices",
            )
        )
    return errors


def polygon_errors(geometry: Any, field: str = "polygon") -> list[FieldError]:
    """What is wrong with a GeoJSON Polygon or MultiPolygon (empty list: nothing)."""
    if not isinstance(geometry, dict):
        return [FieldError(field, "must be a GeoJSON object", "geojson")]
    kind = geometry.get("type")
    unknown = set(geometry) - {"type", "coordinates", "bbox"}
    if unknown:
        return [FieldError(field, f"unexpected members: {', '.join(sorted(unknown))}", "geojson")]
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _check_polygon(coordinates, f"{field}.coordinates")
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            return [FieldError(f"{field}.coordinates", "a MultiPolygon needs polygons", "polygon")]
        errors: list[FieldError] = []
        for i, polygon in enumerate(coordinates):
            errors.extend(_check_polygon(polygon, f"{field}.coordinates[{i}]"))
        return errors
    return [FieldError(f"{field}.type", "must be Polygon or MultiPolygon", "geojson")]
