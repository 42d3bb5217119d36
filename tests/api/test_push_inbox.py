"""The inbox over HTTP: order status pushes, reading, and nobody reads anyone else's."""

from __future__ import annotations

from backend.accounts.tables import User
from backend.history.tables import HistoryEvent
from notifications.tables import Delivery, Notification
from tests.factories import make_catalogue, make_world_fast
from tests.fakes.push_service import FakePushService


async def test_order_status_change_reaches_author_and_customer_not_the_actor(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    with FakePushService() as push:
        sub = push.subscribe()
    await client.post(
        "/api/push/subscriptions",
        headers=w.headers["customer_user"],
        json={"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
    )
    await User.update({User.locale: "ru"}).where(User.id == w.customer_user)
    r = await client.post(
        "/api/orders",
        headers=w.headers["rep1"],
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "2"}]},
    )
    order = r.json()
    r = await client.post(
        f"/api/orders/{order['id']}/status",
        headers=w.headers["manager"],
        json={"status": "confirmed"},
    )
    assert r.status_code == 200, r.text
    # Each in their own language, opening the order on their own app's screen.
    expected = {
        "customer_user": (
            f"Заказ {order['number']}: подтверждён",
            "Был: отправлен.",
            f"/#/my/order/{order['id']}",
        ),
        "rep1": (
            f"Order {order['number']}: confirmed",
            "It was submitted.",
            f"/#/order/{w.c1}/{order['id']}",
        ),
    }
    for role, (title, body, url) in expected.items():
        inbox = (await client.get("/api/notifications", headers=w.headers[role])).json()
        assert [(n["kind"], n["title"], n["body"], n["url"]) for n in inbox] == [
            ("order_status", title, body, url)
        ]
    assert (await client.get("/api/notifications", headers=w.headers["manager"])).json() == []
    assert await Delivery.count() == 1  # only the customer has a device


async def test_refused_status_change_sends_nothing(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/orders",
        headers=w.headers["rep1"],
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "2"}]},
    )
    r = await client.post(
        f"/api/orders/{r.json()['id']}/status",
        headers=w.headers["manager"],
        json={"status": "delivered"},
    )
    assert r.status_code == 409
    assert await Notification.count() == 0


async def test_read_is_for_the_owner_and_display_reports_need_a_real_id(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/orders",
        headers=w.headers["rep1"],
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "1"}]},
    )
    await client.post(
        f"/api/orders/{r.json()['id']}/status",
        headers=w.headers["manager"],
        json={"status": "confirmed"},
    )
    nid = (await client.get("/api/notifications", headers=w.headers["rep1"])).json()[0]["id"]
    assert (
        await client.post(f"/api/notifications/{nid}/read", headers=w.headers["rep2"])
    ).status_code == 404
    r = await client.post(f"/api/notifications/{nid}/read", headers=w.headers["rep1"])
    assert r.status_code == 200 and r.json()["read_at"]
    unread = await client.get("/api/notifications?unread=true", headers=w.headers["rep1"])
    assert unread.json() == []
    r = await client.post("/api/notifications/not-a-uuid/clicked")
    assert r.status_code == 404, r.text
    r = await client.get("/api/notifications?limit=0", headers=w.headers["rep1"])
    assert r.status_code == 422, r.text
    # A non-offer click is noted on the notification, not in any customer's history.
    await client.post(f"/api/notifications/{nid}/clicked")
    assert await HistoryEvent.count().where(HistoryEvent.kind.like("offer%")) == 0


async def test_a_push_the_customer_saw_and_opened_is_in_its_history_staff_pushes_are_not(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    await User.update({User.locale: "ru"}).where(User.id == w.customer_user)
    r = await client.post(
        "/api/orders",
        headers=w.headers["rep1"],
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "2"}]},
    )
    order = r.json()
    r = await client.post(
        f"/api/orders/{order['id']}/status",
        headers=w.headers["manager"],
        json={"status": "confirmed"},
    )
    assert r.status_code == 200, r.text
    # Both the shop's user and the rep who took the order see their push and open it.
    for role in ("customer_user", "rep1"):
        (note,) = (await client.get("/api/notifications", headers=w.headers[role])).json()
        for what in ("displayed", "clicked", "displayed"):  # a repeated report counts once
            r = await client.post(f"/api/notifications/{note['id']}/{what}")
            assert r.status_code == 204, r.text
    events = await HistoryEvent.select().where(HistoryEvent.kind.like("push_%"))
    assert sorted(e["kind"] for e in events) == ["push_clicked", "push_displayed"]
    assert {e["actor"] for e in events} == {w.customer_user}
    assert {str(e["ref_id"]) for e in events} == {order["id"]}
    # The shop reads them, in its language; so does the office. The distributor does not.
    page = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["customer_user"])
    mine = {e["kind"]: e["summary"] for e in page.json()["items"]}
    assert mine["push_displayed"] == f"Показано уведомление: Заказ {order['number']}: подтверждён"
    assert mine["push_clicked"].startswith("Открыто уведомление: ")
    page = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["manager"])
    assert {"push_displayed", "push_clicked"} <= {e["kind"] for e in page.json()["items"]}
    page = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["distributor_user"])
    assert page.status_code == 200, page.text  # c1 is one the distributor serves
    kinds = {e["kind"] for e in page.json()["items"]}
    assert "order_status" in kinds and not kinds & {"push_displayed", "push_clicked"}
