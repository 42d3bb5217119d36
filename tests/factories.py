"""Builders for test data: straight into the tables, with one known password for everyone."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from httpx import AsyncClient

from backend.accounts.passwords import hash_password
from backend.accounts.tables import RepTerritory, User
from backend.catalogue.tables import PriceList, PriceListItem, Product
from backend.customers.tables import Contact, Customer
from backend.territories.tables import Distributor, Region, Territory

PASSWORD = "correct-horse-battery"
_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


async def make_region(name: str = "North") -> UUID:
    rid = uuid4()
    await Region.insert(Region(id=rid, name=name, code=f"R{_n()}"))
    return rid


async def make_territory(region: UUID, name: str = "T") -> UUID:
    tid = uuid4()
    await Territory.insert(Territory(id=tid, region=region, name=name, code=f"T{_n()}"))
    return tid


async def make_distributor(region: UUID, name: str = "Distrib") -> UUID:
    did = uuid4()
    await Distributor.insert(Distributor(id=did, region=region, name=name, code=f"D{_n()}"))
    return did


async def make_user(
    role: str,
    *,
    region: UUID | None = None,
    territories: list[UUID] = (),
    distributor: UUID | None = None,
    customer: UUID | None = None,
    email: str | None = None,
    name: str | None = None,
) -> UUID:
    uid = uuid4()
    email = email or f"{role}{_n()}@test.rounds"
    await User.insert(
        User(
            id=uid,
            email=email,
            password_hash=_HASH,
            name=name or email,
            role=role,
            region=region,
            distributor=distributor,
            customer=customer,
        )
    )
    for t in territories:
        await RepTerritory.insert(RepTerritory(user=uid, territory=t))
    return uid


async def make_customer(
    *,
    territory: UUID | None = None,
    region: UUID | None = None,
    distributor: UUID | None = None,
    name: str | None = None,
    lat: float | None = 59.437,
    lng: float | None = 24.7536,
    price_list: UUID | None = None,
    **extra: Any,
) -> UUID:
    cid = uuid4()
    if territory and region is None:
        row = await Territory.select(Territory.region).where(Territory.id == territory).first()
        region = row["region"] if row else None
    n = _n()
    name = name or f"Customer {n}"
    await Customer.insert(
        Customer(
            id=cid,
            code=f"C{n:05d}",
            name=name,
            territory=territory,
            region=region,
            distributor=distributor,
            lat=lat,
            lng=lng,
            price_list=price_list,
            search_text=name.lower(),
            **extra,
        )
    )
    return cid


async def make_contact(customer: UUID, name: str = "Contact") -> UUID:
    cid = uuid4()
    await Contact.insert(Contact(id=cid, customer=customer, name=name))
    return cid


async def make_product(
    sku: str | None = None, tax_rate: str = "22", name: str | None = None
) -> UUID:
    pid = uuid4()
    n = _n()
    await Product.insert(
        Product(
            id=pid, sku=sku or f"SKU{n}", name=name or f"Product {n}", tax_rate=Decimal(tax_rate)
        )
    )
    return pid


async def make_price_list(prices: dict[UUID, str], code: str | None = None) -> UUID:
    plid = uuid4()
    await PriceList.insert(PriceList(id=plid, code=code or f"PL{_n()}", name="Prices"))
    for product, price in prices.items():
        await PriceListItem.insert(
            PriceListItem(price_list=plid, product=product, price=Decimal(price))
        )
    return plid


async def login(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Bearer headers for a user."""
    r = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def email_of(user_id: UUID) -> str:
    row = await User.select(User.email).where(User.id == user_id).first()
    assert row
    return str(row["email"])


@dataclass
class World:
    """Two territories in one region, one in another, and a user of every role."""

    region: UUID
    other_region: UUID
    t1: UUID
    t2: UUID
    t_other: UUID
    distributor: UUID
    admin: UUID
    manager: UUID
    other_manager: UUID
    rep1: UUID
    rep2: UUID
    distributor_user: UUID
    customer_user: UUID
    c1: UUID  # t1, served by the distributor
    c2: UUID  # t2
    c_other: UUID  # other region
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


async def make_world(client: AsyncClient | None = None) -> World:
    region = await make_region("North")
    other_region = await make_region("South")
    t1 = await make_territory(region, "T1")
    t2 = await make_territory(region, "T2")
    t_other = await make_territory(other_region, "T3")
    distributor = await make_distributor(region)
    c1 = await make_customer(territory=t1, distributor=distributor, name="Kohvik Õun")
    c2 = await make_customer(territory=t2, name="Магазин Ёлка")
    c_other = await make_customer(territory=t_other, name="Крамниця Їжак")
    w = World(
        region=region,
        other_region=other_region,
        t1=t1,
        t2=t2,
        t_other=t_other,
        distributor=distributor,
        admin=await make_user("admin"),
        manager=await make_user("manager", region=region),
        other_manager=await make_user("manager", region=other_region),
        rep1=await make_user("rep", region=region, territories=[t1]),
        rep2=await make_user("rep", region=region, territories=[t2]),
        distributor_user=await make_user("distributor", region=region, distributor=distributor),
        customer_user=await make_user("customer", customer=c1),
        c1=c1,
        c2=c2,
        c_other=c_other,
    )
    if client is not None:
        for role in (
            "admin",
            "manager",
            "other_manager",
            "rep1",
            "rep2",
            "distributor_user",
            "customer_user",
        ):
            w.headers[role] = await login(client, await email_of(getattr(w, role)))
    return w


@dataclass
class Catalogue:
    """Three products, a customer price list (c1, c2, c_other) and the distributor's list."""

    p1: UUID  # 22 % tax, 10.00 customer / 9.00 distributor
    p2: UUID  # 9 % tax, 2.50 customer / 2.00 distributor
    p_unpriced: UUID  # in no price list
    customer_list: UUID
    distributor_list: UUID


async def make_catalogue(w: World) -> Catalogue:
    """Price the world's customers and its distributor (see Catalogue)."""
    p1 = await make_product("COFFEE-1", tax_rate="22", name="Coffee 1 kg")
    p2 = await make_product("TEA-1", tax_rate="9", name="Tea 100 g")
    p_unpriced = await make_product("NEW-1", tax_rate="22", name="Not priced yet")
    customer_list = await make_price_list({p1: "10.00", p2: "2.50"}, code="RETAIL")
    distributor_list = await make_price_list({p1: "9.00", p2: "2.00"}, code="DIST")
    await Customer.update({Customer.price_list: customer_list}).where(
        Customer.id.is_in([w.c1, w.c2, w.c_other])
    )
    await Distributor.update({Distributor.price_list: distributor_list}).where(
        Distributor.id == w.distributor
    )
    return Catalogue(
        p1=p1,
        p2=p2,
        p_unpriced=p_unpriced,
        customer_list=customer_list,
        distributor_list=distributor_list,
    )


# --- customers, contacts and history (appended) ---------------------------------------------


async def change_rows(collection: str, row_id: UUID | None = None) -> list[dict[str, Any]]:
    """Change-log rows of a collection (optionally of one row), oldest first."""
    from sync.tables import SyncChange

    condition = SyncChange.collection == collection
    if row_id is not None:
        condition = condition & (SyncChange.row_id == row_id)
    return (
        await SyncChange.select().where(condition).order_by(SyncChange.seq).output(load_json=True)
    )


async def make_history_event(
    customer: UUID,
    kind: str = "note",
    *,
    actor: UUID | None = None,
    summary: str = "",
    recorded_at: Any = None,
    captured_at: Any = None,
) -> UUID:
    from backend.history.tables import HistoryEvent

    eid = uuid4()
    row = HistoryEvent(
        id=eid, customer=customer, kind=kind, actor=actor, summary=summary, captured_at=captured_at
    )
    if recorded_at is not None:
        row.recorded_at = recorded_at
    await HistoryEvent.insert(row)
    return eid


async def bearer_for(user_id: UUID) -> dict[str, str]:
    """Bearer headers for a user without the (deliberately slow) password check of a login."""
    from datetime import UTC, datetime, timedelta

    from backend.accounts import repository as accounts_repo
    from backend.accounts.tokens import (
        hash_refresh_token,
        issue_access_token,
        new_refresh_token,
        new_session_id,
    )
    from backend.settings import get_settings

    settings = get_settings()
    session_id = new_session_id()
    await accounts_repo.create_session(
        session_id,
        user_id,
        hash_refresh_token(new_refresh_token()),
        datetime.now(UTC) + timedelta(hours=1),
        "tests",
    )
    token = issue_access_token(settings.secret_key, user_id, session_id, settings.access_token_ttl)
    return {"Authorization": f"Bearer {token}"}


async def make_world_fast() -> World:
    """make_world with bearer headers for every role, minted without logging in."""
    w = await make_world()
    for role in (
        "admin",
        "manager",
        "other_manager",
        "rep1",
        "rep2",
        "distributor_user",
        "customer_user",
    ):
        w.headers[role] = await bearer_for(getattr(w, role))
    return w


async def sync_headers(user_id: UUID) -> dict[str, str]:
    """Bearer headers for a user without the password hash's cost (a session made directly)."""
    from datetime import UTC, datetime, timedelta

    from backend.accounts import repository as accounts_repo
    from backend.accounts.tokens import (
        hash_refresh_token,
        issue_access_token,
        new_refresh_token,
        new_session_id,
    )
    from backend.settings import get_settings

    session_id = new_session_id()
    await accounts_repo.create_session(
        session_id,
        user_id,
        hash_refresh_token(new_refresh_token()),
        datetime.now(UTC) + timedelta(days=1),
        "tests",
    )
    token = issue_access_token(get_settings().secret_key, user_id, session_id, 3600)
    return {"Authorization": f"Bearer {token}"}


async def make_sync_world() -> World:
    """make_world with every role's headers minted directly (fast: no password checks)."""
    w = await make_world(None)
    for role in (
        "admin",
        "manager",
        "other_manager",
        "rep1",
        "rep2",
        "distributor_user",
        "customer_user",
    ):
        w.headers[role] = await sync_headers(getattr(w, role))
    return w


# --- sync: routes, offers and inbox rows (appended) -------------------------------------------


async def make_route(rep: UUID, customers: list[UUID], *, day: Any = None) -> UUID:
    """A planned day route for a rep through these customers (an hour apart), change recorded."""
    from datetime import UTC, date, datetime, timedelta

    from backend.db import write_transaction
    from geo.tables import Route
    from sync.changelog import record_change

    day = day or date.today()
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
    stops = []
    for i, c in enumerate(customers):
        at = start + timedelta(hours=i)
        stops.append(
            {
                "customer_id": str(c),
                "name": f"Stop {i}",
                "lat": 59.43 + i / 100,
                "lng": 24.75,
                "planned_arrival": at.isoformat(),
                "planned_start": at.isoformat(),
                "planned_departure": (at + timedelta(minutes=30)).isoformat(),
                "travel_s": 600,
                "distance_m": 5000,
                "status": "planned",
            }
        )
    rid = uuid4()
    async with write_transaction():
        await Route.insert(Route(id=rid, rep=rep, day=day, stops=stops))
        await record_change("routes", rid, "put", user_id=rep)
    return rid


async def make_offer(
    author: UUID, region: UUID | None, title: str = "Offer", status: str = "draft"
) -> UUID:
    """An offer campaign of a region (a draft unless told), change recorded."""
    from backend.db import write_transaction
    from notifications.tables import Offer
    from sync.changelog import record_change

    oid = uuid4()
    async with write_transaction():
        await Offer.insert(Offer(id=oid, title=title, author=author, region=region, status=status))
        await record_change("offers", oid, "put", user_id=author)
    return oid


async def make_inbox_entry(user: UUID, title: str = "Hello") -> UUID:
    """A notification in a user's inbox, through the outbox like every real one."""
    from notifications.outbox import enqueue_notification

    nid = await enqueue_notification(user, "reminder", title, "body", "/", f"test-{uuid4()}")
    assert nid is not None
    return nid


async def device_code(client: AsyncClient, headers: dict[str, str]) -> int:
    """Register a new install for this user (an empty sync push); its client code."""
    body = {"client_id": str(uuid4()), "schema_version": 1, "mutations": []}
    r = await client.post("/api/sync/push", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return int(r.json()["client_code"])


async def upload_photo(
    client: AsyncClient,
    headers: dict[str, str],
    *,
    customer_id: UUID | None = None,
    visit_id: UUID | None = None,
) -> dict[str, Any]:
    """A small JPEG through the resumable upload (one chunk); returns the photo's JSON."""
    import hashlib
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    data = out.getvalue()
    body: dict[str, Any] = {
        "id": str(uuid4()),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "content_type": "image/jpeg",
    }
    if customer_id is not None:
        body["customer_id"] = str(customer_id)
    if visit_id is not None:
        body["visit_id"] = str(visit_id)
    r = await client.post("/api/uploads", json=body, headers=headers)
    assert r.status_code == 201, r.text
    r = await client.patch(
        f"/api/uploads/{body['id']}",
        content=data,
        headers={
            **headers,
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": "0",
        },
    )
    assert r.status_code == 200 and r.json()["complete"], r.text
    return dict(r.json()["photo"])
