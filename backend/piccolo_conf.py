"""Piccolo's configuration: the engine from ROUNDS_DATABASE_URL and the registered apps."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from backend.db import engine_for
from backend.settings import get_settings

DB: Engine = engine_for(get_settings())

APP_REGISTRY = AppRegistry(
    apps=[
        "backend.piccolo_app",
        "sync.piccolo_app",
        "geo.piccolo_app",
        "notifications.piccolo_app",
    ]
)
