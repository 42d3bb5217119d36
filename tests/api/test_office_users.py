"""The office's user administration: accounts without a password, invitations, temporary
passwords, disabling; and everyone's personal settings on `PATCH /api/me`."""

from __future__ import annotations

from tests.factories import (
    PASSWORD,
    bearer_for,
    make_customer,
    make_price_list,
    make_product,
    make_region,
    make_territory,
    make_user,
)


async def test_invited_user_sets_a_password_once_and_is_logged_in(client):
    region = await make_region()
    territory = await make_territory(region)
    admin = await bearer_for(await make_user("admin"))
    r = await client.post(
        "/api/users",
        headers=admin,
        json={
            "email": "new.rep@test.rounds",
            "name": "New Rep",
            "role": "rep",
            "region_id": str(region),
            "territory_ids": [str(territory)],
        },
    )
    assert r.status_code == 201, r.text
    user = r.json()
    # No password yet: nothing typed gets in.
    r = await client.post(
        "/api/auth/login", json={"email": "new.rep@test.rounds", "password": PASSWORD}
    )
    assert r.status_code == 401
    r = await client.post(
        f"/api/users/{user['id']}/credentials", headers=admin, json={"kind": "invite_link"}
    )
    assert r.status_code == 200, r.text
    link = r.json()["link"]
    assert link.startswith("/#/invite/") and r.json()["expires_at"]
    token = link.removeprefix("/#/invite/")
    r = await client.post(
        "/api/auth/invite", json={"token": token, "password": "Kohvik hommikul 2026"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] == "new.rep@test.rounds" and r.json()["access_token"]
    # The link is spent; the password chosen works.
    r = await client.post(
        "/api/auth/invite", json={"token": token, "password": "Teine parool 2026 x"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "token"
    r = await client.post(
        "/api/auth/login", json={"email": "new.rep@test.rounds", "password": "Kohvik hommikul 2026"}
    )
    assert r.status_code == 200


async def test_temporary_password_replaces_the_old_one_and_ends_sessions(client):
    admin = await bearer_for(await make_user("admin"))
    uid = await make_user("admin", email="second@test.rounds")
    before = await client.post(
        "/api/auth/login", json={"email": "second@test.rounds", "password": PASSWORD}
    )
    old_token = before.json()["access_token"]
    r = await client.post(
        f"/api/users/{uid}/credentials", headers=admin, json={"kind": "temporary_password"}
    )
    assert r.status_code == 200, r.text
    temp = r.json()["temporary_password"]
    assert len(temp) >= 12
    r = await client.get("/api/me", headers={"Authorization": f"Bearer {old_token}"})
    assert r.status_code == 401
    r = await client.post(
        "/api/auth/login", json={"email": "second@test.rounds", "password": PASSWORD}
    )
    assert r.status_code == 401
    r = await client.post("/api/auth/login", json={"email": "second@test.rounds", "password": temp})
    assert r.status_code == 200


async def test_a_temporary_password_opens_only_the_change_to_ones_own(client):
    admin = await bearer_for(await make_user("admin"))
    region = await make_region()
    uid = await make_user("rep", region=region, email="temp.rep@test.rounds")
    r = await client.post(
        f"/api/users/{uid}/credentials", headers=admin, json={"kind": "temporary_password"}
    )
    temp = r.json()["temporary_password"]
    login = await client.post(
        "/api/auth/login", json={"email": "temp.rep@test.rounds", "password": temp}
    )
    assert login.status_code == 200 and login.json()["must_change_password"] is True
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    # Everything but reading oneself, the change and logging out says what to do first.
    for method, path in (
        ("GET", "/api/customers"),
        ("GET", "/api/sync/pull"),
        ("POST", "/api/sync/push"),
        ("GET", "/api/users"),
    ):
        r = await client.request(
            method, path, headers=headers, json={} if method == "POST" else None
        )
        assert r.status_code == 403, (path, r.text)
        assert r.json()["errors"][0]["code"] == "password_change_required", r.text
    me = await client.get("/api/me", headers=headers)
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    # The temporary password again as the new one is refused, and changes nothing.
    r = await client.patch(
        "/api/me", headers=headers, json={"current_password": temp, "new_password": temp}
    )
    assert r.status_code == 422
    assert (await client.get("/api/me", headers=headers)).json()["must_change_password"] is True
    r = await client.patch(
        "/api/me",
        headers=headers,
        json={"current_password": temp, "new_password": "Minu oma parool 2026"},
    )
    assert r.status_code == 200 and r.json()["must_change_password"] is False, r.text
    # Fresh tokens open everything; so does a new login with the chosen password.
    fresh = await client.post(
        "/api/auth/refresh", json={"refresh_token": login.json()["refresh_token"]}
    )
    assert fresh.status_code == 200 and fresh.json()["must_change_password"] is False
    r = await client.get(
        "/api/customers", headers={"Authorization": f"Bearer {fresh.json()['access_token']}"}
    )
    assert r.status_code == 200, r.text
    again = await client.post(
        "/api/auth/login",
        json={"email": "temp.rep@test.rounds", "password": "Minu oma parool 2026"},
    )
    assert again.status_code == 200 and again.json()["must_change_password"] is False
    # An invitation accepted after a temporary password also ends the obligation.
    await client.post(
        f"/api/users/{uid}/credentials", headers=admin, json={"kind": "temporary_password"}
    )
    r = await client.post(
        f"/api/users/{uid}/credentials", headers=admin, json={"kind": "invite_link"}
    )
    token = r.json()["link"].removeprefix("/#/invite/")
    r = await client.post(
        "/api/auth/invite", json={"token": token, "password": "Kolmas parool 2026"}
    )
    assert r.status_code == 200 and r.json()["must_change_password"] is False


async def test_a_rep_cannot_hand_out_credentials_and_a_bad_kind_names_the_field(client):
    region = await make_region()
    rep = await make_user("rep", region=region)
    other = await make_user("admin")
    r = await client.post(
        f"/api/users/{other}/credentials",
        headers=await bearer_for(rep),
        json={"kind": "temporary_password"},
    )
    assert r.status_code in (403, 404)
    r = await client.post(
        f"/api/users/{other}/credentials",
        headers=await bearer_for(other),
        json={"kind": "postcard"},
    )
    assert r.status_code in (400, 422) and "kind" in r.text


async def test_disabled_user_cannot_log_in(client):
    admin = await bearer_for(await make_user("admin"))
    uid = await make_user("admin", email="gone@test.rounds")
    r = await client.patch(f"/api/users/{uid}", headers=admin, json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    r = await client.post(
        "/api/auth/login", json={"email": "gone@test.rounds", "password": PASSWORD}
    )
    assert r.status_code == 401


async def test_personal_settings_are_kept_and_read_back(client):
    region = await make_region()
    rep = await make_user("rep", region=region)
    headers = await bearer_for(rep)
    r = await client.patch(
        "/api/me",
        headers=headers,
        json={
            "locale": "et",
            "time_zone": "Europe/Kyiv",
            "quiet_hours": {"start": "21:30", "end": "07:00"},
            "reminders": {"visit_soon": True, "day_plan": False},
            "reminder_lead_minutes": 45,
        },
    )
    assert r.status_code == 200, r.text
    me = (await client.get("/api/me", headers=headers)).json()
    assert me["locale"] == "et" and me["time_zone"] == "Europe/Kyiv"
    assert me["quiet_hours"] == {"start": "21:30", "end": "07:00"}
    assert me["reminders"] == {"visit_soon": True, "day_plan": False}
    assert me["reminder_lead_minutes"] == 45
    # Switching quiet hours off keeps the rest.
    r = await client.patch("/api/me", headers=headers, json={"quiet_hours": None})
    assert r.status_code == 200 and r.json()["quiet_hours"] is None
    assert r.json()["reminders"] == {"visit_soon": True, "day_plan": False}


async def test_personal_settings_refuse_bad_values_by_field(client):
    headers = await bearer_for(await make_user("admin"))
    for body, field in (
        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "quiet_hours.start"),
        ({"quiet_hours": {"start": "22:00", "end": "22:00"}}, "quiet_hours.end"),
        ({"reminders": {"horoscope": True}}, "reminders"),
        ({"reminder_lead_minutes": 0}, "reminder_lead_minutes"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ):
        r = await client.patch("/api/me", headers=headers, json=body)
        assert r.status_code in (400, 422), (body, r.text)
        assert field in r.text, (body, r.text)
    me = (await client.get("/api/me", headers=headers)).json()
    assert me["quiet_hours"] is None and me["reminders"] == {}


async def test_quiet_hours_set_through_the_api_reach_the_worker_rule(client):
    from backend.accounts.tables import User
    from notifications.core import quiet_hours_of

    uid = await make_user("admin")
    await client.patch(
        "/api/me",
        headers=await bearer_for(uid),
        json={"time_zone": "Europe/Tallinn", "quiet_hours": {"start": "22:00", "end": "07:00"}},
    )
    row = await User.select(User.time_zone, User.preferences).where(User.id == uid).first()
    from backend.accounts.credentials import preferences_of

    quiet = quiet_hours_of(row["time_zone"], preferences_of(row["preferences"]))
    assert quiet is not None
    from datetime import UTC, datetime

    # 23:30 in Tallinn in winter is 21:30 UTC: quiet until 07:00 local (05:00 UTC).
    assert quiet.next_allowed(datetime(2026, 1, 10, 21, 30, tzinfo=UTC)) == datetime(
        2026, 1, 11, 5, 0, tzinfo=UTC
    )


async def test_admin_gives_a_customer_a_price_list(client):
    region = await make_region()
    territory = await make_territory(region)
    admin = await bearer_for(await make_user("admin"))
    customer = await make_customer(territory=territory, region=region)
    pl = await make_price_list({await make_product(): "2.50"})
    r = await client.patch(
        f"/api/customers/{customer}", headers=admin, json={"price_list_id": str(pl)}
    )
    assert r.status_code == 200, r.text
    assert r.json()["price_list_id"] == str(pl)
    r = await client.get(f"/api/customers/{customer}", headers=admin)
    assert r.json()["price_list_id"] == str(pl)
