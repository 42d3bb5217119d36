"""Tallinn for the demo: three territories as GeoJSON polygons and real streets inside them.

Street coordinates are approximate points on land; customers are jittered around them by at
most 150 m and kept inside their territory's polygon, away from the bay in the north.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

# Tallinn's bounding box (generous): every demo point lies inside it.
BBOX = (59.35, 24.55, 59.50, 24.97)  # south, west, north, east
JITTER_M = 150.0


@dataclass(frozen=True)
class Area:
    """A territory: code, name, postal-code prefix, polygon ring (lng, lat) and its streets."""

    code: str
    name: str
    postal_prefix: str
    ring: tuple[tuple[float, float], ...]
    streets: tuple[tuple[str, float, float], ...]  # (street, lat, lng)

    def geojson(self) -> dict[str, object]:
        return {"type": "Polygon", "coordinates": [[list(p) for p in self.ring]]}


AREAS: tuple[Area, ...] = (
    Area(
        code="TLN-KESK",
        name="Kesklinn / Põhja",
        postal_prefix="10",
        ring=(
            (24.660, 59.428),
            (24.775, 59.428),
            (24.775, 59.452),
            (24.715, 59.458),
            (24.660, 59.452),
            (24.660, 59.428),
        ),
        streets=(
            ("Viru", 59.4365, 24.7480),
            ("Narva mnt", 59.4370, 24.7620),
            ("Tartu mnt", 59.4320, 24.7620),
            ("Pärnu mnt", 59.4300, 24.7450),
            ("Liivalaia", 59.4310, 24.7530),
            ("Gonsiori", 59.4355, 24.7690),
            ("Estonia pst", 59.4340, 24.7510),
            ("Toompuiestee", 59.4360, 24.7350),
            ("Endla", 59.4315, 24.7300),
            ("Paldiski mnt", 59.4330, 24.7150),
            ("Telliskivi", 59.4395, 24.7280),
            ("Kotzebue", 59.4420, 24.7330),
            ("Niine", 59.4420, 24.7430),
            ("Kopli", 59.4440, 24.7150),
            ("Sõle", 59.4420, 24.7050),
            ("Ristiku", 59.4430, 24.7290),
            ("Tööstuse", 59.4440, 24.7220),
            ("Tatari", 59.4305, 24.7500),
        ),
    ),
    Area(
        code="TLN-IDA",
        name="Lasnamäe / Ida",
        postal_prefix="13",
        ring=(
            (24.775, 59.405),
            (24.900, 59.405),
            (24.900, 59.452),
            (24.775, 59.452),
            (24.775, 59.405),
        ),
        streets=(
            ("Narva mnt", 59.4395, 24.7860),
            ("Laagna tee", 59.4330, 24.8300),
            ("Mustakivi tee", 59.4420, 24.8680),
            ("Punane", 59.4330, 24.8150),
            ("Paekaare", 59.4370, 24.8350),
            ("Pae", 59.4290, 24.8030),
            ("Linnamäe tee", 59.4390, 24.8550),
            ("Vikerlase", 59.4430, 24.8800),
            ("Kärberi", 59.4410, 24.8600),
            ("Peterburi tee", 59.4270, 24.8100),
            ("Majaka", 59.4270, 24.8030),
            ("Sikupilli", 59.4300, 24.7920),
            ("J. Smuuli tee", 59.4326, 24.8010),
            ("Tartu mnt", 59.4240, 24.7950),
            ("Ümera", 59.4360, 24.8450),
            ("Kivila", 59.4400, 24.8720),
        ),
    ),
    Area(
        code="TLN-LAAS",
        name="Mustamäe / Lääne",
        postal_prefix="12",
        ring=(
            (24.600, 59.370),
            (24.775, 59.370),
            (24.775, 59.428),
            (24.600, 59.428),
            (24.600, 59.370),
        ),
        streets=(
            ("Mustamäe tee", 59.4200, 24.7000),
            ("Ehitajate tee", 59.4070, 24.6900),
            ("Akadeemia tee", 59.4000, 24.6700),
            ("Sõpruse pst", 59.4150, 24.6950),
            ("A. H. Tammsaare tee", 59.4120, 24.7100),
            ("E. Vilde tee", 59.4000, 24.6650),
            ("Kadaka tee", 59.4180, 24.6600),
            ("Õismäe tee", 59.4140, 24.6450),
            ("Paldiski mnt", 59.4230, 24.6500),
            ("Pärnu mnt", 59.4050, 24.7300),
            ("Jaama", 59.3890, 24.6800),
            ("Vabaduse pst", 59.3920, 24.7000),
            ("Tulika", 59.4240, 24.7250),
            ("Sääse", 59.4010, 24.7050),
        ),
    ),
)


def point_in_polygon(lat: float, lng: float, ring: tuple[tuple[float, float], ...] | list) -> bool:
    """Ray casting on a (lng, lat) ring; points on an edge may fall either way."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x:
                inside = not inside
    return inside


def jitter(rng: random.Random, area: Area, lat: float, lng: float) -> tuple[float, float]:
    """A point at most JITTER_M from (lat, lng), inside the area's polygon."""
    for _ in range(20):
        r = JITTER_M * math.sqrt(rng.random())
        a = rng.random() * 2 * math.pi
        dlat = r * math.cos(a) / 111_320.0
        dlng = r * math.sin(a) / (111_320.0 * math.cos(math.radians(lat)))
        p = (round(lat + dlat, 6), round(lng + dlng, 6))
        if point_in_polygon(p[0], p[1], area.ring):
            return p
    return lat, lng
