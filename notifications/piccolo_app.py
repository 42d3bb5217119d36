"""The notifications Piccolo app: subscriptions, inbox, outbox and offers."""

import os

from piccolo.conf.apps import AppConfig

from notifications.tables import (
    Delivery,
    Notification,
    Offer,
    OfferImage,
    PushSubscription,
    VapidKey,
)

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "migrations"),
    table_classes=[PushSubscription, Offer, OfferImage, Notification, Delivery, VapidKey],
    migration_dependencies=["backend.piccolo_app"],
    commands=[],
)
