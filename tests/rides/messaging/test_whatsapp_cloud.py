"""The WhatsApp adapter against a local server speaking the Cloud API's documented format."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rides.messaging.channels import Outgoing, Sender, SendFailed
from rides.messaging.whatsapp_cloud import WhatsAppSender, WhatsAppSettings, whatsapp_sender
from rides.models import Channel, Person
from tests.rides.messaging import whatsapp_examples as examples
from tests.rides.messaging.whatsapp_server import TOKEN, FakeCloudApi, Running, serve

PICKUP_FIELDS = {
    "date": "lunes, 7 de diciembre de 2026",
    "time": "9:30",
    "place": "Hita (plaza Mayor)",
    "destination": "Guadalajara",
}


@pytest.fixture
def cloud() -> Iterator[Running]:
    yield from serve(FakeCloudApi())


@pytest.fixture
def sender(cloud: Running) -> Iterator[WhatsAppSender]:
    settings = WhatsAppSettings(
        token=TOKEN, phone_number_id=examples.PHONE_NUMBER_ID, api_url=cloud.url, timeout=0.5
    )
    sender = WhatsAppSender(settings)
    yield sender
    sender.close()


def _pickup(language: str = "es", **fields: str) -> Outgoing:
    return Outgoing(
        message_id=7,
        kind="pickup_confirmed",
        language=language,
        to="+34600111222",
        subject="Tu viaje",
        body="Un coche te recogerá...",
        fields={**PICKUP_FIELDS, **fields},
    )


def test_a_pickup_goes_as_the_approved_template_and_returns_the_wamid(
    sender: WhatsAppSender, cloud: Running
) -> None:
    accepted = sender.send(_pickup())
    assert accepted.provider_id == "wamid.TEST000001"
    assert accepted.segments is None
    (seen,) = cloud.api.seen
    assert seen.path == f"/v25.0/{examples.PHONE_NUMBER_ID}/messages"
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["content-type"] == "application/json"
    assert seen.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "34600111222",
        "type": "template",
        "template": {
            "name": "rural_cars_pickup",
            "language": {"code": "es_ES"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "lunes, 7 de diciembre de 2026"},
                        {"type": "text", "text": "9:30"},
                        {"type": "text", "text": "Hita (plaza Mayor)"},
                        {"type": "text", "text": "Guadalajara"},
                    ],
                }
            ],
        },
    }


def test_parameters_follow_the_order_of_the_language_and_lose_new_lines(
    sender: WhatsAppSender, cloud: Running
) -> None:
    sender.send(_pickup("uk", date="понеділок, 7 грудня 2026 р.", place="Hita\n(plaza\tMayor)"))
    template = cloud.api.seen[0].body["template"]
    assert template["language"] == {"code": "uk"}
    texts = [p["text"] for p in template["components"][0]["parameters"]]
    assert "Hita (plaza Mayor)" in texts
    assert len(texts) == 4


def test_an_undeliverable_number_is_permanent(sender: WhatsAppSender, cloud: Running) -> None:
    cloud.api.script.append((400, examples.UNDELIVERABLE, 0))
    with pytest.raises(SendFailed) as failed:
        sender.send(_pickup())
    assert failed.value.permanent
    assert "131026" in failed.value.reason
    assert "Az8or2yhqkZfEZ-_4Qn_Bam" in failed.value.reason


def test_a_template_meta_does_not_know_is_permanent(sender: WhatsAppSender, cloud: Running) -> None:
    cloud.api.script.append((404, examples.TEMPLATE_MISSING, 0))
    with pytest.raises(SendFailed) as failed:
        sender.send(_pickup())
    assert failed.value.permanent
    assert "132001" in failed.value.reason


def test_a_server_error_is_tried_again_later(sender: WhatsAppSender, cloud: Running) -> None:
    cloud.api.script.append((500, examples.SOMETHING_WRONG, 0))
    cloud.api.script.append((503, b"<html>Service Unavailable</html>", 0))
    for _ in range(2):
        with pytest.raises(SendFailed) as failed:
            sender.send(_pickup())
        assert not failed.value.permanent


def test_a_rate_limit_is_tried_again_later(sender: WhatsAppSender, cloud: Running) -> None:
    cloud.api.script.append((400, examples.RATE_LIMIT, 0))
    with pytest.raises(SendFailed) as failed:
        sender.send(_pickup())
    assert not failed.value.permanent
    assert "130429" in failed.value.reason
    assert sender.send(_pickup()).provider_id.startswith("wamid.")  # the next one goes


def test_a_timeout_is_tried_again_later(sender: WhatsAppSender, cloud: Running) -> None:
    cloud.api.script.append((200, examples.sent("34600111222"), 2.0))
    with pytest.raises(SendFailed) as failed:
        sender.send(_pickup())
    assert not failed.value.permanent
    assert "did not answer" in failed.value.reason


def test_a_wrong_token_sends_the_message_to_the_next_channel(cloud: Running) -> None:
    settings = WhatsAppSettings(
        token="expired", phone_number_id=examples.PHONE_NUMBER_ID, api_url=cloud.url
    )
    with pytest.raises(SendFailed) as failed:
        WhatsAppSender(settings).send(_pickup())
    assert failed.value.permanent
    assert "190" in failed.value.reason


def test_a_kind_without_a_template_fails_for_good_without_calling_meta(
    sender: WhatsAppSender, cloud: Running
) -> None:
    unserved = Outgoing(7, "unserved", "es", "+34600111222", "s", "b", {"date": "x"})
    with pytest.raises(SendFailed) as failed:
        sender.send(unserved)
    assert failed.value.permanent
    missing_field = _pickup()
    missing_field = Outgoing(**{**missing_field.__dict__, "fields": {"date": "x"}})
    with pytest.raises(SendFailed) as failed:
        sender.send(missing_field)
    assert failed.value.permanent
    assert cloud.api.seen == []


def test_the_sender_is_off_without_token_or_number_and_reaches_phones_in_e164() -> None:
    assert whatsapp_sender({}) is None
    assert whatsapp_sender({"WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": ""}) is None
    sender = whatsapp_sender({"WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1"})
    assert sender is not None
    as_delivery_sees_it: Sender = sender  # the adapter interface, checked by mypy
    assert as_delivery_sees_it.channel == Channel.WHATSAPP
    assert sender.channel == Channel.WHATSAPP
    assert sender.settings.api_url == "https://graph.facebook.com/v25.0"
    assert sender.address(Person(phone="+34600111222")) == "+34600111222"
    assert sender.address(Person(phone=None)) is None
    assert sender.address(Person(phone="600 111 222")) is None
