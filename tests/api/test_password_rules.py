"""Password rules (OWASP ASVS level 2) wherever a password is set: users, /me, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.accounts.tables import User
from tests.factories import PASSWORD, email_of, login, make_region, make_user

ROOT = Path(__file__).resolve().parents[2]

REFUSED = {
    "password": "too short",
    "        ": "blank",
    " " * 20: "blank",
    "a  b  c  d  e  f": "twelve only if runs of spaces count singly",
    "password1234": "common word with digits",
    "iloveyou2026!!": "common word with digits and symbols",
    "qwertyuiop123": "common (zxcvbn list)",
    "passwordpassword": "common word twice",
    "aaaaaaaaaaaaaaaa": "one character repeated",
    "123456789012345": "a run of digits",
    "x" * 129: "over 128 characters",
}


def _user(password: str) -> dict[str, str]:
    return {"email": "newrep@test.rounds", "password": password, "name": "New", "role": "admin"}


@pytest.mark.parametrize("password", list(REFUSED), ids=list(REFUSED.values()))
async def test_weak_passwords_are_refused_naming_the_field(client, password):
    headers = await login(client, await email_of(await make_user("admin")))
    before = await User.count()
    r = await client.post("/api/users", json=_user(password), headers=headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert "password" in problem["detail"].lower() or any(
        "password" in e["field"] for e in problem["errors"]
    )
    assert any(e["field"].endswith("password") for e in problem.get("errors", [])), problem
    assert await User.count() == before


async def test_long_passphrases_and_any_characters_are_welcome(client):
    headers = await login(client, await email_of(await make_user("admin")))
    long_one = "Meie väike paat sõidab üle järve, kui tuul on vaikne 🌊 " + "ja päike paistab " * 4
    assert 64 <= len(long_one) <= 128
    for i, password in enumerate([long_one, "tulip quarry marble", "Ω≈ç√∫˜µ≤≥÷-2026"]):
        body = {**_user(password), "email": f"pass{i}@test.rounds"}
        r = await client.post("/api/users", json=body, headers=headers)
        assert r.status_code == 201, (password, r.text)
        await login(client, f"pass{i}@test.rounds", password)


async def test_changing_ones_own_password_follows_the_rules(client):
    email = await email_of(await make_user("rep", region=await make_region()))
    headers = await login(client, email)
    r = await client.patch(
        "/api/me",
        json={"current_password": PASSWORD, "new_password": "letmein12345"},
        headers=headers,
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["new_password"]
    r = await client.patch(
        "/api/me", json={"current_password": PASSWORD, "new_password": PASSWORD}, headers=headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "new_password"
    await login(client, email)  # nothing changed


async def test_an_admin_setting_a_weak_password_is_refused(client):
    headers = await login(client, await email_of(await make_user("admin")))
    rep = await make_user("rep", region=await make_region())
    r = await client.patch(f"/api/users/{rep}", json={"password": "123123123123"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "password"
    await login(client, await email_of(rep))  # the old password still works


async def test_the_cli_refuses_a_weak_admin_password(db):
    rounds = str(Path(sys.executable).with_name("rounds"))
    done = subprocess.run(  # noqa: ASYNC221 - the CLI as a user runs it
        [rounds, "create-admin", "weak@test.rounds", "--password", "welcome12345"],
        env=dict(os.environ),
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert b"password" in done.stderr and b"common" in done.stderr, done.stderr[-500:]
    assert await User.count().where(User.email == "weak@test.rounds") == 0
