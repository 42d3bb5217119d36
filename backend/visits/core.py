"""Pure visit rules: the check-in verification radius and the status machine."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
MIN_RADIUS_M = 150.0
MAX_ACCURACY_M = 500.0

# Which status each action may start from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "check_in": (frozenset({"planned"}), "checked_in"),
    "check_out": (frozenset({"checked_in"}), "done"),
    "skip": (frozenset({"planned"}), "skipped"),
    "cancel": (frozenset({"planned"}), "cancelled"),
    "reschedule": (frozenset({"planned"}), "planned"),
}


class InvalidTransition(ValueError):
    """An action that the visit's current status does not allow."""


def next_status(current: str, action: str) -> str:
    """The status after `action`, or InvalidTransition when `current` does not allow it."""
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise InvalidTransition(f"cannot {action.replace('_', ' ')} a visit that is {current}")
    return target


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine; plenty for a few hundred metres)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def verify_position(
    lat: float | None,
    lng: float | None,
    accuracy_m: float | None,
    pin_lat: float | None,
    pin_lng: float | None,
) -> tuple[str, float | None]:
    """(verification, distance) of a check-in against the customer's pin.

    verified: within max(150 m, accuracy) and the fix is no worse than 500 m; too_far
    otherwise; no_fix when there is no position or the customer has no pin.
    """
    if lat is None or lng is None or pin_lat is None or pin_lng is None:
        return "no_fix", None
    distance = distance_m(lat, lng, pin_lat, pin_lng)
    # A missing accuracy is taken at face value: the minimum radius applies.
    accuracy = accuracy_m if accuracy_m is not None else 0.0
    if accuracy <= MAX_ACCURACY_M and distance <= max(MIN_RADIUS_M, accuracy):
        return "verified", distance
    return "too_far", distance
