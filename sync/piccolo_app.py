"""The sync engine's Piccolo app."""

import os

from piccolo.conf.apps import AppConfig

from sync.tables import SyncChange, SyncClient, SyncFieldState, SyncResult, SyncState

APP_CONFIG = AppConfig(
    app_name="sync",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "migrations"),
    table_classes=[SyncChange, SyncClient, SyncResult, SyncState, SyncFieldState],
    migration_dependencies=["backend.piccolo_app"],
    commands=[],
)
