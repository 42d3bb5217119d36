"""Every API route handler, by area. Add an area's controllers here."""

from __future__ import annotations

from typing import Any

from backend.accounts.controllers import AuthController, MeController, UserController
from backend.catalogue.controllers import (
    CatalogueImportController,
    PriceListController,
    ProductController,
)
from backend.config_controller import client_config
from backend.customers.controllers import ContactController, CustomerController
from backend.health import health
from backend.history.controllers import HistoryController
from backend.orders.controllers import OrderController
from backend.quoting.controllers import QuoteController
from backend.territories.controllers import (
    DistributorController,
    RegionController,
    TerritoryController,
)
from backend.visits.controllers import VisitController
from geo.controllers import CustomerGeocodeController, GeocodeController
from geo.route_controllers import RouteController, TerritoryPlanningController
from notifications.controllers import NotificationController, OfferController, PushController
from sync.controllers import SyncController


def api_handlers() -> list[Any]:
    return [
        health,
        client_config,
        AuthController,
        MeController,
        UserController,
        RegionController,
        TerritoryController,
        DistributorController,
        CustomerController,
        ContactController,
        HistoryController,
        ProductController,
        PriceListController,
        CatalogueImportController,
        OrderController,
        QuoteController,
        VisitController,
        GeocodeController,
        CustomerGeocodeController,
        RouteController,
        TerritoryPlanningController,
        SyncController,
        PushController,
        NotificationController,
        OfferController,
    ]
