"""Re-planning a stored route from the rep's position and time keeps every constraint."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from backend.accounts.principal import Principal
from backend.accounts.tables import User
from backend.errors import NotFound, ValidationFailed
from geo import planner
from geo import routes_service as service
from geo.route_schemas import LatLng, PlanRequest, ReplanRequest, RouteRead
from geo.windows import Window
from tests.factories import make_customer, make_world
from tests.unit.geo.checker import check_plan

# Plans refuse days already over: the coming Monday, whatever day the tests run.
MONDAY = date.today() + timedelta(days=7 - date.today().weekday())
OFFICE = (59.437, 24.7536)
HOURS = {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
LATE = {"mon": [["15:00", "16:00"]]}


def _rep(user_id: UUID, territories: list[UUID]) -> Principal:
    return Principal(
        user_id=user_id,
        session_id="test",
        role="rep",
        email="r@test",
        name="R",
        region_id=None,
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset(territories),
    )


def _as_plan(route: RouteRead, skip: set[UUID]) -> planner.Plan:
    """The stored route back in the planner's terms, so the independent checker can judge it."""
    stops = [
        planner.Stop(
            str(s.customer_id),
            (s.lat, s.lng),
            s.planned_arrival,
            s.planned_start,
            s.planned_departure,
            s.travel_s,
            s.distance_m,
        )
        for s in route.stops
        if s.customer_id not in skip
    ]
    st = route.stats
    breaks = [
        Window(datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
        for b in st["breaks"]
    ]
    r = planner.Route(
        str(route.rep_id),
        route.day,
        datetime.fromisoformat(st["start_at"]),
        datetime.fromisoformat(st["end_at"]),
        stops,
        breaks,
        route.distance_m,
        st["travel_s"],
        st["service_s"],
        st["waiting_s"],
        0,
    )
    left = [planner.Unassigned(c, reason, "") for c, reason in st["unassigned_reasons"].items()]
    return planner.Plan([r], left, 0, 0.0)


async def test_replan_from_position_and_time_keeps_windows_hours_and_break(db: None) -> None:
    w = await make_world()
    await User.update(
        {
            User.preferences: {
                "route": {
                    "start": {"lat": OFFICE[0], "lng": OFFICE[1]},
                    "work_start": "08:00",
                    "work_end": "17:00",
                    "break_from": "12:00",
                    "break_until": "14:00",
                    "break_min": 30,
                }
            }
        }
    ).where(User.id == w.rep1)
    rnd = random.Random(4)
    located = {}
    for k in range(9):
        point = (OFFICE[0] + rnd.uniform(-0.04, 0.04), OFFICE[1] + rnd.uniform(-0.08, 0.08))
        cid = await make_customer(
            territory=w.t1,
            lat=point[0],
            lng=point[1],
            opening_hours=LATE if k == 0 else HOURS,
            visit_frequency_days=14,
            visit_duration_min=20,
        )
        located[cid] = (point, LATE if k == 0 else HOURS)
    extra_point = (OFFICE[0] + 0.01, OFFICE[1] + 0.01)
    extra = await make_customer(
        territory=w.t1,
        lat=extra_point[0],
        lng=extra_point[1],
        opening_hours=HOURS,
        visit_duration_min=20,
    )
    located[extra] = (extra_point, HOURS)
    me = _rep(w.rep1, [w.t1])
    result = await service.plan_routes(me, PlanRequest(days=[MONDAY]))
    route = result.routes[0]
    assert len(route.stops) == 9 and not result.unassigned
    order = [s.customer_id for s in route.stops]
    done, skipped = order[:2], order[2]
    at = datetime.combine(MONDAY, datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=9, minutes=10
    )  # 11:10 in Tallinn
    position = LatLng(lat=59.45, lng=24.70)
    new = await service.replan_route(
        me,
        route.id,
        ReplanRequest(position=position, at=at, done=done, skipped=[skipped], added=[extra]),
    )

    assert new.id == route.id and new.version == 2 and new.source == "planned"
    assert [s.customer_id for s in new.stops[:2]] == done
    assert all(s.status == "done" for s in new.stops[:2])
    rest = new.stops[2:]
    assert {s.customer_id for s in rest} == set(order[3:]) | {extra}
    assert skipped not in {s.customer_id for s in new.stops}
    assert all(s.planned_arrival >= at for s in rest)
    assert new.stats["start"] == {"lat": 59.45, "lng": 24.70}
    assert new.stats["end"] == {"lat": OFFICE[0], "lng": OFFICE[1]}
    rep = planner.Rep(
        str(w.rep1),
        (59.45, 24.70),
        end=OFFICE,
        work_start="08:00",
        work_end="17:00",
        break_from="12:00",
        break_until="14:00",
        break_s=1800,
    )
    customers = [
        planner.Customer(str(cid), point, opening_hours=hours, service_s=1200)
        for cid, (point, hours) in located.items()
        if cid not in set(done) | {skipped}
    ]
    assert check_plan(_as_plan(new, set(done)), [rep], customers) == []
    first = rest[0]
    assert first.planned_arrival >= at + timedelta(seconds=first.travel_s)


async def test_replan_refuses_another_day_and_other_reps(db: None) -> None:
    w = await make_world()
    await make_customer(territory=w.t1, visit_frequency_days=7)
    me = _rep(w.rep1, [w.t1])
    route = (await service.plan_routes(me, PlanRequest(days=[MONDAY]))).routes[0]
    body = ReplanRequest(
        position=LatLng(lat=59.4, lng=24.7),
        at=datetime.combine(MONDAY + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        + timedelta(hours=9),
    )
    with pytest.raises(ValidationFailed):
        await service.replan_route(me, route.id, body)
    with pytest.raises(NotFound):
        await service.replan_route(_rep(w.rep2, [w.t2]), route.id, body)
    assert (await service.get_route(me, route.id)).version == 1
