"""The Litestar application: API under /api, OpenAPI at /schema, the PWA at /."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router

from backend import db
from backend.accounts.middleware import BearerAuthMiddleware
from backend.deps import DEPENDENCIES
from backend.edge.headers import add_security_headers
from backend.edge.input_check import check_input
from backend.edge.static import AllowListFileSystem, allowed_files
from backend.logs import configure_logging
from backend.openapi_security import declare_bearer_security
from backend.problems import EXCEPTION_HANDLERS
from backend.routes import api_handlers
from backend.settings import Settings, get_settings
from backend.version import VERSION
from backend.wiring import install_sync

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa"


def create_app(settings: Settings | None = None, *, manage_engine: bool = True) -> Litestar:
    """Build the app; with manage_engine the engine is configured and opened at start-up."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    install_sync()

    api = Router(
        path="/api",
        route_handlers=api_handlers(),
        middleware=[
            DefineMiddleware(BearerAuthMiddleware, exclude_from_auth_key="public"),
        ],
    )
    handlers: list[Any] = [api]
    static_dir = PWA_DIR / "dist" if (PWA_DIR / "dist").is_dir() else PWA_DIR
    if static_dir.is_dir():
        handlers.append(
            create_static_files_router(
                path="/",
                directories=[static_dir],
                # Only the shell and vendor assets (backend.edge.static), not the whole folder.
                file_system=AllowListFileSystem(static_dir, allowed_files(static_dir)),
                html_mode=True,
                name="pwa",
                include_in_schema=False,
                opt={"public": True},
            )
        )

    async def startup(app: Litestar) -> None:
        if manage_engine:
            db.configure(settings)
            await db.open_engine(settings)
        if settings.geocoder_url:
            # New and moved customers' addresses are geocoded when a geocoder is configured.
            from geo.geocoding import start_pending_loop

            app.state.geocode_loop = start_pending_loop(settings)
        if settings.in_process_worker:
            from notifications.worker import start_in_process

            app.state.push_worker = start_in_process(settings)

    async def shutdown(app: Litestar) -> None:
        from backend.quoting.rendering import shutdown_pool

        shutdown_pool()
        if getattr(app.state, "geocode_loop", None) is not None:
            app.state.geocode_loop.cancel()
        if getattr(app.state, "push_worker", None) is not None:
            await app.state.push_worker.stop()
        if manage_engine:
            await db.close_engine()

    app = Litestar(
        route_handlers=handlers,
        dependencies=DEPENDENCIES,
        before_request=check_input,
        before_send=[add_security_headers],
        exception_handlers=EXCEPTION_HANDLERS,
        # Level 6, not Litestar's 9: a quarter less CPU for 0.1 % more bytes (the team map).
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=512, gzip_compress_level=6
        ),
        cors_config=CORSConfig(allow_origins=[], allow_credentials=False),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Rounds API",
            version=VERSION,
            description="Offline-first field sales: customers, visits, orders, routes, sync.",
            path="/schema",
            # Swagger UI from the vendored files (pwa/vendor/swagger-ui), never a CDN.
            render_plugins=[
                SwaggerRenderPlugin(
                    path=["/", "/swagger"],
                    js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
                    css_url="/vendor/swagger-ui/swagger-ui.css",
                    standalone_preset_js_url="/vendor/swagger-ui/swagger-ui-standalone-preset.js",
                    favicon="<link rel='icon' href='/icons/icon-192.png'>",
                )
            ],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
            use_handler_docstrings=False,
        ),
        on_startup=[startup],
        on_shutdown=[shutdown],
        debug=False,
        logging_config=None,  # backend.logs owns the handlers; Litestar's would add a format
    )
    app.state.settings = settings
    declare_bearer_security(app)
    return app
