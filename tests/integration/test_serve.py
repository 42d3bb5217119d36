"""`rounds serve` as a user starts it: migrations at start, health, the PWA and the API docs."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

from backend.settings import get_settings

ROUNDS = str(Path(sys.executable).with_name("rounds"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDS_")}
    env["ROUNDS_DATA_DIR"] = str(tmp_path)
    env["ROUNDS_ENV_FILE"] = ""
    if get_settings().is_postgres:
        env["ROUNDS_DATABASE_URL"] = get_settings().database_url
    env.update(extra)
    return env


@pytest.mark.slow
def test_serve_starts_migrates_and_answers(tmp_path: Path, engine: None) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [ROUNDS, "serve", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read() if proc.stdout else ""
                    pytest.fail(f"server did not start: {out}")
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        index = httpx.get(f"{base}/", timeout=5)
        assert index.status_code == 200 and "<html" in index.text.lower()
        assert httpx.get(f"{base}/schema/openapi.json", timeout=5).status_code == 200
        login = httpx.post(
            f"{base}/api/auth/login", json={"email": "nobody@x.ee", "password": "x"}, timeout=5
        )
        assert login.status_code == 401
        if not get_settings().is_postgres:
            assert (tmp_path / "rounds.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    _assert_one_json_log(proc.stdout.read() if proc.stdout else "")


def _assert_one_json_log(output: str) -> None:
    """Off a terminal every line is one JSON event, without colour codes, each said once."""
    assert "\x1b[" not in output
    events = [json.loads(line) for line in output.splitlines() if line.strip()]
    migrated = [e for e in events if e["event"] == "db.migrated"]
    assert sorted(e["app"] for e in migrated) == ["backend", "geo", "notifications", "sync"]
    # The session's engine fixture migrated a PostgreSQL database already; SQLite is fresh.
    fresh = not get_settings().is_postgres
    assert {(e["applied"], e["already"]) for e in migrated} == ({(1, 0)} if fresh else {(0, 1)})
    opened = [e for e in events if e["event"] == "db.opened"]
    if fresh:
        assert [(e["engine"], e["version"]) for e in opened] == [("sqlite", sqlite3.sqlite_version)]
    else:
        assert [e["engine"] for e in opened] == ["postgresql"]
        assert re.fullmatch(r"\d+(\.\d+)+.*", opened[0]["version"])
    starting = [e for e in events if e["event"] == "server.starting"]
    assert [e["version"] for e in starting] == [version("rounds")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "value"), [("ROUNDS_PORT", "abc"), ("ROUNDS_DATABASE_URL", "oracle://x")]
)
def test_bad_configuration_fails_at_start_naming_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    env = _env(tmp_path, **{name: value})
    result = subprocess.run([ROUNDS, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert name in result.stderr
