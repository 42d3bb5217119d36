"""The team map's API: territory geometry, GeoJSON in and out, assignment preview, workload
against the reps' hours, rebalance apply and undo, and who may do each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from httpx import AsyncClient

from backend.accounts.tables import User
from backend.customers.tables import Customer
from backend.territories.tables import Territory
from tests.factories import change_rows, make_customer, make_world_fast
from tests.integration.sync.device import Device

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[24.0, 59.0], [25.0, 59.0], [25.0, 60.0], [24.0, 60.0], [24.0, 59.0]]],
}


async def _territories_of(ids: list[UUID]) -> dict[UUID, UUID | None]:
    rows = await Customer.select(Customer.id, Customer.territory).where(Customer.id.is_in(ids))
    return {r["id"]: r["territory"] for r in rows}


async def test_geometry_is_validated_and_named_in_the_error(client: AsyncClient) -> None:
    w = await make_world_fast()
    url, h = f"/api/territories/{w.t1}", w.headers["manager"]
    open_ring = {"type": "Polygon", "coordinates": [[[24, 59], [25, 59], [25, 60], [24, 60]]]}
    bad_lat = {"type": "Polygon", "coordinates": [[[24, 59], [25, 95], [25, 60], [24, 59]]]}
    ring = [[24 + i / 10000, 59 + (i % 2) / 100] for i in range(5001)]
    huge = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    line = {"type": "LineString", "coordinates": [[24, 59], [25, 59]]}
    for shape, field in [
        (open_ring, "geometry.coordinates[0]"),
        (bad_lat, "geometry.coordinates[0][1]"),
        (huge, "geometry.coordinates"),
        (line, "geometry.type"),
    ]:
        r = await client.patch(url, json={"geometry": shape}, headers=h)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field
    row = await Territory.select(Territory.polygon, Territory.version).where(Territory.id == w.t1)
    assert row[0]["polygon"] is None and row[0]["version"] == 1  # nothing stored

    r = await client.patch(url, json={"geometry": SQUARE}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["geometry"] == SQUARE and r.json()["polygon"] == SQUARE
    # The first round's clients still send `polygon` and read it back.
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    r = await client.patch(url, json={"polygon": multi}, headers=h)
    assert r.status_code == 200 and r.json()["geometry"] == multi
    r = await client.patch(url, json={"geometry": None}, headers=h)
    assert r.status_code == 200 and r.json()["geometry"] is None


async def test_geojson_listing_scope_and_sync_carry_the_geometry(client: AsyncClient) -> None:
    w = await make_world_fast()
    await Territory.update({Territory.polygon: SQUARE}).where(Territory.id == w.t1)
    r = await client.get("/api/territories?format=geojson", headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    features = {f["properties"]["id"]: f for f in fc["features"]}
    assert set(features) == {str(w.t1), str(w.t2)}  # the manager's region only
    t1 = features[str(w.t1)]
    assert t1["type"] == "Feature" and t1["geometry"] == SQUARE
    assert t1["properties"]["rep_ids"] == [str(w.rep1)]
    assert t1["properties"]["region_id"] == str(w.region)
    assert t1["properties"]["colour"].startswith("#") and features[str(w.t2)]["geometry"] is None

    # Another region's manager: the territory does not exist for them.
    r = await client.patch(
        f"/api/territories/{w.t1}", json={"geometry": SQUARE}, headers=w.headers["other_manager"]
    )
    assert r.status_code == 404
    r = await client.get("/api/territories?format=geojson", headers=w.headers["other_manager"])
    assert {f["id"] for f in r.json()["features"]} == {str(w.t_other)}
    r = await client.get("/api/territories?format=xml", headers=w.headers["manager"])
    assert r.status_code == 422 and "format" in r.text

    # A rep's device gets the same shape through sync.
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    assert rep.replica[("territories", str(w.t1))]["geometry"] == SQUARE


async def test_geojson_import_matches_by_code_all_or_nothing(client: AsyncClient) -> None:
    w = await make_world_fast()
    h = w.headers["manager"]
    export = (await client.get("/api/territories?format=geojson", headers=h)).json()
    codes = {f["id"]: f["properties"]["code"] for f in export["features"]}
    t1_code, t2_code = codes[str(w.t1)], codes[str(w.t2)]
    other_code = (await Territory.select(Territory.code).where(Territory.id == w.t_other))[0][
        "code"
    ]

    def fc(*features):
        return {"type": "FeatureCollection", "features": list(features)}

    def feat(code, geometry):
        return {"type": "Feature", "geometry": geometry, "properties": {"code": code}}

    # Another region's territory, an unknown code, a bad ring: refused, nothing changes.
    bad = {"type": "Polygon", "coordinates": [[[24, 59], [25, 59], [24, 59]]]}
    r = await client.post(
        "/api/territories/geojson",
        json=fc(feat(t1_code, SQUARE), feat(other_code, SQUARE), feat("NOPE", SQUARE)),
        headers=h,
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [
        "features[1].properties.code",
        "features[2].properties.code",
    ]
    r = await client.post("/api/territories/geojson", json=fc(feat(t2_code, bad)), headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "features[0].geometry.coordinates[0]"
    assert not await Territory.exists().where(Territory.polygon.is_not_null())

    r = await client.post(
        "/api/territories/geojson?dry_run=true", json=fc(feat(t1_code, SQUARE)), headers=h
    )
    assert r.json() == {"dry_run": True, "updated": [t1_code], "unchanged": []}
    assert not await Territory.exists().where(Territory.polygon.is_not_null())
    r = await client.post("/api/territories/geojson", json=fc(feat(t1_code, SQUARE)), headers=h)
    assert r.status_code == 200 and r.json()["updated"] == [t1_code]
    assert [c["op"] for c in await change_rows("territories", str(w.t1))][-1] == "put"
    # Export → import round trip changes nothing.
    export = (await client.get("/api/territories?format=geojson", headers=h)).json()
    r = await client.post("/api/territories/geojson", json=export, headers=h)
    assert r.json()["updated"] == [] and sorted(r.json()["unchanged"]) == sorted([t1_code, t2_code])
    r = await client.post("/api/territories/geojson", json=export, headers=w.headers["rep1"])
    assert r.status_code == 403


async def test_assign_preview_equals_apply_and_undo_restores(client: AsyncClient) -> None:
    w = await make_world_fast()
    await Territory.update({Territory.polygon: SQUARE}).where(Territory.id == w.t2)
    await Customer.update({Customer.lat: 58.0}).where(Customer.id.is_in([w.c1, w.c2]))
    a = await make_customer(territory=w.t1, lat=59.2, lng=24.2, name="Inside A")
    b = await make_customer(region=w.region, lat=59.3, lng=24.3, name="Inside B")  # none
    out = await make_customer(territory=w.t1, lat=58.5, lng=24.5)
    url, h = f"/api/territories/{w.t2}/assign-by-polygon", w.headers["manager"]

    r = await client.post(f"{url}?dry_run=true", headers=h)
    assert r.status_code == 200, r.text
    preview = r.json()
    moves = {m["customer_id"]: m for m in preview["moves"]}
    assert set(moves) == {str(a), str(b)} and preview["batch_id"] is None
    assert moves[str(a)]["from_territory_id"] == str(w.t1) and moves[str(a)]["name"] == "Inside A"
    assert moves[str(b)]["from_territory_id"] is None
    assert await _territories_of([a, b, out]) == {a: w.t1, b: None, out: w.t1}

    r = await client.post(url, headers=h)
    applied = r.json()
    assert applied["moves"] == preview["moves"] and applied["batch_id"]
    assert await _territories_of([a, b, out]) == {a: w.t2, b: w.t2, out: w.t1}

    undo = f"/api/territories/rebalance/{applied['batch_id']}/undo"
    assert (await client.post(undo, headers=w.headers["other_manager"])).status_code == 404
    r = await client.post(undo, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["undone_at"] and r.json()["kind"] == "polygon"
    assert await _territories_of([a, b, out]) == {a: w.t1, b: None, out: w.t1}
    r = await client.post(undo, headers=h)
    assert r.status_code == 409


async def _line(territory: UUID, lngs: list[float], frequency: int) -> list[UUID]:
    return [
        await make_customer(
            territory=territory,
            lat=59.4,
            lng=lng,
            visit_frequency_days=frequency,
            visit_duration_min=30,
        )
        for lng in lngs
    ]


async def test_workload_against_capacity_and_rebalance_apply_undo(client: AsyncClient) -> None:
    w = await make_world_fast()
    await Customer.update({Customer.visit_frequency_days: 0}).where(Customer.id.is_in([w.c1, w.c2]))
    busy = await _line(w.t1, [24.70, 24.72, 24.74], 7)
    await _line(w.t2, [24.76], 28)
    await User.update(
        {
            User.preferences: {
                "route": {
                    "work_start": "09:00",
                    "work_end": "13:00",
                    "break_from": None,
                    "workdays": [0, 1, 2],
                }
            }
        }
    ).where(User.id == w.rep1)
    h = w.headers["manager"]
    r = await client.get("/api/territories/workload", headers=h)
    assert r.status_code == 200, r.text
    loads = {t["territory_id"]: t for t in r.json()["territories"]}
    t1, t2 = loads[str(w.t1)], loads[str(w.t2)]
    assert t1["rep_ids"] == [str(w.rep1)] and t1["visits_per_week"] == 3.0
    assert t1["capacity_hours_per_week"] == 12.0  # 4 h × 3 days
    # Default hours: 08:00–17:00 less a 30 min break, five days.
    assert t2["capacity_hours_per_week"] == 42.5
    assert t1["hours_per_week"] == round(t1["total_s"] / 3600 / 4, 2)
    assert t1["load"] == round(t1["hours_per_week"] / 12.0, 3)

    preview = (
        await client.post("/api/territories/rebalance/preview", json={"tolerance": 0.1}, headers=h)
    ).json()
    assert preview["moves"]
    moves = [
        {k: m[k] for k in ("customer_id", "from_territory_id", "to_territory_id")}
        for m in preview["moves"]
    ]
    before = await _territories_of(busy)
    r = await client.post("/api/territories/rebalance/apply", json={"moves": moves}, headers=h)
    assert r.status_code == 201, r.text
    batch = r.json()
    # Applying gives exactly the preview's "after".
    after = {t["territory_id"]: t["total_s"] for t in preview["after"]}
    now = (await client.get("/api/territories/workload", headers=h)).json()["territories"]
    assert {t["territory_id"]: t["total_s"] for t in now} == after
    # The same preview again is stale: a clean 409 naming the customer, nothing moves.
    state = await _territories_of(busy)
    r = await client.post("/api/territories/rebalance/apply", json={"moves": moves}, headers=h)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "moves[0].customer_id"
    assert await _territories_of(busy) == state

    r = await client.post(f"/api/territories/rebalance/{batch['id']}/undo", headers=h)
    assert r.status_code == 200 and await _territories_of(busy) == before

    # Undo refuses when a customer moved since the step.
    batch = (
        await client.post("/api/territories/rebalance/apply", json={"moves": moves}, headers=h)
    ).json()
    moved = UUID(moves[0]["customer_id"])
    await client.patch(
        f"/api/customers/{moved}", json={"territory_id": str(w.t1)}, headers=w.headers["admin"]
    )
    snapshot = await _territories_of(busy)
    r = await client.post(f"/api/territories/rebalance/{batch['id']}/undo", headers=h)
    assert r.status_code == 409 and "moved since" in r.text
    assert await _territories_of(busy) == snapshot

    # Scope: another region's manager and a rep cannot apply.
    r = await client.post(
        "/api/territories/rebalance/apply",
        json={"region_id": str(w.region), "moves": moves},
        headers=w.headers["other_manager"],
    )
    assert r.status_code == 404
    r = await client.post(
        "/api/territories/rebalance/apply", json={"moves": moves}, headers=w.headers["rep1"]
    )
    assert r.status_code == 403


async def test_team_map_points_are_the_regions_located_customers(client: AsyncClient) -> None:
    w = await make_world_fast()
    await make_customer(region=w.region, lat=None, lng=None)  # counted, not drawn
    await make_customer(region=w.region, deleted_at=datetime.now(UTC))  # not counted at all
    last = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    seg = await make_customer(
        territory=w.t2,
        lat=59.31234,
        lng=24.3,
        segment="horeca",
        last_visit_at=last,
        visit_frequency_days=14,
    )
    r = await client.get("/api/territories/map", headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["region_id"] == str(w.region) and body["unlocated"] == 1
    assert body["scale"] == 100_000
    assert set(body["ids"]) == {str(w.c1), str(w.c2), str(seg)}  # not the other region's
    columns = ("ids", "lat", "lng", "territory", "segment", "due")
    assert {len(body[c]) for c in columns} == {3}
    i = body["ids"].index(str(seg))
    assert [body[c][i] for c in columns[1:3]] == [5_931_234, 2_430_000]
    assert body["territories"][body["territory"][i]] == str(w.t2)
    assert body["segments"][body["segment"][i]] == "horeca"
    assert body["due"][i] == int((last + timedelta(days=14)).timestamp())
    assert [body["due"][body["ids"].index(str(c))] for c in (w.c1, w.c2)] == [None, None]
    for role, params, status in [
        ("other_manager", f"?region_id={w.region}", 404),
        ("rep1", "", 403),
        ("customer_user", "", 403),
        ("admin", "", 422),
    ]:
        r = await client.get(f"/api/territories/map{params}", headers=w.headers[role])
        assert r.status_code == status, role


async def test_an_unchanged_team_map_is_a_304_and_a_change_is_sent_again(
    client: AsyncClient,
) -> None:
    w = await make_world_fast()
    h = w.headers["manager"]
    first = await client.get("/api/territories/map", headers=h)
    etag = first.headers["etag"]
    again = await client.get("/api/territories/map", headers={**h, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag

    r = await client.patch(
        f"/api/customers/{w.c1}", json={"territory_id": str(w.t2)}, headers=w.headers["admin"]
    )
    assert r.status_code == 200, r.text
    changed = await client.get("/api/territories/map", headers={**h, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    body = changed.json()
    i = body["ids"].index(str(w.c1))
    assert body["territories"][body["territory"][i]] == str(w.t2)
