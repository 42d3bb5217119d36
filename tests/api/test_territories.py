"""Regions, territories (with GeoJSON polygons) and distributors over HTTP."""

from __future__ import annotations

from backend.territories.tables import Territory
from tests.factories import change_rows, make_world_fast

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[24.6, 59.4], [24.9, 59.4], [24.9, 59.5], [24.6, 59.5], [24.6, 59.4]]],
}


async def test_territory_lists_follow_the_role(client):
    w = await make_world_fast()

    async def ids(role):
        r = await client.get("/api/territories", headers=w.headers[role])
        assert r.status_code == 200, r.text
        return {t["id"] for t in r.json()}

    assert await ids("admin") == {str(w.t1), str(w.t2), str(w.t_other)}
    assert await ids("manager") == {str(w.t1), str(w.t2)}
    assert await ids("rep1") == {str(w.t1)}
    assert await ids("customer_user") == set()
    assert (
        await client.get(f"/api/territories/{w.t2}", headers=w.headers["rep1"])
    ).status_code == 404


async def test_manager_creates_a_territory_with_a_polygon_in_own_region_only(client):
    w = await make_world_fast()
    body = {"region_id": str(w.region), "name": "Kesklinn", "code": "KESK", "polygon": SQUARE}
    r = await client.post("/api/territories", json=body, headers=w.headers["manager"])
    assert r.status_code == 201, r.text
    assert r.json()["polygon"] == SQUARE
    tid = r.json()["id"]
    assert [c["op"] for c in await change_rows("territories", tid)] == ["put"]
    other = {**body, "region_id": str(w.other_region), "code": "KESK2"}
    r = await client.post("/api/territories", json=other, headers=w.headers["manager"])
    assert r.status_code == 403
    assert not await Territory.exists().where(Territory.code == "KESK2")
    # Renaming keeps the polygon; a duplicate code is a conflict.
    r = await client.patch(
        f"/api/territories/{tid}", json={"name": "Centre"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200 and r.json()["polygon"] == SQUARE and r.json()["version"] == 2
    t1_code = (await client.get(f"/api/territories/{w.t1}", headers=w.headers["admin"])).json()[
        "code"
    ]
    r = await client.patch(
        f"/api/territories/{tid}", json={"code": t1_code}, headers=w.headers["admin"]
    )
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "code"


async def test_bad_polygons_are_refused_with_the_failing_position(client):
    w = await make_world_fast()
    open_ring = {
        "type": "Polygon",
        "coordinates": [[[24.6, 59.4], [24.9, 59.4], [24.9, 59.5], [24.6, 59.5]]],
    }
    not_closed = {
        "type": "Polygon",
        "coordinates": [[[24.6, 59.4], [24.9, 59.4], [24.9, 59.5], [24.6, 59.5], [24.7, 59.4]]],
    }
    out_of_range = {
        "type": "MultiPolygon",
        "coordinates": [
            SQUARE["coordinates"],
            [[[24.6, 59.4], [190.0, 59.4], [24.9, 95.0], [24.6, 59.4]]],
        ],
    }
    point = {"type": "Point", "coordinates": [24.6, 59.4]}
    cases = [
        (open_ring, "polygon.coordinates[0]"),
        (not_closed, "polygon.coordinates[0]"),
        (out_of_range, "polygon.coordinates[1][0][1]"),
        (point, "polygon.type"),
        ("nope", "polygon"),
    ]
    for i, (polygon, field) in enumerate(cases):
        r = await client.post(
            "/api/territories",
            json={"region_id": str(w.region), "name": "Bad", "code": f"BAD{i}", "polygon": polygon},
            headers=w.headers["admin"],
        )
        assert r.status_code == 422, (polygon, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert not await Territory.exists().where(Territory.name == "Bad")


async def test_a_territory_with_customers_cannot_be_deleted(client):
    w = await make_world_fast()
    r = await client.delete(f"/api/territories/{w.t1}", headers=w.headers["manager"])
    assert r.status_code == 409
    r = await client.post(
        "/api/territories",
        json={"region_id": str(w.region), "name": "Empty", "code": "EMPTY"},
        headers=w.headers["manager"],
    )
    tid = r.json()["id"]
    assert (
        await client.delete(f"/api/territories/{tid}", headers=w.headers["manager"])
    ).status_code == 204
    assert (
        await client.get(f"/api/territories/{tid}", headers=w.headers["admin"])
    ).status_code == 404
    assert [c["op"] for c in await change_rows("territories", tid)] == ["put", "del"]


async def test_regions_and_distributors_are_admin_written_and_scoped_read(client):
    w = await make_world_fast()
    r = await client.post(
        "/api/regions", json={"name": "West", "code": "WEST"}, headers=w.headers["admin"]
    )
    assert r.status_code == 201, r.text
    region = r.json()["id"]
    assert (
        await client.post(
            "/api/regions", json={"name": "X", "code": "X1"}, headers=w.headers["manager"]
        )
    ).status_code == 403
    regions = await client.get("/api/regions", headers=w.headers["manager"])
    assert [x["id"] for x in regions.json()] == [str(w.region)]
    r = await client.post(
        "/api/distributors",
        json={"region_id": region, "name": "Hulgi OÜ", "code": "HULGI", "email": "orders@hulgi.ee"},
        headers=w.headers["admin"],
    )
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    assert (
        await client.get(f"/api/distributors/{did}", headers=w.headers["manager"])
    ).status_code == 404
    mine = await client.get("/api/distributors", headers=w.headers["distributor_user"])
    assert [d["id"] for d in mine.json()] == [str(w.distributor)]
    r = await client.patch(
        f"/api/distributors/{w.distributor}",
        json={"phone": "+372 600"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 403
    # A region with a distributor in it stays; an empty one can go.
    assert (
        await client.delete(f"/api/regions/{region}", headers=w.headers["admin"])
    ).status_code == 409
    assert (
        await client.delete(f"/api/distributors/{did}", headers=w.headers["admin"])
    ).status_code == 204
    assert (
        await client.delete(f"/api/regions/{region}", headers=w.headers["admin"])
    ).status_code == 204
    assert [c["op"] for c in await change_rows("regions", region)] == ["put", "del"]
