"""What each role may see: Piccolo conditions over customers and the rows hanging off them.

One place decides scope so REST reads, REST writes and sync all agree:
admin: everything; manager: their region; rep: the customers of their territories;
distributor: the customers it serves; customer: its own account.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from backend.accounts.principal import Principal, Role
from backend.customers.tables import Customer


def _never(column: Any) -> Any:
    # Primary keys are never null, so this matches nothing on both engines.
    return column.is_null()


def customer_condition(principal: Principal, via: Any = None) -> Any | None:
    """A where-condition limiting customers (or rows joined to one) to the principal's scope.

    `via` is a ForeignKey column that points at Customer (e.g. Visit.customer); without it
    the condition is on Customer itself. None means no limit (admin).
    """
    base = Customer if via is None else via
    key = Customer.id if via is None else via
    role = principal.role
    if role == Role.ADMIN:
        return None
    if role == Role.MANAGER:
        if principal.region_id is None:
            return _never(key)
        return base.region == principal.region_id
    if role == Role.REP:
        if not principal.territory_ids:
            return _never(key)
        return base.territory.is_in(list(principal.territory_ids))
    if role == Role.DISTRIBUTOR:
        if principal.distributor_id is None:
            return _never(key)
        return base.distributor == principal.distributor_id
    if role == Role.CUSTOMER:
        if principal.customer_id is None:
            return _never(key)
        return key == principal.customer_id
    return _never(key)


def customer_in_scope(principal: Principal, customer: dict[str, Any]) -> bool:
    """The same rule as customer_condition, for a customer row already loaded as a dict."""
    role = principal.role
    if role == Role.ADMIN:
        return True
    if role == Role.MANAGER:
        return (
            principal.region_id is not None and _uuid(customer.get("region")) == principal.region_id
        )
    if role == Role.REP:
        return _uuid(customer.get("territory")) in principal.territory_ids
    if role == Role.DISTRIBUTOR:
        return (
            principal.distributor_id is not None
            and _uuid(customer.get("distributor")) == principal.distributor_id
        )
    if role == Role.CUSTOMER:
        return _uuid(customer.get("id")) == principal.customer_id
    return False


def _uuid(value: Any) -> UUID | None:
    if value is None or isinstance(value, UUID):
        return value
    return UUID(str(value))


def combine(*conditions: Any) -> Any:
    """AND together the conditions that are not None."""
    result = None
    for condition in conditions:
        if condition is None:
            continue
        result = condition if result is None else (result & condition)
    return result
