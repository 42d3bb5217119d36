"""Errors raised by the geo core; each carries a slug so one table can map it to problem details."""

from __future__ import annotations


class GeoError(Exception):
    """Base of every error the geo package raises on purpose."""

    slug = "geo_error"


class MatrixError(GeoError):
    """A travel-time matrix could not be built (bad input or the table service failed)."""

    slug = "matrix_unavailable"


class OpeningHoursError(GeoError, ValueError):
    """Opening or working hours are malformed; `path` points at the offending value."""

    slug = "invalid_opening_hours"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '/'}: {message}")
        self.path = path or "/"
        self.message = message


class ProblemError(GeoError, ValueError):
    """A routing problem is malformed; `path` is a JSON pointer to the offending value."""

    slug = "invalid_routing_problem"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '/'}: {message}")
        self.path = path or "/"
        self.message = message


class InfeasibleResult(GeoError):
    """A solver's answer broke a rule our own checker replays; it is never handed out."""

    slug = "infeasible_route_result"

    def __init__(self, engine: str, violations: list[str]) -> None:
        super().__init__(f"{engine}: {len(violations)} broken rules, first: {violations[0]}")
        self.engine = engine
        self.violations = violations
