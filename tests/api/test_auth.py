"""Logging in, refreshing, logging out, throttling and the bearer check on every call."""

from __future__ import annotations

from tests.factories import PASSWORD, email_of, login, make_region, make_user


async def test_login_returns_tokens_and_the_user(client):
    uid = await make_user("admin", email="boss@test.rounds", name="Boss")
    r = await client.post(
        "/api/auth/login", json={"email": "Boss@Test.Rounds", "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["access_token"] and body["refresh_token"] and body["expires_in"] > 0
    assert body["user"]["id"] == str(uid) and body["user"]["role"] == "admin"
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["email"] == "boss@test.rounds"


async def test_wrong_password_is_a_problem(client):
    await make_user("rep", email="rep@test.rounds")
    r = await client.post("/api/auth/login", json={"email": "rep@test.rounds", "password": "nope"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Authentication required"


async def test_unknown_email_is_indistinguishable(client):
    r = await client.post("/api/auth/login", json={"email": "ghost@test.rounds", "password": "x"})
    assert r.status_code == 401 and r.json()["detail"] == "Wrong e-mail or password."


async def test_missing_or_bad_token_is_refused(client):
    assert (await client.get("/api/me")).status_code == 401
    r = await client.get("/api/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert r.status_code == 401 and r.json()["type"].endswith("/unauthenticated")


async def test_refresh_rotates_and_logout_revokes(client):
    uid = await make_user("rep")
    r = await client.post(
        "/api/auth/login", json={"email": await email_of(uid), "password": PASSWORD}
    )
    tokens = r.json()
    r2 = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r2.status_code == 200
    # The old access token belongs to the revoked session.
    old = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await client.get("/api/me", headers=old)).status_code == 401
    new = {"Authorization": f"Bearer {r2.json()['access_token']}"}
    assert (await client.get("/api/me", headers=new)).status_code == 200
    assert (await client.post("/api/auth/logout", headers=new)).status_code == 204
    assert (await client.get("/api/me", headers=new)).status_code == 401


async def test_malformed_login_body(client):
    r = await client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post("/api/auth/login", json={"email": "a@b.c", "password": "x", "extra": 1})
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("extra", "unknown")]


async def test_deactivated_user_loses_access(client):
    admin = await make_user("admin")
    rep = await make_user("rep", region=await make_region())
    ah = await login(client, await email_of(admin))
    rh = await login(client, await email_of(rep))
    r = await client.patch(f"/api/users/{rep}", json={"active": False}, headers=ah)
    assert r.status_code == 200, r.text
    assert (await client.get("/api/me", headers=rh)).status_code == 401
