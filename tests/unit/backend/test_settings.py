"""Settings: defaults that just work, and wrong values that fail loudly naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.settings import SettingsError, environment, load_settings


def test_defaults_give_sqlite_in_the_data_dir_and_a_kept_secret(tmp_path: Path) -> None:
    env = {"ROUNDS_DATA_DIR": str(tmp_path / "data")}
    s = load_settings(env)
    assert s.database_url == f"sqlite:///{tmp_path / 'data' / 'rounds.sqlite3'}"
    assert not s.is_postgres
    assert (s.host, s.port) == ("127.0.0.1", 8000)
    # The generated secret is kept, so tokens survive a restart.
    assert load_settings(env).secret_key == s.secret_key
    assert oct((tmp_path / "data" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_postgres_url_switches_engine(tmp_path: Path) -> None:
    s = load_settings(
        {
            "ROUNDS_DATA_DIR": str(tmp_path),
            "ROUNDS_DATABASE_URL": "postgres://u@db.example:5432/rounds",
        }
    )
    assert s.is_postgres


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROUNDS_PORT", "eighty"),
        ("ROUNDS_PORT", "70000"),
        ("ROUNDS_DATABASE_URL", "mysql://x/y"),
        ("ROUNDS_DATABASE_URL", "sqlite://relative"),
        ("ROUNDS_LOG_LEVEL", "LOUD"),
        ("ROUNDS_SECRET_KEY", "short"),
        ("ROUNDS_LOG_JSON", "maybe"),
        ("ROUNDS_ACCESS_TOKEN_TTL", "5"),
        ("ROUNDS_MAX_LINE_DISCOUNT_REP", "150"),
        ("ROUNDS_MAX_DOCUMENT_DISCOUNT_DISTRIBUTOR", "ten"),
    ],
)
def test_wrong_values_name_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings({"ROUNDS_DATA_DIR": str(tmp_path), name: value})
    assert name in str(err.value)


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(SettingsError, match="ROUNDS_DATA_DIR"):
        load_settings({"ROUNDS_DATA_DIR": str(f)})


def test_push_lookahead_stays_inside_the_claim_lease(tmp_path: Path) -> None:
    env = {"ROUNDS_DATA_DIR": str(tmp_path)}
    assert load_settings(env).push_lookahead_ms == 2000
    # A short lease brings the default down with it: a quarter of the lease.
    assert load_settings(env | {"ROUNDS_PUSH_LEASE_SECONDS": "2"}).push_lookahead_ms == 500
    too_early = env | {"ROUNDS_PUSH_LEASE_SECONDS": "2", "ROUNDS_PUSH_LOOKAHEAD_MS": "1500"}
    with pytest.raises(SettingsError, match="ROUNDS_PUSH_LOOKAHEAD_MS"):
        load_settings(too_early)


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# local overrides\n"
        f"ROUNDS_DATA_DIR={tmp_path / 'data'}\n"
        "ROUNDS_PORT=9001\n"
        'ROUNDS_LOG_LEVEL="DEBUG"\n'
    )
    s = load_settings(environment({"ROUNDS_PORT": "9002"}, env_file))
    assert s.port == 9002  # the environment wins
    assert s.log_level == "DEBUG"  # the file fills in the rest
    assert s.data_dir == tmp_path / "data"


def test_rounds_env_file_names_the_file_and_empty_reads_none(tmp_path: Path) -> None:
    other = tmp_path / "staging.env"
    other.write_text("ROUNDS_PORT=7001\n")
    assert environment({"ROUNDS_ENV_FILE": str(other)})["ROUNDS_PORT"] == "7001"
    assert "ROUNDS_PORT" not in environment({"ROUNDS_ENV_FILE": ""})


def test_no_dotenv_file_is_no_error(tmp_path: Path) -> None:
    assert environment({"A": "1"}, tmp_path / "missing.env") == {"A": "1"}
