"""The Twilio SMS adapter against a local server speaking Twilio's documented formats."""

from __future__ import annotations

import base64
import dataclasses

import pytest

from rides.messaging.channels import Outgoing, SendFailed
from rides.messaging.sms_twilio import TwilioSettings, TwilioSms, signature, signature_valid
from tests.twilio_server import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM,
    INVALID_TO,
    NOT_A_MOBILE,
    SERVER_ERROR,
    TOO_MANY,
    UNSUBSCRIBED,
    FakeTwilio,
)


def _outgoing(to: str = "+34612345678", body: str = "Recogida jue, 3 dic a las 09:10") -> Outgoing:
    return Outgoing(
        message_id=1, kind="pickup_confirmed", language="es", to=to, subject="s", body=body
    )


def test_a_message_is_created_with_the_documented_form_and_basic_auth(
    twilio: tuple[FakeTwilio, TwilioSettings],
) -> None:
    """To, From, Body and StatusCallback, form-encoded, as the account; the sid comes back."""
    fake, settings = twilio
    sms = TwilioSms(settings)
    try:
        accepted = sms.send(_outgoing(body="Árabe: مرحبا"))
    finally:
        sms.close()
    [created] = fake.created
    assert created.form == {
        "To": "+34612345678",
        "From": FROM,
        "Body": "Árabe: مرحبا",
        "StatusCallback": "https://rides.example.org/webhooks/twilio/sms/status",
    }
    expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert created.auth == f"Basic {expected}"
    assert accepted.provider_id == created.sid and created.sid.startswith("SM")
    assert accepted.segments == 1


def test_a_messaging_service_replaces_the_from_number(
    twilio: tuple[FakeTwilio, TwilioSettings],
) -> None:
    fake, settings = twilio
    sms = TwilioSms(
        dataclasses.replace(settings, sender=None, messaging_service_sid="MG" + "a" * 32)
    )
    sms.send(_outgoing())
    sms.close()
    [created] = fake.created
    assert created.form["MessagingServiceSid"] == "MG" + "a" * 32 and "From" not in created.form


@pytest.mark.parametrize(
    "refusal", [INVALID_TO, NOT_A_MOBILE, UNSUBSCRIBED], ids=lambda r: str(r[1]["code"])
)
def test_a_refused_recipient_fails_for_good(
    twilio: tuple[FakeTwilio, TwilioSettings], refusal
) -> None:
    """21211 (not a number), 21614 (not a mobile), 21610 (STOP): trying again cannot help."""
    fake, settings = twilio
    fake.answers.append(refusal)
    sms = TwilioSms(settings)
    with pytest.raises(SendFailed) as failed:
        sms.send(_outgoing())
    sms.close()
    assert failed.value.permanent
    assert str(refusal[1]["code"]) in failed.value.reason and fake.created == []


@pytest.mark.parametrize("answer", [SERVER_ERROR, TOO_MANY], ids=["503", "429"])
def test_twilio_down_or_busy_may_pass(twilio: tuple[FakeTwilio, TwilioSettings], answer) -> None:
    fake, settings = twilio
    fake.answers.append(answer)
    sms = TwilioSms(settings)
    with pytest.raises(SendFailed) as failed:
        sms.send(_outgoing())
    sms.close()
    assert not failed.value.permanent and str(answer[0]) in failed.value.reason


def test_no_answer_in_time_may_pass(twilio: tuple[FakeTwilio, TwilioSettings]) -> None:
    fake, settings = twilio
    fake.sleep_s = 1.5
    sms = TwilioSms(dataclasses.replace(settings, timeout=0.3))
    with pytest.raises(SendFailed) as failed:
        sms.send(_outgoing())
    sms.close()
    assert not failed.value.permanent and "in time" in failed.value.reason


def test_a_wrong_auth_token_is_not_retried_forever(
    twilio: tuple[FakeTwilio, TwilioSettings],
) -> None:
    """Twilio's 401 (error 20003): the channel is refused, the next channel takes over."""
    _fake, settings = twilio
    sms = TwilioSms(dataclasses.replace(settings, auth_token="wrong"))
    with pytest.raises(SendFailed) as failed:
        sms.send(_outgoing())
    sms.close()
    assert failed.value.permanent and "20003" in failed.value.reason


def test_signature_matches_twilios_documented_example() -> None:
    """The example of Twilio's webhook security page: token 12345, this URL and these params."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    assert signature("12345", url, params.items()) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert signature_valid("12345", url, params.items(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    assert not signature_valid(
        "12345", url, {**params, "Digits": "1235"}.items(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )
    assert not signature_valid("12345", url, params.items(), None)
