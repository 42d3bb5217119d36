"""Loading the demo data set: Tallinn, its reps and customers, a catalogue and six months of work.

Safe to run twice: every id is uuid5(seed, natural key) and rows already stored are
skipped. Fast: rows go in as multi-row INSERTs inside a few large transactions.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

import structlog

from backend.accounts.passwords import hash_password
from backend.accounts.tables import RepTerritory, User
from backend.catalogue.tables import PriceList, PriceListItem, Product
from backend.customers.core import search_text
from backend.customers.tables import Contact, Customer
from backend.db import write_transaction
from backend.demo import catalogue, history, names, places
from backend.demo.bulk import Row, chunks, insert_missing, make, record_changes
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order, OrderLine
from backend.territories.tables import Distributor, Region, Territory
from backend.visits.tables import Visit

log = structlog.get_logger(__name__)
PASSWORD = "demo"
REGION_CODE = "TLN"
# Customers per history transaction: big enough to be fast, small enough to let others in.
HISTORY_CHUNK = 400
DISTRIBUTOR_SHARE = 60 / 320

_HOURS: dict[str, list[dict[str, list[list[str]]]]] = {
    "retail": [
        {d: [["09:00", "21:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
        | {"sun": [["10:00", "18:00"]]},
        {d: [["09:00", "21:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")} | {"sun": []},
        {d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    ],
    "kiosk": [
        {d: [["07:00", "23:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        {d: [["07:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": [["09:00", "18:00"]], "sun": []},
    ],
    "horeca": [
        {d: [["11:00", "22:00"]] for d in ("mon", "tue", "wed", "thu")}
        | {"fri": [["11:00", "24:00"]], "sat": [["12:00", "24:00"]], "sun": [["12:00", "20:00"]]},
        {d: [["08:00", "15:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": [], "sun": []},
    ],
    "pharmacy": [
        {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": [["09:00", "17:00"]], "sun": [["10:00", "16:00"]]},
    ],
    "wholesale": [
        {d: [["08:00", "12:00"], ["13:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": [], "sun": []},
    ],
}
NIGHT_KIOSK = {d: [["22:00", "06:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class DemoIds:
    """Stable ids: uuid5 of the seed's namespace and a natural key."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.namespace = uuid5(UUID("6f1d8f0e-4c5b-4a53-9d7e-2b1f0c9a7e11"), f"demo:{seed}")

    def __call__(self, kind: str, key: str) -> UUID:
        return uuid5(self.namespace, f"{kind}:{key}")


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


async def _catalogue(ids: DemoIds, rng: random.Random) -> dict[str, Any]:
    demo_products = catalogue.products(rng)
    lists = {
        "retail": (ids("price_list", "DEMO-RETAIL"), "DEMO-RETAIL", "Retail", Decimal("1")),
        "wholesale": (
            ids("price_list", "DEMO-WHOLESALE"),
            "DEMO-WHOLESALE",
            "Wholesale (-12 %)",
            Decimal("0.88"),
        ),
        "distributor": (
            ids("price_list", "DEMO-DISTRIB"),
            "DEMO-DISTRIB",
            "Baltic Foods Distribution",
            Decimal("0.85"),
        ),
    }
    products = [
        make(
            Product,
            id=ids("product", p.sku),
            sku=p.sku,
            name=p.name,
            category=p.category,
            unit=p.unit,
            barcode=p.barcode,
            tax_rate=p.tax_rate,
        )
        for p in demo_products
    ]
    new_products = await insert_missing(Product, products)
    await record_changes("products", [(p["id"], None) for p in new_products])
    new_lists = await insert_missing(
        PriceList,
        [
            make(
                PriceList,
                id=pl_id,
                code=code,
                name=name,
                currency="EUR",
                # The distributor's terms: discounts up to 10 % on its orders.
                max_discount_pct=Decimal("10") if code == "DEMO-DISTRIB" else None,
            )
            for pl_id, code, name, _ in lists.values()
        ],
    )
    prices: dict[UUID, dict[UUID, Decimal]] = {}
    items = []
    for pl_id, code, _, factor in lists.values():
        prices[pl_id] = {}
        for p, row in zip(demo_products, products, strict=True):
            price = _money(p.price * factor)
            prices[pl_id][row["id"]] = price
            items.append(
                make(
                    PriceListItem,
                    id=ids("price_item", f"{code}:{p.sku}"),
                    price_list=pl_id,
                    product=row["id"],
                    price=price,
                )
            )
    await insert_missing(PriceListItem, items)
    await record_changes("price_lists", [(pl["id"], None) for pl in new_lists])
    return {
        "lists": {k: v[0] for k, v in lists.items()},
        "prices": prices,
        "products": [(r["id"], r["sku"], r["name"], r["unit"], r["tax_rate"]) for r in products],
    }


def _customer(
    ids: DemoIds,
    rng: random.Random,
    i: int,
    area: places.Area,
    region: UUID,
    territory: UUID,
    night_kiosk: bool,
) -> tuple[Row, list[Row]]:
    code = f"DEMO-{i:05d}"
    segment = names.pick(rng, names.SEGMENTS, names.SEGMENT_WEIGHTS)
    name, lang = names.customer_name(rng, segment)
    street, slat, slng = rng.choice(area.streets)
    lat, lng = places.jitter(rng, area, slat, slng)
    address = f"{street} {rng.randint(1, 120)}"
    postal = f"{area.postal_prefix}{rng.randint(100, 999)}"
    hours = NIGHT_KIOSK if night_kiosk else rng.choice(_HOURS[segment])
    cid = ids("customer", code)
    customer = make(
        Customer,
        id=cid,
        code=code,
        name=name,
        legal_name=name if segment == "wholesale" else "",
        street=address,
        city="Tallinn",
        postal_code=postal,
        country="EE",
        lat=lat,
        lng=lng,
        geocode_quality="street",
        region=region,
        territory=territory,
        segment=segment,
        tier=rng.choice(("A", "B", "B", "C", "C")),
        phone=f"+372 {rng.randint(5000000, 5999999)}",
        email=f"info{i}@example.ee",
        opening_hours=hours,
        visit_frequency_days=rng.choices((7, 14, 28), weights=(20, 40, 40))[0],
        visit_duration_min=rng.choice((15, 20, 30, 30, 45, 60)),
        credit_limit=Decimal(rng.choice((0, 500, 1000, 2500, 5000))),
        search_text=search_text(name, code, address, "Tallinn", postal),
    )
    contacts = []
    for n in range(rng.randint(1, 3)):
        person = names.person_name(rng, lang)
        contacts.append(
            make(
                Contact,
                id=ids("contact", f"{code}:{n}"),
                customer=cid,
                name=person,
                title=rng.choice(names.TITLES),
                phone=f"+372 {rng.randint(5000000, 5999999)}",
                email=f"contact{n}.{i}@example.ee",
                is_primary=n == 0,
                locale=lang,
                offers_opt_in=rng.random() < 0.5,
            )
        )
    return customer, contacts


async def _structure(ids: DemoIds) -> dict[str, Any]:
    region = ids("region", REGION_CODE)
    existing = await Region.select(Region.id).where(Region.code == REGION_CODE).first()
    if existing and existing["id"] != region:
        raise RuntimeError("demo data from another seed is loaded already; use that seed")
    if await insert_missing(
        Region,
        [
            make(
                Region,
                id=region,
                name="Tallinn",
                code=REGION_CODE,
                time_zone="Europe/Tallinn",
                currency="EUR",
            )
        ],
    ):
        pass  # regions are not a synced collection
    territories = [ids("territory", a.code) for a in places.AREAS]
    new = await insert_missing(
        Territory,
        [
            make(Territory, id=t, region=region, name=a.name, code=a.code, polygon=a.geojson())
            for t, a in zip(territories, places.AREAS, strict=True)
        ],
    )
    await record_changes("territories", [(t["id"], None) for t in new])
    distributor = ids("distributor", "DEMO-DIST")
    await insert_missing(
        Distributor,
        [
            make(
                Distributor,
                id=distributor,
                region=region,
                name="Baltic Foods Distribution OÜ",
                code="DEMO-DIST",
                phone="+372 600 0000",
                email="orders@balticfoods.example",
            )
        ],
    )
    return {"region": region, "territories": territories, "distributor": distributor}


async def _price_distributor(distributor: UUID, price_list: UUID) -> None:
    """The demo distributor takes orders out of the box: its list is linked (also in a demo
    loaded before the link existed), unless an admin has linked another one since."""
    unpriced = (Distributor.id == distributor) & Distributor.price_list.is_null()
    if await Distributor.exists().where(unpriced):
        await Distributor.update(
            {Distributor.price_list: price_list, Distributor.version: Distributor.version + 1}
        ).where(unpriced)
        # No change record: distributors are not a sync collection; a device learns of its
        # new list through the scope its next pull compares (sync/pull.py).


async def _users(ids: DemoIds, s: dict[str, Any], customer_user_link: UUID) -> dict[str, UUID]:
    specs: list[dict[str, Any]] = [
        {"email": "admin@demo.rounds", "name": "Demo Admin", "role": "admin"},
        {
            "email": "manager@demo.rounds",
            "name": "Kadri Tamm",
            "role": "manager",
            "region": s["region"],
            "locale": "et",
        },
        {
            "email": "rep1@demo.rounds",
            "name": "Mart Kask",
            "role": "rep",
            "region": s["region"],
            "locale": "et",
        },
        {
            "email": "rep2@demo.rounds",
            "name": "Ольга Смирнова",
            "role": "rep",
            "region": s["region"],
            "locale": "ru",
        },
        {
            "email": "rep3@demo.rounds",
            "name": "Тарас Бондар",
            "role": "rep",
            "region": s["region"],
            "locale": "uk",
        },
        {
            "email": "distributor@demo.rounds",
            "name": "Baltic Foods",
            "role": "distributor",
            "region": s["region"],
            "distributor": s["distributor"],
        },
        {
            "email": "customer@demo.rounds",
            "name": "Customer Demo",
            "role": "customer",
            "customer": customer_user_link,
        },
    ]
    out = {spec["email"]: ids("user", spec["email"]) for spec in specs}
    present = {r["email"] for r in await User.select(User.email).where(User.email.is_in(list(out)))}
    missing = [spec for spec in specs if spec["email"] not in present]
    if not missing:
        return out
    # One hash for all: hashing is slow on purpose, and every demo login shares "demo".
    password_hash = hash_password(PASSWORD)
    rows = [User(id=out[spec["email"]], password_hash=password_hash, **spec) for spec in missing]
    await User.insert(*rows)
    links = []
    for n, territory in enumerate(s["territories"], start=1):
        email = f"rep{n}@demo.rounds"
        if email not in present:
            links.append(RepTerritory(user=out[email], territory=territory))
    if links:
        await RepTerritory.insert(*links)
    await record_changes("users", [(r.id, None) for r in rows], users=True)
    return out


async def load_demo(customers: int = 320, seed: int = 7) -> str:
    """Load (or complete) the demo data set; returns a one-line summary."""
    started = time.perf_counter()
    ids = DemoIds(seed)
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    async with write_transaction():
        s = await _structure(ids)
        cat = await _catalogue(ids, rng)
        await _price_distributor(s["distributor"], cat["lists"]["distributor"])
    distributor_every = max(1, round(1 / DISTRIBUTOR_SHARE))
    rows: list[tuple[Row, list[Row]]] = []
    for i in range(1, customers + 1):
        area_index = (i - 1) % len(places.AREAS)
        customer_rng = random.Random(f"{seed}:customer:{i}")
        customer, contacts = _customer(
            ids,
            customer_rng,
            i,
            places.AREAS[area_index],
            s["region"],
            s["territories"][area_index],
            night_kiosk=i == 2,
        )
        served = i % distributor_every == 1
        customer["distributor"] = s["distributor"] if served else None
        customer["price_list"] = (
            cat["lists"]["distributor"]
            if served
            else cat["lists"]["wholesale"]
            if customer["segment"] == "wholesale"
            else cat["lists"]["retail"]
        )
        rows.append((customer, contacts))
    async with write_transaction():
        new_customers = await insert_missing(Customer, [c for c, _ in rows])
        await record_changes("customers", [(c["id"], c["id"]) for c in new_customers])
        new_contacts = await insert_missing(Contact, [k for _, ks in rows for k in ks])
        await record_changes("contacts", [(k["id"], k["customer"]) for k in new_contacts])
        users = await _users(ids, s, rows[0][0]["id"])
    reps = [users[f"rep{n}@demo.rounds"] for n in range(1, len(places.AREAS) + 1)]
    counts = {"visits": 0, "orders": 0, "history": 0}
    for part in chunks(list(enumerate(rows)), HISTORY_CHUNK):
        batch = history.Batch()
        for i, (c, _) in part:
            ctx = history.Context(
                namespace=ids.namespace,
                seed=seed,
                now=now,
                rep_of=reps[i % len(reps)],
                distributor_user=users["distributor@demo.rounds"],
                prices=cat["prices"],
                products=cat["products"],
            )
            facts = history.CustomerFacts(
                id=c["id"],
                code=c["code"],
                index=i + 1,
                lat=c["lat"],
                lng=c["lng"],
                frequency=c["visit_frequency_days"],
                duration=c["visit_duration_min"],
                price_list=c["price_list"],
                distributor=c["distributor"],
            )
            history.generate(ctx, facts, batch)
        async with write_transaction():
            visits = await insert_missing(Visit, batch.visits)
            await record_changes("visits", [(v["id"], v["customer"]) for v in visits])
            await _touch_last_visits(visits)
            orders = await insert_missing(Order, batch.orders)
            await insert_missing(OrderLine, batch.lines)
            await record_changes("orders", [(o["id"], o["customer"]) for o in orders])
            events = await insert_missing(HistoryEvent, batch.events)
            await record_changes("history", [(e["id"], e["customer"]) for e in events])
        counts["visits"] += len(visits)
        counts["orders"] += len(orders)
        counts["history"] += len(events)
    seconds = time.perf_counter() - started
    log.info("demo.loaded", customers=customers, seed=seed, seconds=round(seconds, 1), **counts)
    return (
        f"{customers} customers in 3 Tallinn territories ({len(new_customers)} new), "
        f"{len(cat['products'])} products, {counts['visits']} new visits, "
        f"{counts['orders']} new orders, {counts['history']} new history entries "
        f"in {seconds:.1f} s; logins: admin|manager|rep1..rep3|distributor|customer"
        f"@demo.rounds, password '{PASSWORD}'"
    )


async def _touch_last_visits(visits: list[Row]) -> None:
    """Move each customer's last visit to its latest finished visit among those just stored."""
    latest: dict[UUID, datetime] = {}
    for v in visits:
        c, when = v["customer"], v["check_out_at"]
        if v["status"] == "done" and (c not in latest or when > latest[c]):
            latest[c] = when
    for customer_id, when in latest.items():
        where = (Customer.id == customer_id) & (
            Customer.last_visit_at.is_null() | (Customer.last_visit_at < when)
        )
        if await Customer.exists().where(where):
            await Customer.update(
                {Customer.last_visit_at: when, Customer.version: Customer.version + 1}
            ).where(where)
            await record_changes("customers", [(customer_id, customer_id)])
