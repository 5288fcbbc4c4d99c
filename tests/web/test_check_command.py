"""``rural-cars check``: each check passes on a ready installation and fails, naming what to
fix, on a broken one; any failure makes the command exit 1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from rides import clock
from rides.locales import TRANSLATIONS_DIR
from rides.scheduler.process import DatabaseJobStore
from tests.smtp_server import free_port
from web import create_app
from web.commands.check import check_command
from web.database import database
from web.deployment_checks import (
    check_channels,
    check_database,
    check_public_url,
    check_rate_limit_storage,
    check_scheduler,
    check_secret_key,
    check_smtp,
    check_translations,
)

READY = {
    "SECRET_KEY": "k" * 48,
    "PUBLIC_URL": "https://coches.example.org",
    "SOLVER_TIME_LIMIT": 1.0,
}


@pytest.fixture
def make_app(db_url: str) -> Iterator[Callable[..., Flask]]:
    apps: list[Flask] = []

    def build(**settings: Any) -> Flask:
        app = create_app({"DATABASE_URL": db_url, **READY, **settings})
        apps.append(app)
        return app

    yield build
    for app in apps:
        database(app).engine.dispose()


def _run(app: Flask, check: Callable[[], Any]) -> Any:
    with app.app_context():
        return check()


def _beat(app: Flask) -> None:
    """A real APScheduler on our job store stores the pulse job, as the scheduler process does."""
    scheduler = BackgroundScheduler(jobstores={"default": DatabaseJobStore(database(app).engine)})
    scheduler.add_job("time:time", "interval", seconds=60, id="send-outbox")
    scheduler.start()
    scheduler.shutdown(wait=True)


def test_database_migrated_passes_and_an_empty_one_fails(make_app, tmp_path: Path) -> None:
    assert _run(make_app(), check_database).ok
    empty = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = _run(empty, check_database)
    assert not result.ok and "rural-cars db upgrade" in result.detail


def test_an_unreachable_database_fails_with_the_reason(make_app) -> None:
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    result = _run(app, check_database)
    assert not result.ok and "cannot connect" in result.detail


def test_secret_key_must_be_set_and_long(make_app) -> None:
    assert _run(make_app(), check_secret_key).ok
    assert not _run(make_app(SECRET_KEY="short"), check_secret_key).ok


def test_public_url_must_be_set_and_https(make_app) -> None:
    assert _run(make_app(), check_public_url).ok
    unset = _run(make_app(PUBLIC_URL="http://127.0.0.1:5000"), check_public_url)
    assert not unset.ok and "RURAL_CARS_PUBLIC_URL" in unset.detail
    assert not _run(make_app(PUBLIC_URL="http://coches.example.org"), check_public_url).ok


def test_smtp_reachable_passes_without_sending(make_app, mailbox) -> None:
    server, smtp = mailbox
    app = make_app(SMTP_HOST=smtp.host, SMTP_PORT=smtp.port, SMTP_STARTTLS=False)
    result = _run(app, check_smtp)
    assert result.ok and "no TLS" in result.detail
    assert server.received == []


def test_smtp_fails_when_down_or_without_starttls_or_unset(make_app, mailbox) -> None:
    _server, smtp = mailbox
    down = _run(make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port()), check_smtp)
    assert not down.ok and "ConnectionRefusedError" in down.detail
    plain_relay = make_app(SMTP_HOST=smtp.host, SMTP_PORT=smtp.port, SMTP_STARTTLS=True)
    no_tls = _run(plain_relay, check_smtp)
    assert not no_tls.ok and "STARTTLS" in no_tls.detail
    unset = _run(make_app(), check_smtp)
    assert not unset.ok and "RURAL_CARS_SMTP_HOST" in unset.detail


@pytest.mark.parametrize("uri", ["memory://", "redis://127.0.0.1:6379"])
def test_rate_limit_storage_that_answers_passes(make_app, uri: str) -> None:
    assert _run(make_app(RATELIMIT_STORAGE_URI=uri), check_rate_limit_storage).ok


def test_rate_limit_storage_that_does_not_answer_fails(make_app) -> None:
    uri = f"redis://127.0.0.1:{free_port()}"
    result = _run(make_app(RATELIMIT_STORAGE_URI=uri), check_rate_limit_storage)
    assert not result.ok and uri in result.detail


def test_scheduler_heartbeat_fresh_passes_stale_or_missing_fails(make_app, service_clock) -> None:
    app = make_app(OUTBOX_INTERVAL=60)
    never = _run(app, check_scheduler)
    assert not never.ok and "never run" in never.detail
    _beat(app)
    assert _run(app, check_scheduler).ok
    service_clock.set(clock.now() + dt.timedelta(minutes=10))
    stale = _run(app, check_scheduler)
    assert not stale.ok and "silent for" in stale.detail


def test_translations_compiled_pass_and_a_stale_catalogue_fails(make_app) -> None:
    """A .po edited after the last compile is caught by content, whatever the file times."""
    app = make_app()
    assert _run(app, check_translations).ok
    po = TRANSLATIONS_DIR / "uk" / "LC_MESSAGES" / "messages.po"
    source = po.read_bytes()
    try:
        po.write_bytes(source.replace(b'msgstr "', b'msgstr "~', 3))
        result = _run(app, check_translations)
        assert not result.ok and result.detail.startswith("not compiled: uk:")
    finally:
        po.write_bytes(source)
    assert _run(app, check_translations).ok


def test_the_command_prints_a_line_per_check_and_exits_1_on_any_failure(make_app) -> None:
    result = make_app().test_cli_runner().invoke(check_command)
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert [line.split(":")[0].split(maxsplit=1)[1] for line in lines[:9]] == [
        "database", "secret key", "public URL", "smtp", "channels", "whatsapp",
        "rate-limit storage", "scheduler", "translations",
    ]  # fmt: skip
    assert lines[0].startswith("ok") and "FAIL  smtp" in result.output
    assert "ok    whatsapp: off" in result.output


def test_the_command_passes_on_a_ready_installation(make_app, mailbox) -> None:
    _server, smtp = mailbox
    app = make_app(SMTP_HOST=smtp.host, SMTP_PORT=smtp.port, SMTP_STARTTLS=False)
    _beat(app)
    result = app.test_cli_runner().invoke(check_command)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("all 9 checks passed.")


def test_channels_say_which_are_off_and_check_the_twilio_account(make_app, twilio) -> None:
    """Nothing set: SMS, WhatsApp and e-mail named off (not a failure). Twilio set: the account
    is fetched with the credentials (nothing sent); a wrong token fails the check."""
    fake, sms = twilio
    unset = _run(make_app(), check_channels)
    assert unset.ok and unset.detail == "on: call; off (not configured): sms, whatsapp, email"
    twilio_config = {
        "TWILIO_ACCOUNT_SID": sms.account_sid, "TWILIO_AUTH_TOKEN": sms.auth_token,
        "TWILIO_FROM": sms.sender, "TWILIO_API_URL": sms.api_url,
    }  # fmt: skip
    on = _run(make_app(**twilio_config), check_channels)
    assert on.ok and on.detail.startswith("on: sms, call")
    wrong = _run(make_app(**{**twilio_config, "TWILIO_AUTH_TOKEN": "wrong"}), check_channels)
    assert not wrong.ok and "20003" in wrong.detail
    assert fake.created == []
