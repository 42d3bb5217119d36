"""Login throttling: growing delays for the address that fails, never a lock-out elsewhere."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from litestar import Litestar

from tests.factories import PASSWORD, make_user

Clients = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def from_address(app: Litestar, db: None) -> Clients:
    """Clients whose requests come from a given IP address."""

    @asynccontextmanager
    async def make(address: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c

    return make


@pytest.fixture
def throttle_settings(app: Litestar, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Apply throttle settings to the running app for one test."""

    def apply(**values: int) -> None:
        monkeypatch.setattr(app.state, "settings", replace(app.state.settings, **values))

    return apply


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def test_failures_slow_that_address_only_and_never_lock_the_owner_out(from_address):
    await make_user("rep", email="rep@test.rounds")
    async with from_address("203.0.113.7") as attacker, from_address("198.51.100.20") as owner:
        for _ in range(5):
            r = await _login(attacker, "rep@test.rounds", "guess-number-x")
            assert r.status_code == 401
        # The attacker's address must now wait, even with the right password...
        r = await _login(attacker, "rep@test.rounds", PASSWORD)
        assert r.status_code == 429
        assert r.headers["content-type"].startswith("application/problem+json")
        assert int(r.headers["retry-after"]) >= 1
        assert "Try again in" in r.json()["detail"]
        # ...while the owner, from an address that has not failed, logs in at once.
        r = await _login(owner, "rep@test.rounds", PASSWORD)
        assert r.status_code == 200, r.text


async def test_the_wait_doubles_with_each_further_failure(from_address, throttle_settings):
    throttle_settings(login_account_failures=3, login_delay_seconds=1)
    await make_user("rep", email="rep@test.rounds")
    waits = []
    async with from_address("203.0.113.8") as attacker:
        for _ in range(3):
            assert (await _login(attacker, "rep@test.rounds", "wrong-guess-1")).status_code == 401
        for _ in range(3):
            r = await _login(attacker, "rep@test.rounds", "wrong-guess-2")
            assert r.status_code == 429
            wait = int(r.headers["retry-after"])
            waits.append(wait)
            await asyncio.sleep(wait + 0.1)  # wait as told, then guess again and fail
            assert (await _login(attacker, "rep@test.rounds", "wrong-guess-3")).status_code == 401
    print(f"Retry-After after 3, 4 and 5 failures: {waits} s")
    assert waits == [1, 2, 4]


async def test_the_right_password_in_time_clears_the_count(from_address):
    await make_user("rep", email="rep@test.rounds")
    async with from_address("198.51.100.30") as owner:
        for _ in range(4):
            assert (await _login(owner, "rep@test.rounds", "typo-password")).status_code == 401
        assert (await _login(owner, "rep@test.rounds", PASSWORD)).status_code == 200
        for _ in range(4):  # a fresh start: four more typos are still heard
            assert (await _login(owner, "rep@test.rounds", "typo-password")).status_code == 401
        assert (await _login(owner, "rep@test.rounds", PASSWORD)).status_code == 200


async def test_one_address_guessing_many_accounts_is_slowed(from_address, throttle_settings):
    throttle_settings(login_address_failures=6)
    for i in range(4):
        await make_user("rep", email=f"rep{i}@test.rounds")
    async with from_address("203.0.113.9") as sprayer, from_address("198.51.100.40") as owner:
        codes = [
            (await _login(sprayer, f"rep{i % 4}@test.rounds", "Summer-2026!!")).status_code
            for i in range(8)
        ]
        assert codes == [401] * 6 + [429, 429]
        assert (await _login(owner, "rep3@test.rounds", PASSWORD)).status_code == 200


async def test_parallel_guesses_cannot_slip_past_the_count(from_address, throttle_settings):
    throttle_settings(login_delay_seconds=60)
    await make_user("rep", email="rep@test.rounds")
    async with from_address("203.0.113.10") as attacker:
        answers = await asyncio.gather(
            *[_login(attacker, "rep@test.rounds", f"parallel-guess-{i}") for i in range(20)]
        )
    codes = sorted(r.status_code for r in answers)
    print(f"20 parallel guesses: {codes.count(401)} checked, {codes.count(429)} refused")
    assert codes.count(401) == 5 and codes.count(429) == 15


async def test_a_right_password_does_not_count_against_its_address(from_address, throttle_settings):
    """An office behind one address: colleagues' typos plus a good login stay below the bar."""
    throttle_settings(login_address_failures=4, login_delay_seconds=60)
    for i in range(4):
        await make_user("rep", email=f"rep{i}@test.rounds")
    async with from_address("198.51.100.50") as office:
        for i in range(3):
            assert (await _login(office, f"rep{i}@test.rounds", "typo-password")).status_code == 401
        # The fourth attempt from the address would start the delay, but it is right.
        assert (await _login(office, "rep3@test.rounds", PASSWORD)).status_code == 200
        assert (await _login(office, "rep0@test.rounds", PASSWORD)).status_code == 200
        # A fourth failure does start it.
        assert (await _login(office, "rep1@test.rounds", "typo-password")).status_code == 401
        assert (await _login(office, "rep2@test.rounds", PASSWORD)).status_code == 429
