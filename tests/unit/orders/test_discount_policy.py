"""Which discounts exceed a role's limits (backend.documents.approval.discount_excess)."""

from __future__ import annotations

from decimal import Decimal as D

from backend.documents.approval import blocked_by_approval, discount_excess


def test_only_what_exceeds_the_limits_is_named() -> None:
    assert discount_excess([D(15), D(0)], D(10), D(15), D(10)) == []
    assert discount_excess([D(15), D("15.01")], D("10.5"), D(15), D(10)) == [
        "line 2: 15.01 % off, above the 15 % allowed",
        "document: 10.5 % off, above the 10 % allowed",
    ]


def test_no_limit_means_anything_goes() -> None:
    assert discount_excess([D(100)], D(100), None, None) == []


def test_only_an_approved_or_unneeded_document_goes_out() -> None:
    assert blocked_by_approval(None) is None and blocked_by_approval("approved") is None
    assert blocked_by_approval("pending") and blocked_by_approval("rejected")
