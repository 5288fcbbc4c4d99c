"""SMS through Twilio's Programmable Messaging API (the Message resource, API version 2010-04-01).

Sending is ``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded ``To``,
``From`` (or ``MessagingServiceSid``), ``Body`` and ``StatusCallback``, with HTTP Basic auth
(Account SID and Auth Token). Twilio answers 201 with the Message resource (``sid``, ``status``
"queued" or "accepted", ``num_segments``); a refusal is a 4xx with ``{"code", "message",
"more_info", "status"}``. Delivery receipts come later to the status callback and replies to the
incoming-message webhook, both signed with ``X-Twilio-Signature`` (web/sms_webhooks.py).

A refusal of the recipient (not a valid number, not a mobile, unsubscribed with STOP, a country
we may not send to) is for good: the next channel is tried at once. Twilio being down (5xx),
a rate limit (429) or no answer in time may pass: the message is tried again later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from rides.messaging.channels import Accepted, Outgoing, SendFailed
from rides.models import AttemptStatus, Channel, Person

DEFAULT_API_URL = "https://api.twilio.com"

#: Twilio error codes that say a retry can only fail the same way (https://www.twilio.com/docs/api/errors).
PERMANENT_CODES = frozenset(
    {
        21211,  # invalid 'To' phone number
        21408,  # permission to send to this region not enabled
        21610,  # the recipient replied STOP (unsubscribed)
        21612,  # the 'To' number cannot be reached from the 'From' number
        21614,  # 'To' is not a mobile number
        21617,  # body exceeds 1600 characters
        21606,  # the 'From' number cannot send SMS
        21659,  # 'From' is not a Twilio number
    }
)
#: Error codes that may pass although the HTTP status is a 4xx (too many requests, queue full).
TRANSIENT_CODES = frozenset({20429, 21611})

#: What Twilio's ``MessageStatus`` means for an attempt; queued, accepted, scheduled, sending
#: and the inbound ones say nothing new (None).
RECEIPT_STATUS: dict[str, AttemptStatus] = {
    "sent": AttemptStatus.SENT,
    "delivered": AttemptStatus.DELIVERED,
    "read": AttemptStatus.READ,
    "undelivered": AttemptStatus.UNDELIVERED,
    "failed": AttemptStatus.FAILED,
}


@dataclass(frozen=True)
class TwilioSettings:
    """An account and a sender (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM or
    TWILIO_MESSAGING_SERVICE_SID); ``status_callback`` is our public status-callback URL."""

    account_sid: str
    auth_token: str
    sender: str | None = None
    messaging_service_sid: str | None = None
    api_url: str = DEFAULT_API_URL
    status_callback: str | None = None
    timeout: float = 15.0


class TwilioSms:
    """The SMS channel over Twilio: one HTTP connection pool per delivery run."""

    channel = Channel.SMS

    def __init__(self, settings: TwilioSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self._client = client or httpx.Client(
            base_url=settings.api_url.rstrip("/"),
            auth=(settings.account_sid, settings.auth_token),
            timeout=settings.timeout,
            headers={"Accept": "application/json"},
        )

    def address(self, person: Person) -> str | None:
        """The person's phone number (E.164), None when they have none."""
        return person.phone or None

    def send(self, outgoing: Outgoing) -> Accepted:
        """Create the Message resource; raises SendFailed, permanent or not (module doc)."""
        s = self.settings
        form = {"To": outgoing.to, "Body": outgoing.body}
        if s.messaging_service_sid:
            form["MessagingServiceSid"] = s.messaging_service_sid
        if s.sender:
            form["From"] = s.sender
        if s.status_callback:
            form["StatusCallback"] = s.status_callback
        path = f"/2010-04-01/Accounts/{s.account_sid}/Messages.json"
        try:
            response = self._client.post(path, data=form)
        except httpx.TimeoutException as error:
            raise SendFailed(
                f"Twilio did not answer in time ({type(error).__name__})", permanent=False
            ) from error
        except httpx.HTTPError as error:
            raise SendFailed(
                f"Twilio unreachable: {type(error).__name__}: {error}", permanent=False
            ) from error
        if response.status_code in (200, 201):
            return _accepted(response)
        raise _refusal(response)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def probe(settings: TwilioSettings) -> str:
    """Fetch the Account resource (``GET /2010-04-01/Accounts/{AccountSid}.json``) as the
    sender authenticates, sending nothing; its status ("active"...), or raises SendFailed.
    ``rural-cars check`` calls it so a wrong SID or token shows up at install time."""
    with httpx.Client(
        base_url=settings.api_url.rstrip("/"),
        auth=(settings.account_sid, settings.auth_token),
        timeout=settings.timeout,
    ) as client:
        try:
            response = client.get(f"/2010-04-01/Accounts/{settings.account_sid}.json")
        except httpx.HTTPError as error:
            raise SendFailed(
                f"Twilio unreachable: {type(error).__name__}", permanent=False
            ) from error
    if response.status_code != 200:
        raise _refusal(response)
    return str(_json(response).get("status", "?"))


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _accepted(response: httpx.Response) -> Accepted:
    body = _json(response)
    sid = body.get("sid")
    if not isinstance(sid, str) or not sid:
        raise SendFailed("Twilio answered without a message sid", permanent=False)
    try:
        segments = int(str(body.get("num_segments") or 0)) or None  # 0 via a Messaging Service
    except ValueError:
        segments = None
    return Accepted(provider_id=sid, segments=segments)


def _refusal(response: httpx.Response) -> SendFailed:
    body = _json(response)
    code = body.get("code")
    text = str(body.get("message") or response.reason_phrase)
    reason = f"Twilio {response.status_code}" + (f" error {code}" if code else "") + f": {text}"
    if response.status_code == 429 or response.status_code >= 500 or code in TRANSIENT_CODES:
        return SendFailed(reason[:500], permanent=False)
    if code in PERMANENT_CODES or 400 <= response.status_code < 500:
        return SendFailed(reason[:500], permanent=True)
    return SendFailed(reason[:500], permanent=False)


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's X-Twilio-Signature of a request: HMAC-SHA1 keyed with the Auth Token over the
    full URL followed by every POST parameter's name and value, sorted, base64-encoded."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], given: str | None
) -> bool:
    """Whether ``given`` is Twilio's signature of this request (compared in constant time)."""
    if not given:
        return False
    return hmac.compare_digest(signature(auth_token, url, params).encode(), given.encode())
