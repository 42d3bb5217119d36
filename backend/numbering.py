"""Device document numbers belong to the device that minted them.

A device offline numbers its orders "<client code>-<n>" and its quotes "<client code>-Q<n>",
where the client code is the one sync handed its install. The number is only safe from
collisions if nobody else uses that series: a number whose code is not the sending device's
is refused (422, field ``number``), else one user could take another device's next number
and that device's offline document would be refused forever.

* Through sync push, the device is known: sync sets it with ``device_code`` around the
  push, and only that code's series is accepted.
* Through REST there is no device: a number is accepted only from a series of one of the
  caller's own installs (the PWA posting online); without a number the server assigns one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

from backend.errors import FieldError

_device: ContextVar[int | None] = ContextVar("rounds_device_code", default=None)


@contextmanager
def device_code(code: int) -> Iterator[None]:
    """Mark the documents written inside as coming from the install with this client code."""
    token = _device.set(code)
    try:
        yield
    finally:
        _device.reset(token)


def current_device_code() -> int | None:
    return _device.get()


def series_code(number: str) -> int | None:
    """The client code a device number starts with ("07-3", "7-Q3" -> 7); None if not digits."""
    prefix = number.split("-", 1)[0]
    if not prefix.isdigit() or len(prefix) > 16:
        return None
    return int(prefix)


async def _user_owns_code(user_id: UUID, code: int) -> bool:
    from sync.tables import SyncClient

    return bool(
        await SyncClient.exists().where((SyncClient.code == code) & (SyncClient.user == user_id))
    )


async def foreign_series(user_id: UUID, number: str) -> FieldError | None:
    """Why ``number`` may not be used by this user now, or None when it is from its series."""
    code = series_code(number)
    device = current_device_code()
    if device is not None:
        if code == device:
            return None
        return FieldError(
            "number",
            f"not from this device's series: its numbers start with '{device}-'",
            "foreign_series",
        )
    if code is not None and await _user_owns_code(user_id, code):
        return None
    return FieldError(
        "number",
        "not from a series of one of your devices; leave it out to get a server number",
        "foreign_series",
    )
