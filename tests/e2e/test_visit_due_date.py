"""A check-in today does not use up a visit planned for a later day (issue 18, item 3).

Before, the phone checked in on whatever visit of the customer was planned, so a check-in on
Dec 3 turned the visit planned for Dec 16 into a Dec 3 visit. Now a later visit stays planned
and the check-in makes a new visit, unless the rep picks the planned one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import Server, logged_in_and_synced, sync_now

pytestmark = pytest.mark.e2e


def _visits_of(server: Server, customer_id: str) -> dict[str, dict[str, Any]]:
    r = server.client().get("/api/visits", params={"customer_id": customer_id, "limit": 100})
    r.raise_for_status()
    return {v["id"]: v for v in r.json()["items"]}


def test_a_check_in_today_keeps_a_visit_planned_for_a_later_day(
    server: Server, new_phone: Any
) -> None:
    customer = server.seed["customers"][11]
    later = (datetime.now(UTC) + timedelta(days=13)).replace(microsecond=0).isoformat()
    r = server.client().post(
        "/api/visits",
        json={
            "customer_id": customer["id"],
            "rep_id": server.seed["rep"]["id"],
            "planned_start": later,
            "notes": "quarterly review",
        },
    )
    assert r.status_code == 201, r.text
    planned = r.json()["id"]
    page = new_phone(lat=customer["lat"], lng=customer["lng"]).new_page()
    logged_in_and_synced(page, "rep@example.com")
    page.goto(f"/#/visit/{customer['id']}")
    # The later visit is offered, not taken.
    page.wait_for_selector("#check-in-planned")
    page.click("#check-in")
    page.wait_for_function("window.rounds.outbox.pending().then((p) => p.length > 0)", polling=100)
    assert sync_now(page) == "ok"
    visits = _visits_of(server, customer["id"])
    assert visits[planned]["status"] == "planned"
    assert datetime.fromisoformat(visits[planned]["planned_start"]) == datetime.fromisoformat(later)
    today = [v for v in visits.values() if v["status"] == "checked_in"]
    assert len(today) == 1 and today[0]["id"] != planned
