"""Configuration precedence and the refusal to run production with a development secret."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from tests.factories import Factory
from web import create_app
from web.commands import main
from web.config import DEV_SECRET_KEY, ENV_NAMES, SECRET_KEY_FILE, ConfigurationError
from web.database import database


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


def test_the_source_key_is_refused_outside_the_demo_and_tests(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Configuring the key that is in the source fails with a clear message, in any
    environment but the demo; the demo may use it."""
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    for env_name in ("production", "development"):
        monkeypatch.setenv("RURAL_CARS_ENV", env_name)
        with pytest.raises(ConfigurationError, match="SECRET_KEY"):
            create_app({"SECRET_KEY": DEV_SECRET_KEY})
    demo = create_app({"ENV_NAME": "demo"})
    assert demo.config["SECRET_KEY"] == DEV_SECRET_KEY
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-value")
    monkeypatch.setenv("RURAL_CARS_ENV", "production")
    assert create_app().config["SECRET_KEY"] == "a-long-random-production-value"


@pytest.mark.parametrize("name", ["prod", "Production", "PRODUCTION", "", "dev", "staging"])
def test_unknown_environment_names_fail(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    """An unknown RURAL_CARS_ENV is a startup error naming the allowed values, never a
    silent fall-back to development."""
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-value")
    monkeypatch.setenv("RURAL_CARS_ENV", name)
    with pytest.raises(ConfigurationError) as error:
        create_app()
    for allowed in ENV_NAMES:
        assert allowed in str(error.value)


def test_without_a_key_one_is_made_private_and_reused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A production run with no key configured makes a random one, owner-only (0600), in the
    instance folder, and every later start (another worker) uses the same one."""
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("RURAL_CARS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("RURAL_CARS_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "instance" / SECRET_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first == key_file.read_text().strip() and first != DEV_SECRET_KEY
    assert len(first) >= 32
    assert create_app().config["SECRET_KEY"] == first
    assert [p.name for p in key_file.parent.iterdir()] == [SECRET_KEY_FILE]


def test_a_key_file_others_can_read_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A key file with group or world permissions stops the start-up with the fix to apply."""
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("RURAL_CARS_SECRET_KEY", raising=False)
    create_app()
    (tmp_path / SECRET_KEY_FILE).chmod(0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        create_app()


def test_a_cookie_forged_with_the_source_key_is_refused(
    db_url: str, tmp_path: Path, make: Factory, session: Session
) -> None:
    """A session cookie signed with the key in the source opens the coordinators' pages of
    an app using that key (the demo), and nothing on a production app without a configured
    key."""
    coordinator = make.coordinator()
    session.commit()
    production = create_app(
        {"DATABASE_URL": db_url, "ENV_NAME": "production", "INSTANCE_PATH": str(tmp_path)}
    )
    demo = create_app({"DATABASE_URL": db_url, "ENV_NAME": "demo"})
    serializer = demo.session_interface.get_signing_serializer(demo)  # type: ignore[attr-defined]
    forged = serializer.dumps({"_user_id": str(coordinator.id), "_fresh": True})
    for app, expected in ((demo, 200), (production, 302)):
        client = app.test_client()
        client.set_cookie("session", forged)
        response = client.get("/coordinator/people", headers={"Accept": "text/html"})
        assert response.status_code == expected
        database(app).engine.dispose()


def test_the_command_line_names_the_problem(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An operator's command with an unknown environment name gets the message and exit
    status 1, not a traceback."""
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("RURAL_CARS_ENV", "prod")
    result = CliRunner().invoke(main, ["db", "current"])
    assert result.exit_code == 1
    assert "use one of: development, demo, production" in result.output
    assert "Traceback" not in result.output


def test_messages_link_to_the_configured_public_url(tmp_path: Path) -> None:
    """Every process builds its app first, so links in messages follow RURAL_CARS_PUBLIC_URL."""
    from rides.messaging import notifications

    try:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'u.sqlite3'}",
                    "PUBLIC_URL": "https://coches.example.org/"})  # fmt: skip
        assert notifications.app_link("/driver/") == "https://coches.example.org/driver/"
    finally:
        notifications.use_public_url("http://127.0.0.1:5000")


def test_production_without_database_url_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Not a silent SQLite file inside the virtual environment (issue 21, item 6)."""
    monkeypatch.setenv("RURAL_CARS_ENV", "production")
    monkeypatch.setenv("RURAL_CARS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="DATABASE_URL is not set"):
        create_app()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("RURAL_CARS_SMTP_STARTTLS", "maybe", "use one of 1/true/yes/on/0/false/no/off"),
        ("RURAL_CARS_SMTP_PORT", "smtp", "a whole number is expected"),
        ("RURAL_CARS_SOLVER_TIME_LIMIT", "30s", "a number is expected"),
        ("RURAL_CARS_PLANNING_TIME", "6pm", "a local time such as 18:00"),
    ],
)
def test_a_wrong_setting_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert str(refused.value).startswith(f"{variable}={value!r}") and says in str(refused.value)


def test_starttls_words_both_ways(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert (
        create_app({"DATABASE_URL": url, "SMTP_STARTTLS": "off"}).config["SMTP_STARTTLS"] is False
    )
    assert create_app({"DATABASE_URL": url, "SMTP_STARTTLS": "Yes"}).config["SMTP_STARTTLS"] is True
