"""Rules of a re-plan, kept pure: which stops are fixed, which are re-solved, what is left out.

A re-plan never hides a stop. Done stops keep their place and times; a stop the rep is checked
in at stays next, its visit still running; every other open stop is either in the new order or
listed in `stats["left_out"]` with the solver's reason, so the phone can show it under
"Could not fit".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DONE = "done"
CHECKED_IN = "checked_in"
SKIPPED = "skipped"
FIXED = (DONE, CHECKED_IN)


@dataclass(frozen=True)
class Split:
    """The current stops sorted for a re-plan."""

    fixed: list[dict[str, Any]]  # done first (as they were), then the one checked in
    open_ids: list[str]  # still to visit, to be re-solved
    skipped: list[str]


def split_stops(
    stops: Sequence[Mapping[str, Any]],
    done: Iterable[object] = (),
    checked_in: Iterable[object] = (),
    skipped: Iterable[object] = (),
) -> Split:
    """Fix the done and checked-in stops (never moved, never re-timed); the rest is open."""
    done_ids = {str(c) for c in done} | {
        str(s["customer_id"]) for s in stops if s.get("status") == DONE
    }
    in_ids = {str(c) for c in checked_in} | {
        str(s["customer_id"]) for s in stops if s.get("status") == CHECKED_IN
    }
    in_ids -= done_ids
    skip_ids = {str(c) for c in skipped} - done_ids - in_ids
    fixed = [{**s, "status": DONE} for s in stops if str(s["customer_id"]) in done_ids]
    fixed += [{**s, "status": CHECKED_IN} for s in stops if str(s["customer_id"]) in in_ids]
    open_ids = [
        str(s["customer_id"])
        for s in stops
        if str(s["customer_id"]) not in done_ids | in_ids | skip_ids
    ]
    return Split(fixed, open_ids, sorted(skip_ids))


def resume_from(
    fixed: Sequence[Mapping[str, Any]], at: datetime, position: tuple[float, float]
) -> tuple[datetime, tuple[float, float]]:
    """Where and when the open stops start: after the running visit when checked in somewhere."""
    running = [s for s in fixed if s.get("status") == CHECKED_IN]
    if not running:
        return at, position
    s = running[-1]
    length = datetime.fromisoformat(str(s["planned_departure"])) - datetime.fromisoformat(
        str(s["planned_start"])
    )
    return at + max(length, timedelta(0)), (float(s["lat"]), float(s["lng"]))


def left_out(unassigned: Iterable[Any], stops: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each stop the solver could not fit, with its reason and what the phone needs to list it."""
    by_id = {str(s["customer_id"]): s for s in stops}
    out = []
    for u in unassigned:
        cid = str(u.customer_id)
        s = by_id.get(cid, {})
        out.append(
            {
                "customer_id": cid,
                "name": u.name,
                "reason": u.reason,
                "detail": u.detail,
                "lat": s.get("lat"),
                "lng": s.get("lng"),
                "visit_id": str(s["visit_id"]) if s.get("visit_id") else None,
            }
        )
    return out


def check_nothing_hidden(
    before: Iterable[str],
    stops: Sequence[Mapping[str, Any]],
    left: Sequence[Mapping[str, Any]],
    skipped: Iterable[str],
) -> set[str]:
    """Customers of the old route found neither in the new stops, nor left out, nor skipped."""
    seen = {str(s["customer_id"]) for s in stops} | {str(u["customer_id"]) for u in left}
    return {str(c) for c in before} - seen - {str(c) for c in skipped}
