"""The re-plan rules: done and checked-in stops are fixed; every open stop is placed or listed."""

from __future__ import annotations

from datetime import UTC, datetime

from geo.replan_rules import check_nothing_hidden, left_out, resume_from, split_stops
from geo.route_schemas import UnassignedRead


def _stop(cid: str, start: str, status: str = "planned") -> dict[str, object]:
    return {
        "customer_id": cid,
        "name": f"Shop {cid}",
        "lat": 59.4,
        "lng": 24.7,
        "planned_arrival": f"2026-12-03T{start}:00+00:00",
        "planned_start": f"2026-12-03T{start}:00+00:00",
        "planned_departure": f"2026-12-03T{start[:2]}:30:00+00:00",
        "visit_id": None,
        "status": status,
    }


EIGHT = [_stop(str(i), f"{8 + i:02d}:00") for i in range(8)]


def test_done_stops_are_fixed_in_their_order_and_never_reopened() -> None:
    split = split_stops(EIGHT, done=["2"])
    assert [s["customer_id"] for s in split.fixed] == ["2"]
    assert split.fixed[0]["status"] == "done"
    assert split.fixed[0]["planned_start"] == EIGHT[2]["planned_start"]
    assert split.open_ids == ["0", "1", "3", "4", "5", "6", "7"]


def test_a_stop_marked_done_on_the_route_stays_done_even_if_the_device_omits_it() -> None:
    stops = [*EIGHT[:1], {**EIGHT[1], "status": "done"}, *EIGHT[2:]]
    split = split_stops(stops, done=[])
    assert [s["customer_id"] for s in split.fixed] == ["1"]
    assert "1" not in split.open_ids


def test_checked_in_comes_after_done_and_done_wins_over_checked_in() -> None:
    split = split_stops(EIGHT, done=["5", "0"], checked_in=["3", "5"], skipped=["3", "7"])
    assert [(s["customer_id"], s["status"]) for s in split.fixed] == [
        ("0", "done"),
        ("5", "done"),
        ("3", "checked_in"),
    ]
    assert split.skipped == ["7"]  # a stop the rep is at cannot be skipped
    assert split.open_ids == ["1", "2", "4", "6"]


def test_the_rest_starts_after_the_running_visit_from_its_place() -> None:
    at = datetime(2026, 12, 3, 10, 5, tzinfo=UTC)
    split = split_stops(EIGHT, checked_in=["2"])
    when, where = resume_from(split.fixed, at, (1.0, 2.0))
    assert when == datetime(2026, 12, 3, 10, 35, tzinfo=UTC)
    assert where == (59.4, 24.7)
    assert resume_from(split_stops(EIGHT, done=["2"]).fixed, at, (1.0, 2.0)) == (at, (1.0, 2.0))


def test_left_out_keeps_reason_and_position_and_hidden_stops_are_caught() -> None:
    u = [
        UnassignedRead(
            customer_id="00000000-0000-0000-0000-000000000004",
            name="Shop 4",  # type: ignore[arg-type]
            reason="window_unreachable",
            detail="no window",
        )
    ]
    stops = [{**EIGHT[4], "customer_id": "00000000-0000-0000-0000-000000000004"}]
    left = left_out(u, stops)
    assert left == [
        {
            "customer_id": "00000000-0000-0000-0000-000000000004",
            "name": "Shop 4",
            "reason": "window_unreachable",
            "detail": "no window",
            "lat": 59.4,
            "lng": 24.7,
            "visit_id": None,
        }
    ]
    placed = [EIGHT[0], EIGHT[1]]
    assert check_nothing_hidden(["0", "1", "9"], placed, [], skipped=[]) == {"9"}
    assert (
        check_nothing_hidden(["0", "1", "9"], placed, [{"customer_id": "9"}], skipped=[]) == set()
    )
