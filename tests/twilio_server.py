"""A local HTTP server that answers like Twilio's Programmable Messaging API, and signed callbacks.

What it speaks follows Twilio's documentation:

* Create a Message: https://www.twilio.com/docs/messaging/api/message-resource (``POST
  /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded ``To``, ``From`` or
  ``MessagingServiceSid``, ``Body``, ``StatusCallback``; HTTP Basic auth with the Account SID
  and Auth Token; 201 with the Message resource as in the page's example: ``sid`` "SM" + 32 hex,
  ``status`` "queued", ``num_segments`` a string, ``error_code`` null...).
* Errors: https://www.twilio.com/docs/usage/twilios-response and the error dictionary
  (``{"code": 21211, "message": "The 'To' number ... is not a valid phone number.",
  "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}``; 20003 for a wrong
  Auth Token with HTTP 401).
* Status callbacks: https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
  (``MessageSid``, ``MessageStatus``, ``SmsSid``, ``SmsStatus``, ``AccountSid``, ``From``,
  ``To``, ``ApiVersion``, and ``ErrorCode`` for undelivered and failed messages).
* Incoming messages: https://www.twilio.com/docs/messaging/guides/webhook-request
  (``MessageSid``, ``SmsSid``, ``SmsMessageSid``, ``AccountSid``, ``From``, ``To``, ``Body``,
  ``NumMedia``, ``NumSegments``, ``SmsStatus`` "received", ``ApiVersion``, ``FromCountry``...).
* Signatures: https://www.twilio.com/docs/usage/webhooks/webhooks-security (HMAC-SHA1 keyed
  with the Auth Token over the URL and the sorted POST parameters, base64).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from rides.messaging.sms_segments import segments
from rides.messaging.sms_twilio import TwilioSettings, signature
from tests.local_http import QuietHandler, running

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32  # the fake account's token
FROM = "+34949000111"

#: Documented refusals (bodies as Twilio's error responses carry them).
INVALID_TO = (400, {
    "code": 21211, "message": "The 'To' number +3412 is not a valid phone number.",
    "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400,
})  # fmt: skip
NOT_A_MOBILE = (400, {
    "code": 21614, "message": "'To' number is not a valid mobile number",
    "more_info": "https://www.twilio.com/docs/errors/21614", "status": 400,
})  # fmt: skip
UNSUBSCRIBED = (400, {
    "code": 21610, "message": "Attempt to send to unsubscribed recipient",
    "more_info": "https://www.twilio.com/docs/errors/21610", "status": 400,
})  # fmt: skip
TOO_MANY = (429, {
    "code": 20429, "message": "Too Many Requests",
    "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429,
})  # fmt: skip
SERVER_ERROR = (503, {
    "code": 20500, "message": "An internal server error has occurred",
    "more_info": "https://www.twilio.com/docs/errors/20500", "status": 503,
})  # fmt: skip


def _error(status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    return status, {"code": code, "message": message, "more_info": more_info, "status": status}


@dataclass
class Created:
    """One message Twilio took: the form it was sent with and the sid it got."""

    sid: str
    form: dict[str, str]
    auth: str


@dataclass
class FakeTwilio:
    """What the server answers; tests set ``answers`` (used first, in order) or ``sleep_s``."""

    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    sleep_s: float = 0.0
    created: list[Created] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, auth: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The status and JSON body Twilio gives a Messages.json POST."""
        with self.lock:
            self.requests += 1
            scripted = self.answers.pop(0) if self.answers else None
        if self.sleep_s:
            time.sleep(self.sleep_s)
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if auth != expected:
            return _error(401, 20003, "Authenticate")
        if path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
            return _error(404, 20404, "The requested resource was not found")
        if scripted is not None:
            return scripted
        if "To" not in form or "Body" not in form:
            return _error(400, 21604, "A 'To' phone number is required.")
        sid = "SM" + secrets.token_hex(16)
        with self.lock:
            self.created.append(Created(sid, form, auth))
        now = "Thu, 03 Dec 2026 18:00:00 +0000"
        return 201, {
            "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": form["Body"],
            "date_created": now, "date_sent": None, "date_updated": now,
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0", "num_segments": str(segments(form["Body"])),
            "price": None, "price_unit": "USD", "sid": sid, "status": "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"
            },
            "to": form["To"], "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }  # fmt: skip


def _handler(fake: FakeTwilio) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            status, body = fake.answer(self.path, self.headers.get("Authorization", ""), form)
            data = json.dumps(body).encode()
            self.reply(status, data)

        def do_GET(self) -> None:
            """The Account resource, as fetching it answers (status "active")."""
            auth = self.headers.get("Authorization", "")
            expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            if auth != expected:
                status, body = _error(401, 20003, "Authenticate")
            elif self.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}.json":
                status, body = 200, {"sid": ACCOUNT_SID, "friendly_name": "rural-cars",
                                     "status": "active", "type": "Full"}  # fmt: skip
            else:
                status, body = _error(404, 20404, "The requested resource was not found")
            data = json.dumps(body).encode()
            self.reply(status, data)

    return Handler


@pytest.fixture
def twilio() -> Iterator[tuple[FakeTwilio, TwilioSettings]]:
    """A local Twilio for the test, and the settings that reach it."""
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    with running(server) as url:
        yield (
            fake,
            TwilioSettings(
                account_sid=ACCOUNT_SID,
                auth_token=AUTH_TOKEN,
                sender=FROM,
                api_url=url,
                status_callback="https://rides.example.org/webhooks/twilio/sms/status",
                timeout=1.0,
            ),
        )


def status_callback(
    sid: str, status: str, to: str, error_code: str | None = None
) -> dict[str, str]:
    """The form of a status callback as Twilio posts it (documented parameters)."""
    form = {
        "AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01", "From": FROM,
        "MessageSid": sid, "MessageStatus": status, "SmsSid": sid, "SmsStatus": status,
        "To": to,
    }  # fmt: skip
    if error_code:
        form["ErrorCode"] = error_code
    return form


def incoming_message(sid: str, sender: str, body: str) -> dict[str, str]:
    """The form of an incoming-message webhook as Twilio posts it (documented parameters)."""
    return {
        "AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01", "Body": body,
        "From": sender, "FromCountry": "ES", "MessageSid": sid, "NumMedia": "0",
        "NumSegments": "1", "SmsMessageSid": sid, "SmsSid": sid, "SmsStatus": "received",
        "To": FROM, "ToCountry": "ES",
    }  # fmt: skip


def signed_headers(url: str, form: dict[str, str], token: str = AUTH_TOKEN) -> dict[str, str]:
    """The X-Twilio-Signature Twilio puts on a POST of ``form`` to ``url``."""
    return {"X-Twilio-Signature": signature(token, url, form.items())}
