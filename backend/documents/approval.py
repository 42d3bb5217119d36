"""Discount approval for orders and quotes: who may give how much, and who may approve.

A rep's or distributor's document whose discounts exceed the limits of its role (settings
``max_line_discount_<role>`` / ``max_document_discount_<role>``) is stored, online or
replayed by sync alike, with ``approval = "pending"``: a quote cannot be sent or accepted and
an order cannot be confirmed until a manager of the customer's region (or an admin) approves
it; a rejection (with a reason) keeps it from going out. Managers and admins have no limit.
Nobody approves a document they wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from piccolo.table import Table

from backend.accounts.principal import Principal, Role
from backend.documents.schemas import ApprovalDecision
from backend.documents.store import record_write
from backend.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from backend.quotes.pricing import PricedDocument
from backend.settings import get_settings

APPROVERS = ("admin", "manager")
APPROVALS = ("pending", "approved", "rejected")
# Roles whose discounts never need an approval (they are the approvers).
UNLIMITED = frozenset({"admin", "manager"})


def discount_excess(
    line_pcts: Sequence[Decimal],
    document_pct: Decimal,
    max_line: Decimal | None,
    max_document: Decimal | None,
) -> list[str]:
    """The discounts above the limits (None: no limit), each said in words; empty when none."""
    reasons = []
    if max_line is not None:
        reasons += [
            f"line {i + 1}: {pct} % off, above the {max_line} % allowed"
            for i, pct in enumerate(line_pcts)
            if pct > max_line
        ]
    if max_document is not None and document_pct > max_document:
        reasons.append(f"document: {document_pct} % off, above the {max_document} % allowed")
    return reasons


def blocked_by_approval(approval: str | None) -> str | None:
    """Why a document cannot go out (be sent, accepted or confirmed) yet, or None if it can."""
    if approval == "pending":
        return "its discounts await a manager's approval"
    if approval == "rejected":
        return "a manager rejected its discounts"
    return None


def limits_for(role: str) -> tuple[Decimal | None, Decimal | None]:
    """(line, document) discount limits of a role in percent; None: unlimited."""
    if role in UNLIMITED:
        return None, None
    s = get_settings()
    if role == Role.DISTRIBUTOR:
        return s.max_line_discount_distributor, s.max_document_discount_distributor
    return s.max_line_discount_rep, s.max_document_discount_rep


def excess(role: str, line_pcts: Sequence[Decimal], document_pct: Decimal) -> list[str]:
    max_line, max_document = limits_for(role)
    return discount_excess(line_pcts, document_pct, max_line, max_document)


def approval_for(principal: Principal, priced: PricedDocument) -> str | None:
    """ "pending" when this author's discounts need an approval, else None."""
    pcts = [line.discount_pct for line in priced.lines]
    return "pending" if excess(principal.role, pcts, priced.document_discount_pct) else None


def check_can_go_out(row: dict[str, Any], kind: str) -> None:
    """Refuse (409, field ``approval``) to send, accept or confirm a document awaiting one."""
    why = blocked_by_approval(row.get("approval"))
    if why:
        raise Conflict(
            detail=f"This {kind} cannot go out: {why}.",
            errors=[FieldError("approval", why, f"approval_{row.get('approval')}")],
        )


def check_decision(principal: Principal, row: dict[str, Any], data: ApprovalDecision) -> None:
    """A manager in scope or an admin, never the author, decides a pending approval once."""
    if principal.role not in APPROVERS:
        raise PermissionDenied(detail="Only a manager of the region or an admin approves.")
    if row["author"] == principal.user_id:
        raise PermissionDenied(detail="Nobody approves their own document.")
    if row.get("approval") != "pending":
        raise Conflict(
            detail="This document is not awaiting an approval.",
            errors=[FieldError("approval", f"is {row.get('approval')}", "not_pending")],
        )
    if data.decision == "rejected" and not data.reason.strip():
        raise ValidationFailed(
            detail="Say why the discounts are rejected.",
            errors=[FieldError("reason", "required when rejecting", "required")],
        )


def event_data(
    number: str, principal: Principal, data: ApprovalDecision, author_id: UUID
) -> dict[str, Any]:
    """What the customer's history keeps of a decision: who approved what, and why."""
    return {
        "number": number,
        "action": f"approval_{data.decision}",
        "approval": data.decision,
        "reason": data.reason,
        "by_role": principal.role,
        "by_name": principal.name,
        "author_id": str(author_id),
    }


def reset_values() -> dict[str, Any]:
    """An earlier decision no longer holds (new figures): no approver, no reason."""
    return {"approval_by": None, "approval_at": None, "approval_reason": ""}


async def record_decision(
    principal: Principal,
    table: type[Table],  # Order or Quote (ApprovalColumns, SyncedColumns)
    row: dict[str, Any],
    data: ApprovalDecision,
    *,
    stream: str,
    kind: str,
    label: str,
) -> None:
    """Check and store a decision on a document's discounts (its row as read in the
    decider's scope), with its sync change and the history entry saying who decided what."""
    check_decision(principal, row, data)
    moment = datetime.now(UTC)
    version: Any = table._meta.get_column_by_name("version")
    values: dict[Any, Any] = {
        "approval": data.decision,
        "approval_by": principal.user_id,
        "approval_at": moment,
        "approval_reason": data.reason,
        version: version + 1,
        "updated_at": moment,
    }
    await table.update(values).where(table._meta.primary_key == row["id"])
    await record_write(
        stream,
        row["id"],
        row["customer"],
        kind,
        actor_id=principal.user_id,
        summary=f"{label} {row['number']}: discounts {data.decision} by {principal.name}"
        + (f": {data.reason}" if data.reason else ""),
        data=event_data(row["number"], principal, data, row["author"]),
    )
