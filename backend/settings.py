"""Settings read once from ROUNDS_* environment variables, with embedded defaults that just work."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ENV_PREFIX = "ROUNDS_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A configuration value is missing or wrong; the message names the variable."""


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
    login_max_failures: int = 5
    login_lockout_seconds: int = 300
    max_body_bytes: int = 1024 * 1024
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
    reminders_enabled: bool = True
    reminder_lead_minutes: int = 30
    reminder_plan_hour: int = 7
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


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read and validate the environment; raise SettingsError naming the bad variable."""
    env = dict(os.environ if env is None else env)
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
        login_max_failures=_int(env, "LOGIN_MAX_FAILURES", 5, minimum=1),
        login_lockout_seconds=_int(env, "LOGIN_LOCKOUT_SECONDS", 300, minimum=1),
        max_body_bytes=_int(env, "MAX_BODY_BYTES", 1024 * 1024, minimum=1024),
        db_pool_size=_int(env, "DB_POOL_SIZE", 10, minimum=1),
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
        reminders_enabled=bool(_bool(env, "REMINDERS_ENABLED", True)),
        reminder_lead_minutes=_int(env, "REMINDER_LEAD_MINUTES", 30, minimum=1),
        reminder_plan_hour=_int(env, "REMINDER_PLAN_HOUR", 7, minimum=0),
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
