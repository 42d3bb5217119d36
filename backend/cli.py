"""The `rounds` command: serve, worker, migrate, demo, create-admin."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from backend.settings import SettingsError, load_settings, set_settings


def _settings_or_exit(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"rounds: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    overrides = {}
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    if overrides:
        from dataclasses import replace

        settings = replace(settings, **overrides)
    set_settings(settings)
    from backend.logs import configure_logging

    configure_logging(settings.log_level, settings.log_json)
    return settings


async def _migrate(settings) -> None:  # type: ignore[no-untyped-def]
    from backend import db

    db.configure(settings)
    await db.migrate()


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings_or_exit(args)
    asyncio.run(_migrate(settings))
    print("rounds: database is up to date")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import structlog
    import uvicorn

    from backend.app import create_app
    from backend.version import VERSION

    settings = _settings_or_exit(args)
    asyncio.run(_migrate(settings))
    app = create_app(settings)
    structlog.get_logger("backend.cli").info(
        "server.starting",
        url=f"http://{settings.host}:{settings.port}",
        database="postgresql" if settings.is_postgres else str(settings.sqlite_path),
        version=VERSION,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        log_config=None,  # uvicorn's records go through our handler, in our format
        proxy_headers=True,
        server_header=False,
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    settings = _settings_or_exit(args)

    async def run() -> None:
        from backend import db
        from backend.demo import load_demo

        await _migrate(settings)
        await db.open_engine(settings)
        try:
            summary = await load_demo(customers=args.customers, seed=args.seed)
            await db.analyze()
        finally:
            await db.close_engine()
        print(f"rounds: demo data ready: {summary}")

    asyncio.run(run())
    if args.serve:
        return cmd_serve(args)
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    settings = _settings_or_exit(args)
    password = args.password or getpass.getpass("Password for the new admin: ")

    async def run() -> None:
        from backend.accounts.bootstrap import create_admin

        await _migrate(settings)
        await create_admin(args.email, password, args.name)

    from backend.errors import DomainError

    try:
        asyncio.run(run())
    except DomainError as exc:
        fields = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        print(f"rounds: {exc.detail}" + (f" ({fields})" if fields else ""), file=sys.stderr)
        return 2
    print(f"rounds: admin {args.email} created")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings_or_exit(args)
    try:
        from notifications.worker import run_worker  # type: ignore[import-not-found]
    except ImportError:
        print("rounds: the notifications worker is not part of this build yet", file=sys.stderr)
        return 1
    asyncio.run(run_worker(settings))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rounds", description="Rounds field sales server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API, the PWA and an in-process worker")
    serve.add_argument("--host", help="address to listen on (ROUNDS_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (ROUNDS_PORT)")
    serve.set_defaults(func=cmd_serve)
    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(func=cmd_migrate)
    demo = sub.add_parser("demo", help="load the demo data set (safe to run twice)")
    demo.add_argument("--customers", type=int, default=320)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--serve", action="store_true", help="start serving afterwards")
    demo.add_argument("--host")
    demo.add_argument("--port", type=int)
    demo.set_defaults(func=cmd_demo)
    admin = sub.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("email")
    admin.add_argument("--name", default="Administrator")
    admin.add_argument("--password")
    admin.set_defaults(func=cmd_create_admin)
    worker = sub.add_parser("worker", help="run a notifications worker on its own")
    worker.set_defaults(func=cmd_worker)
    return parser


def main(argv: list[str] | None = None) -> int:
    from backend.wiring import install_sync

    install_sync()
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
