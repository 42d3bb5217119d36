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
from backend.customers.import_controller import CustomerImportController
from backend.devices.controllers import DeviceController
from backend.exports.controllers import ExportController
from backend.health import health
from backend.history.controllers import HistoryController
from backend.orders.controllers import OrderController
from backend.photos.controllers import PhotoController, UploadController
from backend.quoting.company_controllers import CompanyController
from backend.quoting.controllers import QuoteController
from backend.reports.controllers import ReportController
from backend.territories.controllers import (
    DistributorController,
    RegionController,
    TerritoryController,
    TerritoryPlanningController,
)
from backend.visits.controllers import VisitController
from geo.controllers import CustomerGeocodeController, GeocodeController
from geo.route_controllers import RouteController
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
        CustomerImportController,
        ContactController,
        HistoryController,
        ProductController,
        PriceListController,
        CatalogueImportController,
        OrderController,
        QuoteController,
        CompanyController,
        VisitController,
        GeocodeController,
        CustomerGeocodeController,
        RouteController,
        TerritoryPlanningController,
        SyncController,
        PushController,
        NotificationController,
        OfferController,
        ExportController,
        ReportController,
        DeviceController,
        UploadController,
        PhotoController,
    ]
