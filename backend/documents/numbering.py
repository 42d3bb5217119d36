"""Numbering a priced document, the same steps for orders ("SO-…") and quotes ("Q-…").

A document gets the number its device minted offline, "<client code>-<…>" in the device's
own series (checked by shape, by backend.numbering.foreign_series and by the unique index:
409 when taken), or else the server's "<prefix>-<year>-<6 digits>" from a NumberSeries
counter taken inside the write transaction.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from backend.errors import Conflict, FieldError, ValidationFailed
from backend.numbering import foreign_series
from backend.orders.tables import NumberSeries


@dataclass(frozen=True)
class NumberRules:
    kind: str  # "order", "quote": for the messages
    prefix: str  # the server's numbers: "<prefix>-<year>-<6 digits>"
    device_number: re.Pattern[str]  # a device's numbers; never shaped like a server number
    device_example: str  # how a device number looks, said in the refusal

    def series_name(self, year: int) -> str:
        """The NumberSeries row that counts one year's server-assigned numbers."""
        return f"{self.prefix}-{year}"

    def server_number(self, year: int, value: int) -> str:
        return f"{self.prefix}-{year}-{value:06d}"

    def is_device_number(self, number: str) -> bool:
        return self.device_number.fullmatch(number) is not None

    def shape_error(self, number: str | None) -> FieldError | None:
        """A number sent that is not a device number (None when fine or not sent)."""
        if number is None or self.is_device_number(number):
            return None
        return FieldError(
            "number",
            f"a device number is {self.device_example}; leave it out to get a server number",
            "pattern",
        )

    async def check_series(self, user_id: UUID, number: str | None) -> None:
        """Refuse (422) a device number from a series that is not the sender's."""
        if number is not None and (wrong := await foreign_series(user_id, number)):
            raise ValidationFailed(
                detail=f"The {self.kind} number is not from your series.", errors=[wrong]
            )

    async def take(
        self, requested: str | None, year: int, taken: Callable[[str], Awaitable[bool]]
    ) -> str:
        """Inside the write transaction: the device's number unless taken (409), else the
        next server number of the year."""
        if requested is not None:
            if await taken(requested):
                raise Conflict(
                    detail=f"The {self.kind} number is used already.",
                    errors=[FieldError("number", "already used", "taken")],
                )
            return requested
        return self.server_number(year, await next_series_value(self.series_name(year)))


async def next_series_value(name: str) -> int:
    """Take the next value of a counter; atomic on both engines.

    The upsert locks the counter row until the writing transaction ends (PostgreSQL), and
    SQLite writers are serialised, so two transactions can never take the same value.
    """
    sql = (
        "INSERT INTO number_series (name, next_value) VALUES ({}, 2) "
        "ON CONFLICT (name) DO UPDATE SET next_value = number_series.next_value + 1 "
        "RETURNING next_value"
    )
    rows = await NumberSeries.raw(sql, name)
    return int(rows[0]["next_value"]) - 1
