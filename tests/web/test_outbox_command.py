"""``rural-cars outbox send``: the run's counts per channel, and the channels that are off."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from rides.messaging import notifications
from tests.factories import Factory
from web.commands.planning import outbox


def test_outbox_send_counts_per_channel_and_names_the_channels_off(
    app: Flask, session: Session, make: Factory, twilio
) -> None:
    fake, sms = twilio
    rider = make.newcomer(phone="+34612345678")
    notifications.enqueue(session, rider, "test", "t:1", "Tu viaje", "Mañana a las 9")
    session.commit()
    runner = app.test_cli_runner()
    app.config.update(
        TWILIO_ACCOUNT_SID=sms.account_sid, TWILIO_AUTH_TOKEN=sms.auth_token,
        TWILIO_FROM=sms.sender, TWILIO_API_URL=sms.api_url,
    )  # fmt: skip
    result = runner.invoke(outbox, ["send"])
    assert result.exit_code == 0, result.output
    assert "outbox: 1 by SMS, 0 by WhatsApp, 0 e-mailed" in result.output
    assert "channels off (not configured): whatsapp, email" in result.output
    assert len(fake.created) == 1
