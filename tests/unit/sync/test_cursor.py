"""Cursors are opaque and signed: a changed byte or another secret gives nothing."""

from __future__ import annotations

import msgspec

from sync.cursor import CursorState, Scope, _b64, _mac, decode_cursor, encode_cursor

STATE = CursorState(
    "u1",
    "epoch",
    "stream",
    41,
    7,
    Scope("customer", customer="c1", price_list="p1"),
    pending=("+c9",),
)


def test_a_cursor_round_trips_with_its_scope_and_pending_closures():
    token = encode_cursor("s3cret", STATE)
    assert decode_cursor("s3cret", token) == STATE


def test_a_tampered_or_foreign_cursor_decodes_to_nothing():
    token = encode_cursor("s3cret", STATE)
    body, mac = token.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    assert decode_cursor("s3cret", f"{flipped}.{mac}") is None
    assert decode_cursor("another", token) is None
    assert decode_cursor("s3cret", "garbage") is None


def test_a_cursor_issued_before_the_closure_and_price_list_fields_still_decodes():
    # The shape devices hold from the first release: 10 fields, a scope of 5.
    body = msgspec.msgpack.encode(
        ["u1", "epoch", "stream", 1, 2, ["rep", "r1", "", "", ["t1"]], 1, 0, "", None]
    )
    token = f"{_b64(body)}.{_b64(_mac('k', body))}"
    state = decode_cursor("k", token)
    assert state is not None and state.scope.territories == ("t1",)
    assert state.pending == () and state.scope.price_list == ""
