"""What Meta's WhatsApp webhooks tell us: the fate of messages we sent, and people's replies.

Meta POSTs a JSON notification signed with the app secret (``X-Hub-Signature-256: sha256=`` and
the HMAC-SHA256 of the raw body, hex); its ``entry[].changes[].value`` holds ``statuses``
(sent, delivered, read, failed, with ``errors`` when failed) and ``messages`` (what a person
wrote: a text, the label of a template's quick-reply button, or an interactive button's title).
Notifications come late, out of order and more than once: receipts only ever move an attempt
forward (rides/messaging/receipts.py) and a reply is stored once per message id
(rides/messaging/inbound.py), so a repeated notification changes nothing. Ids we do not know
are skipped: Meta must get its 200 or it retries for days.

https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rides.messaging.inbound import Inbound, receive
from rides.messaging.receipts import record_receipt
from rides.models import AttemptStatus, Channel

STATUSES = {
    "sent": AttemptStatus.SENT,
    "delivered": AttemptStatus.DELIVERED,
    "read": AttemptStatus.READ,
    "failed": AttemptStatus.FAILED,
}


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is Meta's signature of exactly these bytes (constant-time)."""
    if not app_secret or not header:
        return False
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={digest}", header.strip())


def verification(params: dict[str, str], verify_token: str | None) -> str | None:
    """The challenge to echo when Meta checks the callback URL with our token, else None."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token", "")
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        return None
    return params.get("hub.challenge", "")


@dataclass
class Handled:
    """What one notification did: receipts applied (known ids), replies newly stored."""

    receipts: int = 0
    unknown: int = 0
    replies: int = 0
    repeated: int = 0


def handle(session: Session, notification: dict[str, Any], now: dt.datetime) -> Handled:
    """Apply every status and store every reply of a notification; unknown ids are skipped."""
    handled = Handled()
    for value in _values(notification):
        for status in _dicts(value.get("statuses")):
            _status(session, status, now, handled)
        for message in _dicts(value.get("messages")):
            _message(session, message, now, handled)
    return handled


def _values(notification: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        change["value"]
        for entry in _dicts(notification.get("entry"))
        for change in _dicts(entry.get("changes"))
        if isinstance(change.get("value"), dict)
    ]


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _status(session: Session, status: dict[str, Any], now: dt.datetime, handled: Handled) -> None:
    wamid, outcome = status.get("id"), STATUSES.get(str(status.get("status")))
    if not isinstance(wamid, str) or outcome is None:
        return  # "deleted", "warning" and future statuses say nothing about delivery
    attempt = record_receipt(
        session, Channel.WHATSAPP, wamid, outcome, now, _error(status.get("errors"))
    )
    if attempt is None:
        handled.unknown += 1
    else:
        handled.receipts += 1


def _error(errors: Any) -> str | None:
    """The first error of a failed status as "131026 Message undeliverable: details"."""
    first = next(iter(_dicts(errors)), None)
    if first is None:
        return None
    text = " ".join(str(first[k]) for k in ("code", "title") if first.get(k) is not None)
    data = first.get("error_data")
    if isinstance(data, dict) and data.get("details"):
        text = f"{text}: {data['details']}"
    return text or None


def _message(session: Session, message: dict[str, Any], now: dt.datetime, handled: Handled) -> None:
    sender, wamid = message.get("from"), message.get("id")
    if not isinstance(sender, str) or not isinstance(wamid, str) or not sender:
        return
    reply = Inbound(
        channel=Channel.WHATSAPP,
        provider_id=wamid,
        sender=sender if sender.startswith("+") else f"+{sender}",
        body=text_of(message),
        received_at=_moment(message.get("timestamp"), now),
    )
    if receive(session, reply) is None:
        handled.repeated += 1
    else:
        handled.replies += 1


def text_of(message: dict[str, Any]) -> str:
    """What the person wrote or tapped; other kinds (a voice note, a photo) as ``[audio]``...,
    so a coordinator sees that something came and calls back."""
    kind = str(message.get("type", ""))
    found = message.get(kind)
    part: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "text":
        return str(part.get("body", ""))
    if kind == "button":
        return str(part.get("text") or part.get("payload") or "")
    if kind == "interactive":
        for reply in ("button_reply", "list_reply"):
            if isinstance(part.get(reply), dict):
                return str(part[reply].get("title", ""))
    return f"[{kind or 'unknown'}]"


def _moment(timestamp: Any, now: dt.datetime) -> dt.datetime:
    """The Unix time Meta gives (seconds, as text), or now when it is missing or absurd."""
    try:
        return dt.datetime.fromtimestamp(int(str(timestamp)), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return now
