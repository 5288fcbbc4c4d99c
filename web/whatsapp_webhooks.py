"""Meta's WhatsApp webhook: the callback URL check (GET) and the signed notifications (POST).

Configure the callback URL ``{PUBLIC_URL}/webhooks/whatsapp`` in the Meta app with the verify
token of RURAL_CARS_WHATSAPP_VERIFY_TOKEN and subscribe it to ``messages``. No session or CSRF
token: a notification is believed only when its X-Hub-Signature-256 is the HMAC of the raw body
with the app secret (RURAL_CARS_WHATSAPP_APP_SECRET); without a secret nothing is believed.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from rides import clock
from rides.messaging import whatsapp_events
from web.database import session
from web.error_responses import error_body
from web.login import public_page

bp = Blueprint("whatsapp_webhooks", __name__, url_prefix="/webhooks/whatsapp")


def _setting(key: str) -> str | None:
    value = current_app.config.get(key)
    return str(value) if value else None


@bp.get("")
@public_page
def verify() -> ResponseReturnValue:
    """Echo ``hub.challenge`` when Meta subscribes with our verify token; 403 otherwise."""
    params = {key: request.args.get(key, "") for key in request.args}
    challenge = whatsapp_events.verification(params, _setting("WHATSAPP_VERIFY_TOKEN"))
    if challenge is None:
        return jsonify(error_body("forbidden", "Wrong or missing verify token.")), 403
    return Response(challenge, mimetype="text/plain")


@bp.post("")
@public_page
def notify() -> ResponseReturnValue:
    """Apply a signed notification; 200 for anything well formed, even ids we do not know."""
    raw = request.get_data(cache=True)
    secret = _setting("WHATSAPP_APP_SECRET")
    header = request.headers.get("X-Hub-Signature-256")
    if secret is None or not whatsapp_events.signature_valid(secret, raw, header):
        return jsonify(error_body("forbidden", "Missing or wrong X-Hub-Signature-256.")), 403
    try:
        notification = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return jsonify(error_body("bad_request", "The body is not JSON.")), 400
    if not isinstance(notification, dict):
        return jsonify(error_body("bad_request", "The body is not a notification object.")), 400
    handled = whatsapp_events.handle(session(), notification, clock.now())
    return jsonify(
        {
            "receipts": handled.receipts,
            "unknown": handled.unknown,
            "replies": handled.replies,
            "repeated": handled.repeated,
        }
    )
