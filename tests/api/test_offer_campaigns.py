"""Offer campaigns: texts per language to each customer's locale (decrypted from the push
service), images converted to JPEG, audience counts per filter and role, the funnel."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from backend.accounts.tables import User
from backend.customers.tables import Customer
from notifications.offers import send_due_offers
from notifications.tables import Notification, OfferImage
from notifications.worker import Worker
from tests.factories import make_catalogue, make_customer, make_user, make_world_fast
from tests.fakes.push_service import FakePushService
from tests.integration.notifications.conftest import subscribe, worker_settings


@pytest.fixture
def push() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


async def _order(client, w, customer, who, *products):  # type: ignore[no-untyped-def]
    body = {
        "customer_id": str(customer),
        "lines": [{"product_id": str(p), "quantity": "1"} for p in products],
    }
    r = await client.post("/api/orders", json=body, headers=w.headers[who])
    assert r.status_code == 201, r.text
    return r.json()


async def _customer_user(customer, locale: str):  # type: ignore[no-untyped-def]
    uid = await make_user("customer", customer=customer)
    await User.update({User.locale: locale, User.preferences: {"offers_opt_in": True}}).where(
        User.id == uid
    )
    return uid


async def _send(client, w, body):  # type: ignore[no-untyped-def]
    r = await client.post("/api/offers", json=body, headers=w.headers["manager"])
    assert r.status_code == 201, r.text
    oid = r.json()["id"]
    r = await client.post(f"/api/offers/{oid}/schedule", json={}, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    assert await send_due_offers() == 1
    return oid


# --- texts per language ---------------------------------------------------------------------


async def test_each_customer_gets_their_languages_text_else_the_default(client, push):
    w = await make_world_fast()
    ru_user = await _customer_user(w.c1, "ru-RU")
    et_user = await _customer_user(w.c2, "et")  # the offer has no Estonian: English it is
    subs = {}
    for uid in (ru_user, et_user):
        subs[uid] = push.subscribe()
        await subscribe(uid, subs[uid])
    oid = await _send(
        client,
        w,
        {
            "title": "Coffee week",
            "text": "Coffee 1 kg",
            "language": "en",
            "discount_pct": "15",
            "texts": {"ru": {"title": "Неделя кофе", "text": "Кофе 1 кг"}},
        },
    )
    async with Worker(worker_settings()) as worker:
        assert await worker.run_once() == 2
    got = {p.endpoint: p.json() for p in push.received}
    ru = got[subs[ru_user].endpoint]
    et = got[subs[et_user].endpoint]
    assert (ru["title"], ru["body"]) == ("Неделя кофе", "Кофе 1 кг (-15%)")
    assert (et["title"], et["body"]) == ("Coffee week", "Coffee 1 kg (-15%)")
    # The offer keeps both languages for the console.
    read = (await client.get(f"/api/offers/{oid}", headers=w.headers["manager"])).json()
    assert read["language"] == "en"
    assert read["texts"] == {"ru": {"title": "Неделя кофе", "text": "Кофе 1 кг"}}


async def test_the_default_language_need_not_be_english(client, push):
    w = await make_world_fast()
    en_user = await _customer_user(w.c1, "en")
    sub = push.subscribe()
    await subscribe(en_user, sub)
    await _send(
        client,
        w,
        {"title": "Kohvinädal", "text": "Kohv 1 kg", "language": "et", "price": "8.9"},
    )
    async with Worker(worker_settings()) as worker:
        assert await worker.run_once() == 1
    assert push.received[0].json()["title"] == "Kohvinädal"
    assert push.received[0].json()["body"] == "Kohv 1 kg (8.90 EUR)"


async def test_blank_or_unknown_language_texts_are_refused(client):
    w = await make_world_fast()
    for texts, field in (
        ({"ru": {"title": "   "}}, "texts.ru.title"),
        ({"de": {"title": "Kaffee"}}, None),
        ({"ru": {"text": "no title"}}, None),
    ):
        r = await client.post(
            "/api/offers",
            json={"title": "Coffee", "texts": texts},
            headers=w.headers["manager"],
        )
        assert r.status_code == 422, r.text
        if field:
            assert [e["field"] for e in r.json()["errors"]] == [field]
    r = await client.get("/api/offers", headers=w.headers["manager"])
    assert r.json() == []


# --- images ---------------------------------------------------------------------------------


def _image(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    img = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


async def _upload(client, headers, raw: bytes, ctype: str):  # type: ignore[no-untyped-def]
    return await client.post(
        "/api/offers/images", content=raw, headers={**headers, "Content-Type": ctype}
    )


@pytest.mark.parametrize(
    ("fmt", "mode", "size", "expected"),
    [
        ("PNG", "RGBA", (2400, 1200), (1200, 600)),  # transparent and large: flattened, resized
        ("WEBP", "RGB", (800, 600), (800, 600)),
    ],
)
async def test_upload_turns_png_and_webp_into_a_served_jpeg(client, fmt, mode, size, expected):
    w = await make_world_fast()
    r = await _upload(client, w.headers["manager"], _image(fmt, size, mode), f"image/{fmt.lower()}")
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["width"], body["height"]) == expected
    assert body["image_url"] == f"/api/offers/images/{body['id']}"
    # Served without a session (the service worker shows it in the push), as a JPEG.
    got = await client.get(body["image_url"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("image/jpeg")
    assert len(got.content) == body["bytes"]
    with Image.open(io.BytesIO(got.content)) as img:
        assert img.format == "JPEG" and img.size == expected and img.mode == "RGB"
    # The offer carries it, and so does the push payload.
    r = await client.post(
        "/api/offers",
        json={"title": "With a picture", "image_url": body["image_url"]},
        headers=w.headers["manager"],
    )
    assert r.status_code == 201 and r.json()["image_url"] == body["image_url"]


async def test_a_bad_file_is_refused_naming_the_image_and_nothing_is_kept(client):
    w = await make_world_fast()
    for raw in (b"%PDF-1.4 not an image", b"", _image("PNG", (10, 10))[:40]):
        r = await _upload(client, w.headers["manager"], raw, "image/png")
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == ["image"]
    r = await _upload(client, w.headers["rep1"], _image("PNG", (10, 10)), "image/png")
    assert r.status_code == 403
    assert await OfferImage.count() == 0
    missing = await client.get("/api/offers/images/00000000-0000-0000-0000-000000000001")
    assert missing.status_code == 404


# --- audience -------------------------------------------------------------------------------


async def _count(client, w, target, role="manager"):  # type: ignore[no-untyped-def]
    r = await client.post("/api/offers/preview", json=target, headers=w.headers[role])
    assert r.status_code == 200, r.text
    return r.json()["customers"]


async def test_live_count_for_every_filter_kind_and_the_managers_region(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    c3 = await make_customer(territory=w.t1, name="Third")
    await Customer.update({Customer.segment: "horeca"}).where(Customer.id.is_in([w.c2, c3]))
    await Customer.update({Customer.price_list: cat.customer_list}).where(Customer.id == c3)
    await _order(client, w, w.c1, "rep1", cat.p1)  # c1: coffee, never tea
    await _order(client, w, w.c2, "rep2", cat.p1, cat.p2)  # c2: both
    await _order(client, w, c3, "rep1", cat.p2)  # c3: tea only
    await _order(client, w, w.c_other, "admin", cat.p1)  # other region: coffee

    assert await _count(client, w, {}) == 3
    assert await _count(client, w, {"territory_ids": [str(w.t1)]}) == 2
    assert await _count(client, w, {"segments": ["horeca"]}) == 2
    assert await _count(client, w, {"bought_product_id": str(cat.p1)}) == 2
    assert await _count(client, w, {"never_product_id": str(cat.p2)}) == 1
    both = {"bought_product_id": str(cat.p1), "never_product_id": str(cat.p2)}
    assert await _count(client, w, both) == 1
    assert await _count(client, w, {**both, "territory_ids": [str(w.t2)]}) == 0
    assert await _count(client, w, {"segments": ["horeca"], "territory_ids": [str(w.t1)]}) == 1
    # The admin counts every region; the other region's manager only theirs.
    assert await _count(client, w, both, "admin") == 2
    assert await _count(client, w, both, "other_manager") == 1
    assert await _count(client, w, {}, "other_manager") == 1
    # "Bought within days": an old purchase does not count.
    from backend.orders.tables import Order

    await Order.update({Order.created_at: datetime.now(UTC) - timedelta(days=200)}).where(
        Order.customer == w.c1
    )
    assert await _count(client, w, {**both, "days": 90}) == 0
    assert await _count(client, w, {**both, "days": 365}) == 1
    # Another region's territory is not the manager's to target.
    r = await client.post(
        "/api/offers/preview",
        json={"territory_ids": [str(w.t_other)]},
        headers=w.headers["manager"],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target.territory_ids"


# --- funnel ---------------------------------------------------------------------------------


async def test_funnel_counts_sent_displayed_clicked_and_ordered_from_events(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    await _order(client, w, w.c2, "rep2", cat.p1)  # c2 ordered before the offer: not counted
    users = [w.customer_user, await _customer_user(w.c2, "en"), await _customer_user(w.c1, "en")]
    await User.update({User.preferences: {"offers_opt_in": True}}).where(User.id == w.customer_user)
    oid = await _send(client, w, {"title": "Coffee week", "price": "8.90"})
    nids = {
        r["user"]: r["id"]
        for r in await Notification.select(Notification.id, Notification.user).where(
            Notification.offer == oid
        )
    }
    assert set(nids) == set(users)
    report = client.post
    # c1's first user: shown, opened, then an order from c1 → ordered.
    await report(f"/api/notifications/{nids[users[0]]}/displayed")
    await report(f"/api/notifications/{nids[users[0]]}/clicked")
    await _order(client, w, w.c1, "rep1", cat.p1)
    # c2's user: shown and opened, but no order after it.
    await report(f"/api/notifications/{nids[users[1]]}/displayed")
    await report(f"/api/notifications/{nids[users[1]]}/clicked")
    # c1's second user: shown only.
    await report(f"/api/notifications/{nids[users[2]]}/displayed")
    listed = (await client.get("/api/offers", headers=w.headers["manager"])).json()
    assert listed[0]["funnel"] == {"sent": 3, "displayed": 3, "clicked": 2, "ordered": 1}
    # An order long after the click does not count.
    await Notification.update(
        {Notification.clicked_at: datetime.now(UTC) - timedelta(days=30)}
    ).where(Notification.id == nids[users[0]])
    one = (await client.get(f"/api/offers/{oid}", headers=w.headers["manager"])).json()
    assert one["funnel"]["ordered"] == 0
    # Customers and reps read the offer, never its funnel.
    mine = (await client.get(f"/api/offers/{oid}", headers=w.headers["customer_user"])).json()
    assert mine["funnel"] is None


async def test_schedule_wants_a_time_to_come_and_cancel_stops_it(client):
    w = await make_world_fast()
    r = await client.post("/api/offers", json={"title": "Later"}, headers=w.headers["manager"])
    oid = r.json()["id"]
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    r = await client.post(
        f"/api/offers/{oid}/schedule", json={"send_at": past}, headers=w.headers["manager"]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "send_at"
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    r = await client.post(
        f"/api/offers/{oid}/schedule", json={"send_at": soon}, headers=w.headers["manager"]
    )
    assert r.status_code == 200 and r.json()["status"] == "scheduled"
    assert await send_due_offers() == 0
    # Another region's manager can neither see nor cancel it.
    r = await client.post(f"/api/offers/{oid}/cancel", headers=w.headers["other_manager"])
    assert r.status_code == 404
    r = await client.post(f"/api/offers/{oid}/cancel", headers=w.headers["manager"])
    assert r.json()["status"] == "cancelled"
    listed = (await client.get("/api/offers", headers=w.headers["other_manager"])).json()
    assert listed == []
