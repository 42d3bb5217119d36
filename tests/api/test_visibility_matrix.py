"""visibility.md as a test: every collection x role x surface (REST list, REST by id, sync
bootstrap, sync changes) returns the same ids and fields, and the ones the table says;
again after seeded random sequences of territory, distributor and region moves (both engines).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest

from backend.catalogue.tables import Product
from backend.customers.visibility import INTERNAL
from tests.factories import (
    make_catalogue,
    make_contact,
    make_distributor,
    make_history_event,
    make_inbox_entry,
    make_offer,
    make_product,
    make_route,
    make_sync_world,
    make_territory,
    upload_photo,
)
from tests.integration.sync.device import Device

ROLES = ("admin", "manager", "other_manager", "rep1", "rep2", "distributor_user", "customer_user")
PARTNERS = ("distributor_user", "customer_user")


def _items(body: Any) -> list[dict[str, Any]]:
    """The rows of a listing: Page endpoints answer {"items": [...]}, the others a list."""
    return body["items"] if isinstance(body, dict) else body


@dataclass
class Surface:
    """How REST lists a collection (paths, one per customer where the API nests it) and
    reads one row (None: the API has no read by id for it)."""

    lists: list[str]
    by_id: str | None


def _surfaces(w: Any) -> dict[str, Surface]:
    customers = [w.c1, w.c2, w.c_other]
    return {
        "customers": Surface(["/api/customers?limit=500"], "/api/customers/{}"),
        "contacts": Surface(
            [f"/api/customers/{c}/contacts" for c in customers], "/api/contacts/{}"
        ),
        "visits": Surface(["/api/visits?limit=500"], "/api/visits/{}"),
        "orders": Surface(["/api/orders?limit=500"], "/api/orders/{}"),
        "quotes": Surface(["/api/quotes?limit=500"], "/api/quotes/{}"),
        "history": Surface([f"/api/customers/{c}/history?limit=500" for c in customers], None),
        "products": Surface(["/api/products?limit=500"], "/api/products/{}"),
        "price_lists": Surface(["/api/price-lists"], "/api/price-lists/{}"),
        "territories": Surface(["/api/territories"], "/api/territories/{}"),
        "regions": Surface(["/api/regions"], "/api/regions/{}"),
        "users": Surface(["/api/users"], "/api/users/{}"),
        "routes": Surface(["/api/routes"], "/api/routes/{}"),
        "offers": Surface(["/api/offers"], "/api/offers/{}"),
        "notifications": Surface(["/api/notifications?limit=500"], None),
        "photos": Surface(["/api/photos?limit=500"], None),
    }


async def _rest_list(client: Any, headers: dict[str, str], s: Surface) -> dict[str, set[str]]:
    """ids -> field names through the REST listings; a role refused the whole collection (403)
    or a customer out of scope (404) reads nothing there."""
    found: dict[str, set[str]] = {}
    for path in s.lists:
        r = await client.get(path, headers=headers)
        if r.status_code in (403, 404):
            continue
        assert r.status_code == 200, (path, r.text)
        for item in _items(r.json()):
            found[item["id"]] = set(item)
    return found


async def _rest_by_id(
    client: Any, headers: dict[str, str], s: Surface, ids: set[str]
) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    assert s.by_id is not None
    for i in sorted(ids):
        r = await client.get(s.by_id.format(i), headers=headers)
        if r.status_code == 200:
            found[i] = set(r.json())
        else:
            assert r.status_code in (403, 404), (s.by_id.format(i), r.status_code, r.text)
    return found


async def _world(client: Any) -> tuple[Any, set[str]]:
    """A world with a row of every collection on every side of every scope line."""
    w = await make_sync_world()
    cat = await make_catalogue(w)
    gone = await make_product(name="Discontinued")
    await Product.update({Product.active: False}).where(Product.id == gone)
    for c in (w.c1, w.c2, w.c_other):
        await make_contact(c, "Mari")
        await make_history_event(c, "note", summary="INTERNAL: slow payer")
        await make_history_event(c, "order", summary="Order 01-1")
        await make_history_event(c, "offer_sent", summary="Offer sent")
    all_ids: set[str] = set()
    # Visits by two reps on the same customer: the history is central.
    for who, c in (("rep1", w.c1), ("manager", w.c1), ("rep2", w.c2)):
        body = {"id": str(uuid4()), "customer_id": str(c)}
        if who == "manager":
            body["rep_id"] = str(w.rep2)
        r = await client.post("/api/visits", json=body, headers=w.headers[who])
        assert r.status_code == 201, r.text
        if who != "manager":  # a photo on the rep's visit (reps add photos to their own)
            await upload_photo(client, w.headers[who], visit_id=r.json()["id"])
    await upload_photo(client, w.headers["admin"], customer_id=w.c_other)
    line = {"product_id": str(cat.p1), "quantity": "2"}
    for who, c in (("rep1", w.c1), ("distributor_user", w.c1), ("rep2", w.c2)):
        r = await client.post(
            "/api/orders", json={"customer_id": str(c), "lines": [line]}, headers=w.headers[who]
        )
        assert r.status_code == 201, r.text
    for who, c, send in (("rep1", w.c1, False), ("rep1", w.c1, True), ("rep2", w.c2, True)):
        r = await client.post(
            "/api/quotes", json={"customer_id": str(c), "lines": [line]}, headers=w.headers[who]
        )
        assert r.status_code == 201, r.text
        if send:
            q = r.json()["id"]
            r = await client.post(
                f"/api/quotes/{q}/status", json={"status": "sent"}, headers=w.headers[who]
            )
            assert r.status_code == 200, r.text
    await make_route(w.rep1, [w.c1])
    await make_route(w.rep2, [w.c2])
    await make_offer(w.manager, w.region, "Winter coffee", status="sent")
    await make_offer(w.manager, w.region, "Spring draft")
    await make_offer(w.other_manager, w.other_region, "Summer tea", status="sent")
    for role in ROLES:
        await make_inbox_entry(getattr(w, role), f"Hello {role}")
    return w, all_ids


async def _check(client: Any, w: Any, devices: dict[str, Device]) -> None:
    """For every role: REST list = REST by id = sync (bootstrap and the long-lived device's
    changes) in ids and field names; partner roles never read internal customer fields."""
    surfaces = _surfaces(w)
    for role in ROLES:
        headers = w.headers[role]
        fresh = Device(client, headers)
        await fresh.sync()
        live = devices[role]
        await live.sync()
        for name, s in surfaces.items():
            boot = {i: set(row) for i, row in _rows(fresh, name).items()}
            changed = {i: set(row) for i, row in _rows(live, name).items()}
            label = f"{role} {name}"
            assert set(changed) == set(boot), f"{label}: sync changes != bootstrap"
            listed = await _rest_list(client, headers, s)
            assert set(listed) == set(boot), f"{label}: REST list != sync"
            if s.by_id is not None:
                every = {i for d in devices.values() for i in d.ids(name)} | set(boot)
                read = await _rest_by_id(client, headers, s, every)
                assert set(read) == set(boot), f"{label}: REST by id != sync"
                for i, fields in read.items():
                    assert fields == boot[i], f"{label} {i}: fields differ"
            if name == "customers" and role in PARTNERS:
                for fields in list(boot.values()) + list(listed.values()):
                    assert not fields & INTERNAL, f"{label}: internal fields {fields & INTERNAL}"
        _expect_table(w, role, fresh)


def _rows(d: Device, name: str) -> dict[str, dict[str, Any]]:
    return {i: row for (c, i), row in d.replica.items() if c == name}


def _expect_table(w: Any, role: str, d: Device) -> None:
    """What visibility.md says, spot-checked per role on the sync replica."""
    customers = d.ids("customers")
    if role in ("distributor_user", "customer_user"):
        assert customers == {str(w.c1)} or role == "distributor_user"
        assert d.ids("visits") == set() and d.ids("routes") == set()
        assert d.ids("photos") == set()
        assert d.ids("territories") == set() and d.ids("regions") == set()
        kinds = {e["kind"] for e in _rows(d, "history").values()}
        assert "note" not in kinds and "visit" not in kinds
        assert all(q["status"] != "draft" for q in _rows(d, "quotes").values())
        assert all(p["active"] for p in _rows(d, "products").values())
    if role == "distributor_user":
        assert d.ids("offers") == set()
        assert all(q["author_id"] == str(w.distributor_user) for q in _rows(d, "quotes").values())
    if role in ("rep1", "rep2"):
        assert all(o["status"] != "draft" for o in _rows(d, "offers").values())
        assert d.ids("users") == {str(getattr(w, role))}
    users = d.ids("users")
    assert str(getattr(w, role)) in users
    assert len(d.ids("notifications")) == 1


async def test_every_surface_returns_what_visibility_md_says(client):
    w, _ = await _world(client)
    devices = {role: Device(client, w.headers[role]) for role in ROLES}
    await _check(client, w, devices)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_every_surface_agrees_after_random_scope_moves(client, seed):
    """Seeded sequences of territory, distributor and region moves, several between two pulls;
    the long-lived devices hold exactly what a bootstrap and REST show."""
    rnd = random.Random(seed)
    w, _ = await _world(client)
    t3 = await make_territory(w.region, "T3x")
    d2 = await make_distributor(w.region, "Second")
    devices = {role: Device(client, w.headers[role]) for role in ROLES}
    for d in devices.values():
        await d.sync()
    territories = [w.t1, w.t2, t3, w.t_other]
    distributors: list[UUID | None] = [w.distributor, d2, None]
    moved = 0
    for _round in range(3):
        for _move in range(rnd.randint(1, 3)):
            c = rnd.choice([w.c1, w.c2, w.c_other])
            kind = rnd.choice(("territory", "distributor"))
            if kind == "territory":
                t = rnd.choice(territories)
                body: dict[str, Any] = {"territory_id": str(t)}  # the region follows it
            else:
                d = rnd.choice(distributors)
                body = {"distributor_id": str(d) if d else None}
            if kind == "territory" and t == w.t_other:
                body["distributor_id"] = None  # the distributor works in the first region
            r = await client.patch(f"/api/customers/{c}", json=body, headers=w.headers["admin"])
            if r.status_code == 422 and "another region" in r.text:
                continue  # a distributor for a customer in the other region: refused, fine
            assert r.status_code == 200, (body, r.text)
            moved += 1
        await _check(client, w, devices)
    assert moved >= 3
