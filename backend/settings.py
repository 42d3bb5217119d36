"""Settings read once from ROUNDS_* environment variables, with embedded defaults that just work."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlparse

ENV_PREFIX = "ROUNDS_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A configuration value is missing or wrong; the message names the variable."""


@dataclass(frozen=True, kw_only=True)
class PhotoSettings:
    """Where photos go (`file`: the data directory; `s3`: any S3-compatible store) and limits:
    ROUNDS_PHOTO_STORE, ROUNDS_PHOTO_MAX_BYTES and ROUNDS_S3_*."""

    store: str = "file"
    max_bytes: int = 15 * 1024 * 1024
    thumb_px: int = 320
    s3_endpoint: str | None = None
    s3_bucket: str = ""
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"
    s3_prefix: str = "photos/"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every knob Rounds reads from the environment, typed and validated."""

    data_dir: Path
    database_url: str
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool | None = None  # None: JSON when stderr is not a terminal
    access_token_ttl: int = 900
    refresh_token_ttl: int = 30 * 24 * 3600
    # Login throttling: failures heard before delays start, per (e-mail, client address) and
    # per client address; the first delay, doubling per further failure up to the maximum;
    # failures forgotten after this long without an attempt.
    login_account_failures: int = 5
    login_address_failures: int = 50
    login_delay_seconds: int = 1
    login_max_delay_seconds: int = 900
    login_forget_seconds: int = 3600
    max_body_bytes: int = 1024 * 1024
    # Quote PDFs: a small process pool and the budget of one render (backend.quoting.rendering).
    pdf_workers: int = 2
    pdf_render_seconds: int = 20
    pdf_max_input_bytes: int = 512 * 1024
    pdf_max_output_bytes: int = 16 * 1024 * 1024
    # CSV imports (backend.catalogue.imports): the upload, its rows and one cell.
    csv_max_bytes: int = 4 * 1024 * 1024
    csv_max_rows: int = 20_000
    csv_max_cell_chars: int = 20_000
    db_pool_size: int = 10
    in_process_worker: bool = True
    tombstone_days: int = 30
    geocoder: str = "nominatim"
    geocoder_url: str | None = None
    geocoder_user_agent: str = "rounds-field-sales/0.1"
    osrm_url: str | None = None
    tile_url: str = ""
    # Push notifications: VAPID identity, FCM, the outbox worker and reminder defaults.
    vapid_subject: str = "mailto:push@rounds.example"
    vapid_private_key: str | None = None  # base64url scalar or PEM; None: kept in data_dir
    fcm_project_id: str | None = None
    fcm_url: str = "https://fcm.googleapis.com"
    fcm_credentials_file: str | None = None
    push_batch_size: int = 200
    push_concurrency: int = 64
    push_lease_seconds: int = 60
    push_max_attempts: int = 8
    push_poll_ms: int = 500
    push_lookahead_ms: int = 2000
    # Push endpoints on loopback/private/link-local hosts or over http (a local push service
    # in tests or a lab); never in production.
    push_allow_private_endpoints: bool = False
    reminders_enabled: bool = True
    reminder_lead_minutes: int = 30
    reminder_plan_hour: int = 7
    # Discount policy (backend.documents.approval): the most a rep or a distributor may give
    # without a manager's approval, per line and on the whole document, in percent.
    max_line_discount_rep: Decimal = Decimal(15)
    max_document_discount_rep: Decimal = Decimal(10)
    max_line_discount_distributor: Decimal = Decimal(15)
    max_document_discount_distributor: Decimal = Decimal(10)
    # Visit photos (backend.photos): the store and its limits.
    photos: PhotoSettings = field(default_factory=PhotoSettings)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file behind an sqlite:/// URL."""
        return Path(self.database_url.removeprefix("sqlite:///"))


def _int(env: dict[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{ENV_PREFIX}{name} must be at least {minimum}, got {value}")
    return value


def _push_lookahead(env: dict[str, str]) -> int:
    """How early the worker claims and encrypts a message; well inside the claim's lease."""
    lease_ms = 1000 * _int(env, "PUSH_LEASE_SECONDS", 60, minimum=1)
    value = _int(env, "PUSH_LOOKAHEAD_MS", min(2000, lease_ms // 4), minimum=0)
    if value * 2 > lease_ms:
        raise SettingsError(
            f"{ENV_PREFIX}PUSH_LOOKAHEAD_MS must be at most half of "
            f"{ENV_PREFIX}PUSH_LEASE_SECONDS ({lease_ms // 2} ms), got {value}"
        )
    return value


def _login_throttle(env: dict[str, str]) -> dict[str, int]:
    """The login throttle's knobs; the longest delay must lie inside the forget window."""
    values = {
        "login_account_failures": _int(env, "LOGIN_ACCOUNT_FAILURES", 5, minimum=1),
        "login_address_failures": _int(env, "LOGIN_ADDRESS_FAILURES", 50, minimum=1),
        "login_delay_seconds": _int(env, "LOGIN_DELAY_SECONDS", 1, minimum=1),
        "login_max_delay_seconds": _int(env, "LOGIN_MAX_DELAY_SECONDS", 900, minimum=1),
        "login_forget_seconds": _int(env, "LOGIN_FORGET_SECONDS", 3600, minimum=1),
    }
    if values["login_max_delay_seconds"] >= values["login_forget_seconds"]:
        raise SettingsError(
            f"{ENV_PREFIX}LOGIN_MAX_DELAY_SECONDS must be less than "
            f"{ENV_PREFIX}LOGIN_FORGET_SECONDS, got {values['login_max_delay_seconds']}"
        )
    return values


def _pct(env: dict[str, str], name: str, default: int) -> Decimal:
    raw = env.get(ENV_PREFIX + name, "").strip()
    if not raw:
        return Decimal(default)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise SettingsError(f"{ENV_PREFIX}{name} must be a percentage 0..100, got {raw!r}")
    return value


def _photos(env: dict[str, str]) -> PhotoSettings:
    """ROUNDS_PHOTO_STORE and friends; S3 needs a bucket."""

    def get(name: str, default: str = "") -> str:
        return (env.get(ENV_PREFIX + name) or default).strip()

    store = get("PHOTO_STORE", "file").lower()
    if store not in ("file", "s3"):
        raise SettingsError(f"{ENV_PREFIX}PHOTO_STORE must be file or s3, got {store!r}")
    bucket = get("S3_BUCKET")
    if store == "s3" and not bucket:
        raise SettingsError(f"{ENV_PREFIX}S3_BUCKET is required when {ENV_PREFIX}PHOTO_STORE=s3")
    return PhotoSettings(
        store=store,
        max_bytes=_int(env, "PHOTO_MAX_BYTES", 15 * 1024 * 1024, minimum=1024),
        s3_endpoint=get("S3_ENDPOINT") or None,
        s3_bucket=bucket,
        s3_access_key=get("S3_ACCESS_KEY") or None,
        s3_secret_key=get("S3_SECRET_KEY") or None,
        s3_region=get("S3_REGION", "us-east-1"),
        s3_prefix=get("S3_PREFIX", "photos/"),
    )


def _bool(env: dict[str, str], name: str, default: bool | None) -> bool | None:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    low = raw.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{ENV_PREFIX}{name} must be true or false, got {raw!r}")


def _database_url(env: dict[str, str], data_dir: Path) -> str:
    raw = env.get(ENV_PREFIX + "DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{data_dir / 'rounds.sqlite3'}"
    parsed = urlparse(raw)
    if parsed.scheme in ("postgres", "postgresql"):
        if not parsed.hostname and not parsed.path.strip("/"):
            raise SettingsError(f"{ENV_PREFIX}DATABASE_URL has no host or database: {raw!r}")
        return raw
    if parsed.scheme == "sqlite":
        if not raw.startswith("sqlite:///") or len(raw) <= len("sqlite:///"):
            raise SettingsError(
                f"{ENV_PREFIX}DATABASE_URL must look like sqlite:///path/to/file, got {raw!r}"
            )
        return raw
    raise SettingsError(
        f"{ENV_PREFIX}DATABASE_URL must start with postgres://, postgresql:// or sqlite:///, "
        f"got {raw!r}"
    )


def _secret_key(env: dict[str, str], data_dir: Path) -> str:
    raw = env.get(ENV_PREFIX + "SECRET_KEY", "")
    if raw:
        if len(raw) < 32:
            raise SettingsError(f"{ENV_PREFIX}SECRET_KEY must be at least 32 characters long")
        return raw
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written with a private mode: whoever holds it can mint tokens.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def environment(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = None
) -> dict[str, str]:
    """The variables settings are read from: a `.env` file if there is one, then the
    environment, which wins. ROUNDS_ENV_FILE names another file; set empty, none is read."""
    environ = os.environ if environ is None else environ
    if env_file is None:
        env_file = environ.get(ENV_PREFIX + "ENV_FILE", ".env")
    merged: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        from dotenv import dotenv_values

        merged = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
    merged.update(environ)
    return merged


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the environment (and `.env`, see environment()); raise
    SettingsError naming the bad variable. An explicit env is used as it is."""
    env = environment() if env is None else dict(env)
    data_dir = Path(env.get(ENV_PREFIX + "DATA_DIR") or Path.cwd() / "data").expanduser()
    if data_dir.exists() and not data_dir.is_dir():
        raise SettingsError(f"{ENV_PREFIX}DATA_DIR points to a file, not a folder: {data_dir}")
    data_dir.mkdir(parents=True, exist_ok=True)
    log_level = env.get(ENV_PREFIX + "LOG_LEVEL", "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise SettingsError(
            f"{ENV_PREFIX}LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}"
        )
    port = _int(env, "PORT", 8000, minimum=1)
    if port > 65535:
        raise SettingsError(f"{ENV_PREFIX}PORT must be at most 65535, got {port}")
    geocoder = env.get(ENV_PREFIX + "GEOCODER", "nominatim").strip().lower()
    throttle = _login_throttle(env)
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(env, data_dir),
        secret_key=_secret_key(env, data_dir),
        host=env.get(ENV_PREFIX + "HOST", "127.0.0.1") or "127.0.0.1",
        port=port,
        log_level=log_level,
        log_json=_bool(env, "LOG_JSON", None),
        access_token_ttl=_int(env, "ACCESS_TOKEN_TTL", 900, minimum=30),
        refresh_token_ttl=_int(env, "REFRESH_TOKEN_TTL", 30 * 24 * 3600, minimum=60),
        login_account_failures=throttle["login_account_failures"],
        login_address_failures=throttle["login_address_failures"],
        login_delay_seconds=throttle["login_delay_seconds"],
        login_max_delay_seconds=throttle["login_max_delay_seconds"],
        login_forget_seconds=throttle["login_forget_seconds"],
        max_body_bytes=_int(env, "MAX_BODY_BYTES", 1024 * 1024, minimum=1024),
        db_pool_size=_int(env, "DB_POOL_SIZE", 10, minimum=1),
        pdf_workers=_int(env, "PDF_WORKERS", 2, minimum=1),
        pdf_render_seconds=_int(env, "PDF_RENDER_SECONDS", 20, minimum=1),
        pdf_max_input_bytes=_int(env, "PDF_MAX_INPUT_BYTES", 512 * 1024, minimum=16 * 1024),
        pdf_max_output_bytes=_int(env, "PDF_MAX_OUTPUT_BYTES", 16 * 1024 * 1024, minimum=1 << 20),
        csv_max_bytes=_int(env, "CSV_MAX_BYTES", 4 * 1024 * 1024, minimum=1024),
        csv_max_rows=_int(env, "CSV_MAX_ROWS", 20_000, minimum=1),
        csv_max_cell_chars=_int(env, "CSV_MAX_CELL_CHARS", 20_000, minimum=64),
        in_process_worker=bool(_bool(env, "IN_PROCESS_WORKER", True)),
        tombstone_days=_int(env, "TOMBSTONE_DAYS", 30, minimum=1),
        geocoder=geocoder,
        geocoder_url=env.get(ENV_PREFIX + "GEOCODER_URL") or None,
        geocoder_user_agent=env.get(ENV_PREFIX + "GEOCODER_USER_AGENT") or "rounds-field-sales/0.1",
        osrm_url=env.get(ENV_PREFIX + "OSRM_URL") or None,
        tile_url=env.get(ENV_PREFIX + "TILE_URL", ""),
        vapid_subject=env.get(ENV_PREFIX + "VAPID_SUBJECT") or "mailto:push@rounds.example",
        vapid_private_key=env.get(ENV_PREFIX + "VAPID_PRIVATE_KEY") or None,
        fcm_project_id=env.get(ENV_PREFIX + "FCM_PROJECT_ID") or None,
        fcm_url=env.get(ENV_PREFIX + "FCM_URL") or "https://fcm.googleapis.com",
        fcm_credentials_file=env.get(ENV_PREFIX + "FCM_CREDENTIALS_FILE") or None,
        push_batch_size=_int(env, "PUSH_BATCH_SIZE", 200, minimum=1),
        push_concurrency=_int(env, "PUSH_CONCURRENCY", 64, minimum=1),
        push_lease_seconds=_int(env, "PUSH_LEASE_SECONDS", 60, minimum=1),
        push_max_attempts=_int(env, "PUSH_MAX_ATTEMPTS", 8, minimum=1),
        push_poll_ms=_int(env, "PUSH_POLL_MS", 500, minimum=10),
        push_lookahead_ms=_push_lookahead(env),
        push_allow_private_endpoints=bool(_bool(env, "PUSH_ALLOW_PRIVATE_ENDPOINTS", False)),
        reminders_enabled=bool(_bool(env, "REMINDERS_ENABLED", True)),
        reminder_lead_minutes=_int(env, "REMINDER_LEAD_MINUTES", 30, minimum=1),
        reminder_plan_hour=_int(env, "REMINDER_PLAN_HOUR", 7, minimum=0),
        max_line_discount_rep=_pct(env, "MAX_LINE_DISCOUNT_REP", 15),
        max_document_discount_rep=_pct(env, "MAX_DOCUMENT_DISCOUNT_REP", 10),
        max_line_discount_distributor=_pct(env, "MAX_LINE_DISCOUNT_DISTRIBUTOR", 15),
        max_document_discount_distributor=_pct(env, "MAX_DOCUMENT_DISCOUNT_DISTRIBUTOR", 10),
        photos=_photos(env),
    )


_current: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, loaded on first use."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def set_settings(settings: Settings | None) -> None:
    """Replace the process-wide settings (start-up and tests)."""
    global _current
    _current = settings
