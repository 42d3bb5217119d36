"""The backend's Piccolo app: every table of the core business areas and their migrations."""

import os

from piccolo.conf.apps import AppConfig

from backend.accounts.tables import LoginThrottle, RepTerritory, Session, User
from backend.catalogue.tables import PriceList, PriceListItem, Product
from backend.customers.tables import Contact, Customer
from backend.history.tables import HistoryEvent
from backend.orders.tables import NumberSeries, Order, OrderLine
from backend.photos.tables import Photo, PhotoUpload
from backend.quoting.tables import Quote, QuoteLine
from backend.territories.tables import Distributor, Region, Territory, TerritoryMoveBatch
from backend.visits.tables import Visit

APP_CONFIG = AppConfig(
    app_name="backend",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "migrations"),
    table_classes=[
        Region,
        Territory,
        Distributor,
        Product,
        PriceList,
        PriceListItem,
        Customer,
        Contact,
        User,
        RepTerritory,
        Session,
        LoginThrottle,
        Visit,
        Order,
        OrderLine,
        NumberSeries,
        Quote,
        QuoteLine,
        HistoryEvent,
        PhotoUpload,
        Photo,
        TerritoryMoveBatch,
    ],
    migration_dependencies=[],
    commands=[],
)
