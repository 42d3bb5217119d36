"""The app's wiring of the sync engine: each area's collections registered, in a fixed order.

The order is part of the protocol's state (a snapshot cursor keeps an index into it): add new
collections at the end. Every entry point (the app, the CLI, the worker, the tests) calls
`install_sync()` before anything writes or pulls.
"""

from __future__ import annotations

from sync import collections as registry


def install_sync() -> None:
    """Register every area's sync collections with the engine (again: a no-op)."""
    from backend.accounts.sync import USERS
    from backend.catalogue.sync import PRICE_LISTS, PRODUCTS, price_list_fact
    from backend.customers.sync import CONTACTS, CUSTOMERS
    from backend.history.sync import HISTORY
    from backend.orders.sync import ORDERS
    from backend.photos.sync import PHOTOS
    from backend.quoting.sync import QUOTES
    from backend.territories.sync import REGIONS, TERRITORIES
    from backend.visits.sync import VISITS
    from geo.sync import ROUTES
    from notifications.sync import NOTIFICATIONS, OFFERS

    registry.register(
        TERRITORIES,
        USERS,
        PRODUCTS,
        PRICE_LISTS,
        CUSTOMERS,
        CONTACTS,
        VISITS,
        ORDERS,
        HISTORY,
        QUOTES,
        ROUTES,
        OFFERS,
        NOTIFICATIONS,
        REGIONS,
        PHOTOS,
    )
    registry.register_scope_fact(price_list_fact)
