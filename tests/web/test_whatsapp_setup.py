"""Setting WhatsApp up: ``rural-cars check`` says whether it is on, and ``rural-cars whatsapp
templates`` prints the bodies to submit to Meta."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from flask import Flask

from rides.messaging import whatsapp_templates as templates
from tests.rides.messaging import whatsapp_examples as examples
from tests.rides.messaging.whatsapp_server import TOKEN, FakeCloudApi, Running, serve
from web.commands.whatsapp import templates_command
from web.deployment_checks import CHECKS, check_whatsapp

CREDENTIALS = {
    "WHATSAPP_TOKEN": TOKEN,
    "WHATSAPP_PHONE_NUMBER_ID": examples.PHONE_NUMBER_ID,
    "WHATSAPP_APP_SECRET": "secret",
    "WHATSAPP_VERIFY_TOKEN": "verify",
}


@pytest.fixture
def cloud() -> Iterator[Running]:
    yield from serve(FakeCloudApi())


def test_check_says_whatsapp_is_off_half_configured_or_on(app: Flask, cloud: Running) -> None:
    assert check_whatsapp in CHECKS
    with app.app_context():
        off = check_whatsapp()
        assert (off.ok, off.detail.startswith("off")) == (True, True)
        app.config.update({**CREDENTIALS, "WHATSAPP_APP_SECRET": ""})
        half = check_whatsapp()
        assert not half.ok
        assert "RURAL_CARS_WHATSAPP_APP_SECRET" in half.detail
        app.config.update({**CREDENTIALS, "WHATSAPP_API_URL": cloud.url})
        on = check_whatsapp()
        assert on.ok, on.detail
        assert on.detail == f"on: +1 555-078-3881 (Coches Rurales) via {cloud.url}"
        (asked,) = cloud.api.seen
        assert asked.path.endswith("?fields=display_phone_number%2Cverified_name")


def test_check_fails_naming_meta_s_error_for_a_wrong_token_or_number(
    app: Flask, cloud: Running
) -> None:
    with app.app_context():
        app.config.update({**CREDENTIALS, "WHATSAPP_API_URL": cloud.url, "WHATSAPP_TOKEN": "x"})
        wrong_token = check_whatsapp()
        assert not wrong_token.ok
        assert "WhatsApp error 190" in wrong_token.detail
        app.config.update({**CREDENTIALS, "WHATSAPP_API_URL": cloud.url + "x"})
        assert "WhatsApp error 100" in check_whatsapp().detail
        app.config.update({**CREDENTIALS, "WHATSAPP_API_URL": "http://127.0.0.1:9/v25.0"})
        assert "unreachable" in check_whatsapp().detail


def test_the_templates_command_prints_every_body_in_every_language() -> None:
    result = CliRunner().invoke(templates_command, [])
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
    for kind, template in templates.TEMPLATES.items():
        assert f"== {template.name}" in result.output
        for language, code in templates.LANGUAGE_CODES.items():
            assert f"-- {code}: {templates.body(kind, language)}" in result.output
    assert "Un coche te recogerá el {{1}} a las {{2}} en {{3}} para ir a {{4}}." in result.output


def test_the_templates_command_writes_creation_requests_with_examples() -> None:
    result = CliRunner().invoke(templates_command, ["--json"])
    assert result.exit_code == 0, result.output
    requests = [json.loads(line) for line in result.output.splitlines()]
    assert len(requests) == len(templates.TEMPLATES) * len(templates.LANGUAGE_CODES)
    pickup_es = next(
        r for r in requests if r["name"] == "rural_cars_pickup" and r["language"] == "es_ES"
    )
    (body,) = pickup_es["components"]
    assert pickup_es["category"] == "UTILITY"
    assert body["type"] == "BODY"
    assert body["example"]["body_text"] == [
        ["lunes, 7 de diciembre de 2026", "09:30", "Hita (plaza Mayor)", "Guadalajara"]
    ]
