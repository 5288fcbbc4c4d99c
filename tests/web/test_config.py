"""Configuration precedence and the refusal to run production with a development secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from web import create_app
from web.config import ConfigurationError


def test_environment_then_mapping(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Environment variables override defaults; the mapping overrides both."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("RURAL_CARS_BOOKING_CUTOFF", "16:00")
    app = create_app({"BOOKING_CUTOFF": "15:30"})
    assert app.config["DATABASE_URL"].endswith("env.sqlite3")
    assert app.config["BOOKING_CUTOFF"] == "15:30"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DATABASE_URL the embedded default needs no set-up."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert (
        app.config["DATABASE_URL"] == f"sqlite:///{Path(app.instance_path) / 'rural-cars.sqlite3'}"
    )


def test_postgres_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    """Heroku-style postgres:// URLs are accepted and mapped to the psycopg 3 driver."""
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/rides")
    app = create_app()
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u@db:5432/rides"


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting in production mode with the default key fails with a clear message."""
    monkeypatch.setenv("RURAL_CARS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("RURAL_CARS_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-value")
    assert create_app().config["ENV_NAME"] == "production"


def test_messages_link_to_the_configured_public_url(tmp_path: Path) -> None:
    """Every process builds its app first, so links in messages follow RURAL_CARS_PUBLIC_URL."""
    from rides.messaging import notifications

    try:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'u.sqlite3'}",
                    "PUBLIC_URL": "https://coches.example.org/"})  # fmt: skip
        assert notifications.app_link("/driver/") == "https://coches.example.org/driver/"
    finally:
        notifications.use_public_url("http://127.0.0.1:5000")
