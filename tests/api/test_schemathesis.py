"""Schemathesis against the published OpenAPI schema: a fixed number of generated requests per
operation, for an admin and for a rep, against a real `rounds serve` on SQLite. No request may
get a server error (5xx), and every answer must match the schema it publishes.

Runs in the SQLite run of scripts/test.sh (not in `make test-fast`: marked slow). Examples are
derandomized, so a failure repeats; each is reported with the request that caused it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.e2e.conftest import PASSWORD, Server, _prepare_database, start_server, stop_server

# The server it starts is SQLite whatever the suite runs on: once, in the SQLite run.
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

EXAMPLES = 4
# Operations that would end the test's own session or change its credentials midway.
SKIP = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/logout-all"),
    ("POST", "/api/me/password"),
    ("PATCH", "/api/me"),
}
# Operations that call an outside service (the geocoder), unreachable by design in tests: their
# honest answer is 503 temporarily-unavailable, which is not a server fault.
OUTSIDE = ("/api/geocode", "/geocode")


@pytest.fixture(scope="module")
def api() -> Iterator[tuple[Server, dict[str, dict[str, str]]]]:
    data_dir = Path(tempfile.mkdtemp(prefix="rounds-schemathesis-"))
    _prepare_database(data_dir)
    server = start_server(data_dir)
    try:
        admin = _login(server, "admin@example.com")
        region = httpx.post(
            f"{server.url}/api/regions", json={"name": "North", "code": "N"}, headers=admin
        ).json()
        httpx.post(
            f"{server.url}/api/users",
            json={
                "email": "rep@example.com",
                "password": PASSWORD,
                "name": "Rep",
                "role": "rep",
                "region_id": region["id"],
            },
            headers=admin,
        ).raise_for_status()
        yield server, {"admin": admin, "rep": _login(server, "rep@example.com")}
    finally:
        stop_server(server)


def _login(server: Server, email: str) -> dict[str, str]:
    r = httpx.post(f"{server.url}/api/auth/login", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _run(operation: Any, base_url: str, headers: dict[str, str]) -> str | None:
    """The first failure of this operation's examples (with the request), or None."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    try:
        run()
    except Unsatisfiable:
        return None
    except Exception as exc:
        text = " | ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        return f"{operation.method.upper()} {operation.path}: {text[:700]}"
    return None


@pytest.mark.parametrize("role", ["admin", "rep"])
def test_no_server_errors_and_no_schema_violations(api: Any, role: str) -> None:
    server, headers = api
    schema = schemathesis.openapi.from_url(f"{server.url}/schema/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        if operation.path.startswith(OUTSIDE[0]) or operation.path.endswith(OUTSIDE[1]):
            continue
        operations += 1
        if failure := _run(operation, server.url, headers[role]):
            failures.append(failure)
    assert operations > 80
    assert not failures, f"{len(failures)} failing operations:\n" + "\n".join(failures)
