"""VAPID keys live in the database: one key for every process and host, made once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from backend.settings import get_settings
from notifications.keys import KEY_FILE, vapid_keys
from notifications.tables import VapidKey
from notifications.vapid import VapidKeys


def _host(tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    """Settings as another host has them: its own data directory, the same database."""
    data_dir = tmp_path / name
    data_dir.mkdir()
    return replace(get_settings(), data_dir=data_dir, vapid_private_key=None)


async def test_hosts_starting_together_agree_on_one_key(db, tmp_path):
    hosts = [_host(tmp_path, f"host{i}") for i in range(6)]
    keys = await asyncio.gather(*[vapid_keys(h) for h in hosts])
    assert len({k.application_server_key for k in keys}) == 1
    assert await VapidKey.count() == 1
    # Later calls, from any host, read the same key.
    again = await vapid_keys(_host(tmp_path, "late"))
    assert again.application_server_key == keys[0].application_server_key


async def test_a_key_kept_in_the_data_dir_before_is_adopted(db, tmp_path):
    host = _host(tmp_path, "old")
    old = VapidKeys.generate()
    (host.data_dir / KEY_FILE).write_text(old.private_pem())
    assert (await vapid_keys(host)).application_server_key == old.application_server_key
    other = _host(tmp_path, "new")
    assert (await vapid_keys(other)).application_server_key == old.application_server_key


async def test_the_environment_key_wins(db, tmp_path):
    given = VapidKeys.generate()
    host = replace(_host(tmp_path, "env"), vapid_private_key=given.private_base64url())
    assert (await vapid_keys(host)).application_server_key == given.application_server_key
    assert await VapidKey.count() == 0
