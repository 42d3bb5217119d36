"""Sessions: a new password logs everyone else out; a reused refresh token ends its family."""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD, email_of, make_region, make_user

NEW_PASSWORD = "blue-tractor-in-the-rain"


async def _tokens(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict:
    r = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/refresh", json={"refresh_token": token})


async def test_changing_the_password_ends_every_other_session_and_refresh_token(client):
    email = await email_of(await make_user("rep", region=await make_region()))
    phone, laptop, here = [await _tokens(client, email) for _ in range(3)]
    r = await client.patch(
        "/api/me",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=_bearer(here),
    )
    assert r.status_code == 200, r.text
    for other in (phone, laptop):
        assert (await client.get("/api/me", headers=_bearer(other))).status_code == 401
        assert (await _refresh(client, other["refresh_token"])).status_code == 401
    # The session that changed it goes on, and so does its refresh token.
    assert (await client.get("/api/me", headers=_bearer(here))).status_code == 200
    assert (await _refresh(client, here["refresh_token"])).status_code == 200
    # The old password is gone, the new one works.
    r = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 401
    await _tokens(client, email, NEW_PASSWORD)


async def test_an_admin_setting_a_password_ends_all_sessions_of_that_user(client):
    admin = await _tokens(client, await email_of(await make_user("admin")))
    rep = await make_user("rep", region=await make_region())
    rep_tokens = await _tokens(client, await email_of(rep))
    r = await client.patch(
        f"/api/users/{rep}", json={"password": NEW_PASSWORD}, headers=_bearer(admin)
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/api/me", headers=_bearer(rep_tokens))).status_code == 401
    assert (await _refresh(client, rep_tokens["refresh_token"])).status_code == 401


async def test_reusing_a_rotated_refresh_token_ends_the_whole_family(client):
    email = await email_of(await make_user("rep"))
    first = await _tokens(client, email)
    other_login = await _tokens(client, email)  # another device: a family of its own
    r = await _refresh(client, first["refresh_token"])
    assert r.status_code == 200
    second = r.json()
    r = await _refresh(client, second["refresh_token"])
    assert r.status_code == 200
    third = r.json()
    # A thief replays the first token: refused, and the family's live session ends with it.
    r = await _refresh(client, first["refresh_token"])
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/api/me", headers=_bearer(third))).status_code == 401
    assert (await _refresh(client, third["refresh_token"])).status_code == 401
    # The user's other login was not part of that family and goes on.
    assert (await client.get("/api/me", headers=_bearer(other_login))).status_code == 200
    assert (await _refresh(client, other_login["refresh_token"])).status_code == 200


async def test_an_unknown_refresh_token_changes_nothing(client):
    email = await email_of(await make_user("rep"))
    tokens = await _tokens(client, email)
    r = await _refresh(client, "x" * 54)
    assert r.status_code == 401
    assert (await client.get("/api/me", headers=_bearer(tokens))).status_code == 200
