"""Pure order rules: status transitions and order numbers.

The rules orders share with quotes (pricing checks, the device-vs-server comparison,
discount approval) are in backend.documents.
"""

from __future__ import annotations

import re

from backend.documents.numbering import NumberRules
from backend.errors import Conflict, FieldError

STATUSES = ("submitted", "confirmed", "shipped", "delivered", "cancelled")
# Forward one step at a time; cancelling only before anything has left the warehouse.
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"shipped", "cancelled"}),
    "shipped": frozenset({"delivered"}),
    "delivered": frozenset(),
    "cancelled": frozenset(),
}

# A device number: the install's code (handed out by sync), a dash, the device's own counter.
# One dash only, so it can never look like a server number "SO-2026-000123".
DEVICE_NUMBER = re.compile(r"^(?!SO-)[A-Z0-9]{2,16}-[1-9][0-9]{0,8}$")
NUMBERS = NumberRules(
    kind="order",
    prefix="SO",
    device_number=DEVICE_NUMBER,
    device_example="'<install code>-<n>', e.g. 'K7Q2-15'",
)
series_name = NUMBERS.series_name
server_number = NUMBERS.server_number
is_device_number = NUMBERS.is_device_number


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


# The author may change or withdraw an order only until the office has confirmed it.
AUTHOR_EDITABLE = ("submitted",)


def check_author_may_change(status: str, what: str) -> None:
    """Refuse (409, field ``status``, code ``order_locked``) a change after confirmation.

    what: "changed" or "cancelled", for the message.
    """
    if status not in AUTHOR_EDITABLE:
        raise Conflict(
            detail=f"This order is {status} already; its author can no longer have it {what}.",
            errors=[FieldError("status", f"the order is {status}", "order_locked")],
        )
