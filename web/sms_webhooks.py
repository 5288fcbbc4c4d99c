"""Twilio's calls to us: SMS delivery receipts (status callback) and replies (incoming message).

Both are form-encoded POSTs signed with ``X-Twilio-Signature`` over the URL Twilio called, which
is our PUBLIC_URL (the proxy in front of us changes host and scheme) and the path. A request
without a valid signature is refused with 403 before anything is read. Twilio may call twice for
the same event: a receipt moves an attempt forward only once and a reply is stored once per
MessageSid (rides/messaging/receipts.py, rides/messaging/inbound.py), so a repeat changes
nothing. No page session and no CSRF token here: the signature is the authentication.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from rides import clock
from rides.messaging import inbound
from rides.messaging.receipts import record_receipt
from rides.messaging.sms_twilio import RECEIPT_STATUS, signature_valid
from rides.models import Channel
from web.config import TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH
from web.database import session
from web.error_responses import error_body
from web.login import public_page

bp = Blueprint("sms_webhooks", __name__)

#: The empty TwiML answer: the reply is stored, Twilio sends nothing back to the person.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def _refused() -> ResponseReturnValue | None:
    """403 unless the request carries Twilio's signature made with our Auth Token."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    url = str(current_app.config["PUBLIC_URL"]).rstrip("/") + request.path
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    given = request.headers.get("X-Twilio-Signature")
    if token and signature_valid(str(token), url, request.form.items(multi=True), given):
        return None
    message = "Missing or invalid X-Twilio-Signature."
    return jsonify(error_body("forbidden", message)), 403


def _missing(*names: str) -> ResponseReturnValue | None:
    absent = {name: "Missing." for name in names if not request.form.get(name)}
    if not absent:
        return None
    return jsonify(error_body("invalid", "Missing Twilio parameters.", absent)), 400


@bp.post(TWILIO_STATUS_PATH)
@public_page
def sms_status() -> ResponseReturnValue:
    """A delivery receipt: MessageSid, MessageStatus and, when it failed, ErrorCode."""
    refused = _refused() or _missing("MessageSid", "MessageStatus")
    if refused is not None:
        return refused
    status = RECEIPT_STATUS.get(request.form["MessageStatus"])
    if status is not None:
        code = request.form.get("ErrorCode")
        record_receipt(
            session(), Channel.SMS, request.form["MessageSid"], status, clock.now(),
            error=f"Twilio error {code}" if code else None,
        )  # fmt: skip
    return "", 204


@bp.post(TWILIO_INBOUND_PATH)
@public_page
def sms_inbound() -> ResponseReturnValue:
    """A reply: MessageSid, From, Body; stored, and answered with an empty TwiML response."""
    refused = _refused() or _missing("MessageSid", "From")
    if refused is not None:
        return refused
    inbound.receive(
        session(),
        inbound.Inbound(
            channel=Channel.SMS,
            provider_id=request.form["MessageSid"],
            sender=request.form["From"],
            body=request.form.get("Body", ""),
            received_at=clock.now(),
        ),
    )
    return Response(EMPTY_TWIML, mimetype="text/xml")
