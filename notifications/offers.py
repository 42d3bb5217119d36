"""Offer campaigns: a manager writes, targets, previews and schedules; the worker fans out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.catalogue.core import MAX_PRICE, decimal_problem
from backend.catalogue.tables import Product
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.history.recorder import record_event
from backend.territories.tables import Territory
from notifications.audience import (
    audience_of,
    count_customers,
    opted_in_contacts,
    recipients_of,
)
from notifications.core import offer_body, offer_words, utcnow
from notifications.offer_funnel import funnels_of
from notifications.outbox import enqueue_notification
from notifications.schemas import (
    AudiencePreview,
    OfferCreate,
    OfferRead,
    OfferSchedule,
    OfferTarget,
    OfferText,
)
from notifications.tables import Notification, Offer
from sync.changelog import record_change

log = structlog.get_logger(__name__)
AUTHORS = ("manager", "admin")


def _json(value: Any) -> Any:
    return json.loads(value or "{}") if isinstance(value, str) else value


def to_offer_read(row: dict[str, Any]) -> OfferRead:
    target = _json(row["target"])
    return OfferRead(
        id=row["id"],
        version=row["version"],
        title=row["title"],
        text=row["text"],
        product_id=row["product"],
        price=row["price"],
        discount_pct=row["discount_pct"],
        currency=row["currency"],
        image_url=row["image_url"],
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        target=msgspec.convert(target or {}, OfferTarget),
        status=row["status"],
        send_at=row["send_at"],
        sent_at=row["sent_at"],
        recipients=row["recipients"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        language=row.get("language") or "en",
        texts=msgspec.convert(_json(row.get("texts")) or {}, dict[str, OfferText]),
    )


def _author(principal: Principal) -> None:
    if principal.role not in AUTHORS:
        raise PermissionDenied(detail="Only managers write offers.")


def _region(principal: Principal) -> UUID | None:
    return None if principal.is_admin else principal.region_id


async def _check_target(principal: Principal, target: OfferTarget) -> None:
    """Territories must be the manager's own; products must exist."""
    if target.territory_ids:
        where: Any = Territory.id.is_in(list(target.territory_ids))
        if _region(principal) is not None:
            where &= Territory.region == _region(principal)
        found = {r["id"] for r in await Territory.select(Territory.id).where(where)}
        missing = [str(t) for t in target.territory_ids if t not in found]
        if missing:
            raise ValidationFailed(
                detail="Unknown territory.",
                errors=[
                    FieldError(
                        "target.territory_ids", f"not yours: {', '.join(missing)}", "unknown"
                    )
                ],
            )
    for name in ("bought_product_id", "never_product_id"):
        pid = getattr(target, name)
        if pid is not None and not await Product.exists().where(Product.id == pid):
            raise ValidationFailed(
                detail="Unknown product.",
                errors=[FieldError(f"target.{name}", "no such product", "unknown")],
            )


async def _check(principal: Principal, data: OfferCreate) -> None:
    errors = []
    if not data.title.strip():
        errors.append(FieldError("title", "must not be blank", "blank"))
    for lang, words in data.texts.items():
        if not words.title.strip():
            errors.append(FieldError(f"texts.{lang}.title", "must not be blank", "blank"))
    if data.valid_from and data.valid_until and data.valid_until <= data.valid_from:
        errors.append(FieldError("valid_until", "must be after valid_from", "range"))
    for name in ("valid_from", "valid_until"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None:
            errors.append(FieldError(name, "needs a time zone offset"))
    if data.price is not None and (
        problem := decimal_problem(data.price, places=4, lo=Decimal(0), hi=MAX_PRICE)
    ):
        errors.append(FieldError("price", problem, "range"))
    if data.discount_pct is not None and (
        not data.discount_pct.is_finite() or not 0 < data.discount_pct <= 100
    ):
        errors.append(FieldError("discount_pct", "must be above 0 and at most 100", "range"))
    if data.price is not None and data.discount_pct is not None:
        errors.append(
            FieldError("discount_pct", "give a price or a discount, not both", "exclusive")
        )
    if data.product_id and not await Product.exists().where(Product.id == data.product_id):
        errors.append(FieldError("product_id", "no such product", "unknown"))
    if errors:
        raise ValidationFailed(detail="The offer is not valid.", errors=errors)
    await _check_target(principal, data.target)


async def create_offer(principal: Principal, data: OfferCreate) -> OfferRead:
    """Save a draft offer (an existing id of the caller's own answers it unchanged)."""
    _author(principal)
    await _check(principal, data)
    offer_id = data.id or uuid4()
    async with write_transaction():
        existing = await Offer.select().where(Offer.id == offer_id).first()
        if existing is not None:
            if existing["author"] != principal.user_id:
                raise Conflict(detail="An offer with this id exists.")
            return to_offer_read(existing)
        await Offer.insert(
            Offer(
                id=offer_id,
                title=data.title,
                text=data.text,
                product=data.product_id,
                price=data.price,
                discount_pct=data.discount_pct,
                currency=data.currency,
                image_url=data.image_url or "",
                valid_from=data.valid_from,
                valid_until=data.valid_until,
                target=msgspec.to_builtins(data.target),
                language=data.language,
                texts={
                    lang: msgspec.to_builtins(words)
                    for lang, words in data.texts.items()
                    if lang != data.language
                },
                status="draft",
                author=principal.user_id,
                region=principal.region_id,
            )
        )
        await record_change("offers", offer_id, "put", user_id=principal.user_id)
    return await get_offer(principal, offer_id)


SENT = ("sending", "sent", "expired")
# A device clock a little behind ours is not a scheduling mistake.
PAST_TOLERANCE = timedelta(minutes=5)


async def readable_offer_condition(principal: Principal) -> Any | None:
    """Offers a principal reads (visibility.md): an admin all, a manager its region's, a rep the
    sent ones that target its customers (its region's, for all territories or one of its
    own), a customer the ones addressed to it, a distributor none. REST and sync ask this."""
    if principal.is_admin:
        return None
    if principal.role == Role.MANAGER:
        return Offer.region == principal.region_id if principal.region_id else Offer.id.is_null()
    if principal.role == Role.REP:
        if principal.region_id is None:
            return Offer.id.is_null()
        rows = await Offer.select(Offer.id, Offer.target).where(
            (Offer.region == principal.region_id) & Offer.status.is_in(list(SENT))
        )
        ids = [r["id"] for r in rows if _targets_rep(principal, r["target"])]
        return Offer.id.is_in(ids) if ids else Offer.id.is_null()
    if principal.role != Role.CUSTOMER:
        return Offer.id.is_null()
    received = await Notification.select(Notification.offer).where(
        (Notification.user == principal.user_id) & Notification.offer.is_not_null()
    )
    ids = list({r["offer"] for r in received})
    return (Offer.id.is_in(ids) & Offer.status.is_in(list(SENT))) if ids else Offer.id.is_null()


def _targets_rep(principal: Principal, target: Any) -> bool:
    if isinstance(target, str):
        target = json.loads(target or "{}")
    territories = {str(t) for t in (target or {}).get("territory_ids") or []}
    return not territories or bool(territories & {str(t) for t in principal.territory_ids})


async def _row_in_scope(principal: Principal, offer_id: UUID) -> dict[str, Any]:
    condition = (Offer.id == offer_id) & Offer.deleted_at.is_null()
    readable = await readable_offer_condition(principal)
    if readable is not None:
        condition = condition & readable
    row = await Offer.select().where(condition).first()
    if row is None:
        raise NotFound(detail="No such offer.")
    return row


async def _with_funnels(principal: Principal, reads: list[OfferRead]) -> list[OfferRead]:
    """The authors (managers, admins) see each offer's funnel; readers of offers do not."""
    if principal.role not in AUTHORS or not reads:
        return reads
    funnels = await funnels_of([r.id for r in reads])
    return [msgspec.structs.replace(r, funnel=funnels[r.id]) for r in reads]


async def get_offer(principal: Principal, offer_id: UUID) -> OfferRead:
    read = to_offer_read(await _row_in_scope(principal, offer_id))
    return (await _with_funnels(principal, [read]))[0]


async def list_offers(principal: Principal) -> list[OfferRead]:
    """The offers the principal reads (readable_offer_condition), newest first."""
    where: Any = Offer.deleted_at.is_null()
    readable = await readable_offer_condition(principal)
    if readable is not None:
        where &= readable
    rows = await Offer.select().where(where).order_by(Offer.created_at, ascending=False)
    return await _with_funnels(principal, [to_offer_read(r) for r in rows])


async def preview_audience(principal: Principal, target: OfferTarget) -> AudiencePreview:
    """How many customers match and how many opted-in people the push would reach."""
    _author(principal)
    await _check_target(principal, target)
    region, now = _region(principal), utcnow()
    return AudiencePreview(
        customers=await count_customers(region, target, now),
        recipients=len(await recipients_of(region, target, now)),
        contacts_opted_in=await opted_in_contacts(region, target, now),
    )


async def _set_status(offer_id: UUID, values: dict[Any, Any], user_id: UUID | None) -> None:
    values = {**values, Offer.version: Offer.version + 1, Offer.updated_at: utcnow()}
    await Offer.update(values).where(Offer.id == offer_id)
    await record_change("offers", offer_id, "put", user_id=user_id)


async def schedule_offer(principal: Principal, offer_id: UUID, data: OfferSchedule) -> OfferRead:
    """Queue a draft to go out at `send_at` (or at once)."""
    _author(principal)
    now = utcnow()
    send_at = data.send_at or now
    if send_at.tzinfo is None:
        raise ValidationFailed(
            detail="send_at needs a time zone offset.",
            errors=[FieldError("send_at", "needs an offset")],
        )
    if send_at < now - PAST_TOLERANCE:
        raise ValidationFailed(
            detail="send_at is in the past: pick a time to come, or none to send now.",
            errors=[FieldError("send_at", "must not be in the past", "range")],
        )
    async with write_transaction():
        row = await _row_in_scope(principal, offer_id)
        if row["status"] not in ("draft", "scheduled"):
            raise Conflict(detail=f"An offer that is {row['status']} cannot be scheduled.")
        await _set_status(
            offer_id, {Offer.status: "scheduled", Offer.send_at: send_at}, principal.user_id
        )
    return await get_offer(principal, offer_id)


async def cancel_offer(principal: Principal, offer_id: UUID) -> OfferRead:
    _author(principal)
    async with write_transaction():
        row = await _row_in_scope(principal, offer_id)
        if row["status"] not in ("draft", "scheduled"):
            raise Conflict(detail=f"An offer that is {row['status']} cannot be cancelled.")
        await _set_status(offer_id, {Offer.status: "cancelled"}, principal.user_id)
    return await get_offer(principal, offer_id)


async def _fan_out(row: dict[str, Any], now: datetime) -> int:
    """Inbox entry, push and history entry for every opted-in recipient; in one transaction."""
    target = msgspec.convert(
        json.loads(row["target"]) if isinstance(row["target"], str) else row["target"] or {},
        OfferTarget,
    )
    found = await audience_of(row["region"], target, now)
    texts = _json(row.get("texts")) or {}
    sent = 0
    for recipient in found.recipients:
        user_id, customer_id = recipient.user_id, recipient.customer_id
        # The customer's own language when the offer has it, else the offer's language.
        title, text = offer_words(
            recipient.locale, row.get("language") or "en", row["title"], row["text"], texts
        )
        body = offer_body(text, row["price"], row["discount_pct"], row["currency"])
        nid = await enqueue_notification(
            # The offer's own screen in the PWA, which also holds the opt-out switch.
            user_id,
            "offer",
            title,
            body,
            f"/#/offer/{row['id']}",
            f"offer:{row['id']}:{user_id}",
            now,
            {"offer_id": str(row["id"]), "image_url": row["image_url"] or None},
            customer_id=customer_id,
            offer_id=row["id"],
        )
        if nid is None:
            continue  # sent by an earlier, interrupted fan-out
        sent += 1
        await record_change("offers", row["id"], "put", user_id=user_id)
        await record_event(
            customer_id,
            "offer_sent",
            ref_id=row["id"],
            actor_id=row["author"],
            summary=f"Offer sent: {row['title']}",
            data={"notification_id": str(nid)},
            captured_at=now,
        )
    return sent


async def send_due_offers(now: datetime | None = None) -> int:
    """Fan out every scheduled offer whose time has come; returns how many went out."""
    now = now or utcnow()
    due = await Offer.select(Offer.id).where(
        (Offer.status == "scheduled") & (Offer.send_at <= now) & Offer.deleted_at.is_null()
    )
    done = 0
    for item in due:
        async with write_transaction():
            # Re-read inside the writing transaction: another worker may have taken it.
            row = (
                await Offer.select()
                .where((Offer.id == item["id"]) & (Offer.status == "scheduled"))
                .first()
            )
            if row is None:
                continue
            if row["valid_until"] is not None and row["valid_until"] <= now:
                await _set_status(row["id"], {Offer.status: "expired"}, None)
                continue
            sent = await _fan_out(row, now)
            await _set_status(
                row["id"],
                {
                    Offer.status: "sent",
                    Offer.sent_at: now,
                    Offer.recipients: Offer.recipients + sent,
                },
                None,
            )
        log.info("offers.sent", offer=str(item["id"]), recipients=sent)
        done += 1
    return done
