"""What each collection exports: its columns, the order rows stream in, and who sees what.

The visibility of each collection is the rule its REST listing and sync ask (visibility.md):
customer_condition for customers and contacts, readable_visit_condition,
readable_order_condition, quoting's scope and readable_history_condition; the partner roles
get no internal customer column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.accounts.principal import Principal
from backend.customers.tables import Contact, Customer
from backend.customers.visibility import INTERNAL
from backend.errors import PermissionDenied
from backend.history.service import readable_history_condition
from backend.history.tables import HistoryEvent
from backend.orders.service import readable_order_condition
from backend.orders.tables import Order
from backend.quoting import service as quoting_service
from backend.quoting.tables import Quote
from backend.scope import combine, customer_condition
from backend.visits.service import readable_visit_condition
from backend.visits.tables import Visit


@dataclass(frozen=True)
class ExportSpec:
    """One collection: columns as (header, Piccolo column), a unique key to page by."""

    name: str
    table: Any
    columns: tuple[tuple[str, Any], ...]
    key: Any
    scope: Callable[[Principal], Any | None]
    # Headers of internal columns: never exported to the partner roles.
    internal: frozenset[str] = frozenset()

    def condition(self, principal: Principal) -> Any | None:
        return combine(self.table.deleted_at.is_null(), self.scope(principal))

    def for_reader(self, principal: Principal) -> ExportSpec:
        if not principal.is_partner or not self.internal:
            return self
        kept = tuple(c for c in self.columns if c[0] not in self.internal)
        return dataclasses.replace(self, columns=kept)


def _visits_scope(principal: Principal) -> Any | None:
    if principal.is_partner:
        raise PermissionDenied(detail="Visits are for reps, managers and admins.")
    return readable_visit_condition(principal)


SPECS: dict[str, ExportSpec] = {
    s.name: s
    for s in (
        ExportSpec(
            "customers",
            Customer,
            (
                ("code", Customer.code),
                ("name", Customer.name),
                ("legal_name", Customer.legal_name),
                ("street", Customer.street),
                ("city", Customer.city),
                ("postal_code", Customer.postal_code),
                ("country", Customer.country),
                ("lat", Customer.lat),
                ("lng", Customer.lng),
                ("region", Customer.region.code),
                ("territory", Customer.territory.code),
                ("distributor", Customer.distributor.code),
                ("price_list", Customer.price_list.code),
                ("segment", Customer.segment),
                ("tier", Customer.tier),
                ("phone", Customer.phone),
                ("email", Customer.email),
                ("visit_frequency_days", Customer.visit_frequency_days),
                ("credit_limit", Customer.credit_limit),
                ("last_visit_at", Customer.last_visit_at),
                ("notes", Customer.notes),
            ),
            Customer.code,
            lambda p: customer_condition(p),
            # territory_id and the rest of visibility.md's internal fields, as headers here
            INTERNAL | {"territory", "notes", "credit_limit", "segment", "tier"},
        ),
        ExportSpec(
            "contacts",
            Contact,
            (
                ("customer_code", Contact.customer.code),
                ("customer", Contact.customer.name),
                ("name", Contact.name),
                ("title", Contact.title),
                ("phone", Contact.phone),
                ("email", Contact.email),
                ("primary", Contact.is_primary),
                ("locale", Contact.locale),
                ("offers_opt_in", Contact.offers_opt_in),
            ),
            Contact.id,
            lambda p: customer_condition(p, via=Contact.customer),
        ),
        ExportSpec(
            "visits",
            Visit,
            (
                ("id", Visit.id),
                ("customer_code", Visit.customer.code),
                ("customer", Visit.customer.name),
                ("rep", Visit.rep.email),
                ("status", Visit.status),
                ("planned_start", Visit.planned_start),
                ("check_in_at", Visit.check_in_at),
                ("check_out_at", Visit.check_out_at),
                ("check_in_verification", Visit.check_in_verification),
                ("check_in_distance_m", Visit.check_in_distance_m),
                ("outcome", Visit.outcome),
                ("notes", Visit.notes),
                ("next_action", Visit.next_action),
                ("next_action_due", Visit.next_action_due),
            ),
            Visit.id,
            _visits_scope,
        ),
        ExportSpec(
            "orders",
            Order,
            (
                ("number", Order.number),
                ("customer_code", Order.customer.code),
                ("customer", Order.customer.name),
                ("author", Order.author.email),
                ("status", Order.status),
                ("currency", Order.currency),
                ("subtotal", Order.subtotal),
                ("discount_total", Order.discount_total),
                ("tax_total", Order.tax_total),
                ("total", Order.total),
                ("created_at", Order.created_at),
                ("delivery_date", Order.delivery_date),
                ("notes", Order.notes),
            ),
            Order.number,
            readable_order_condition,
        ),
        ExportSpec(
            "quotes",
            Quote,
            (
                ("number", Quote.number),
                ("customer_code", Quote.customer.code),
                ("customer", Quote.customer.name),
                ("author", Quote.author.email),
                ("status", Quote.status),
                ("issue_date", Quote.issue_date),
                ("valid_until", Quote.valid_until),
                ("currency", Quote.currency),
                ("subtotal", Quote.subtotal),
                ("discount_total", Quote.discount_total),
                ("tax_total", Quote.tax_total),
                ("total", Quote.total),
                ("notes", Quote.notes),
            ),
            Quote.number,
            quoting_service.scope,
        ),
        ExportSpec(
            "history",
            HistoryEvent,
            (
                ("recorded_at", HistoryEvent.recorded_at),
                ("customer_code", HistoryEvent.customer.code),
                ("customer", HistoryEvent.customer.name),
                ("kind", HistoryEvent.kind),
                ("actor", HistoryEvent.actor.email),
                ("summary", HistoryEvent.summary),
                ("captured_at", HistoryEvent.captured_at),
            ),
            HistoryEvent.id,
            readable_history_condition,
        ),
    )
}
