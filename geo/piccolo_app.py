"""The geo Piccolo app."""

import os

from piccolo.conf.apps import AppConfig

from geo.tables import GeocodeCache, GeocodeJob, Route

APP_CONFIG = AppConfig(
    app_name="geo",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "migrations"),
    table_classes=[GeocodeCache, GeocodeJob, Route],
    migration_dependencies=["backend.piccolo_app"],
    commands=[],
)
