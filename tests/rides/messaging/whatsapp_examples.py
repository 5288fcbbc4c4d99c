"""Answers and webhook notifications of the WhatsApp Cloud API, as its documentation shows them.

Shapes and values follow Meta's reference pages (messages endpoint response, Graph API error
object, webhook payload examples for statuses and received messages); only ids and numbers are
filled in where the documentation writes placeholders.
https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
"""

from __future__ import annotations

from typing import Any

WAMID = "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
BUSINESS_ACCOUNT_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "15550783881"

#: GET /{phone-number-id}?fields=display_phone_number,verified_name
PHONE_NUMBER = {
    "verified_name": "Coches Rurales",
    "display_phone_number": "+1 555-078-3881",
    "id": PHONE_NUMBER_ID,
}


def sent(recipient: str, wamid: str = WAMID) -> dict[str, Any]:
    """200 answer to a template message."""
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": recipient, "wa_id": recipient}],
        "messages": [{"id": wamid, "message_status": "accepted"}],
    }


def error(code: int, message: str, details: str, kind: str = "OAuthException") -> dict[str, Any]:
    """A Graph API error object as the Cloud API returns it."""
    return {
        "error": {
            "message": message,
            "type": kind,
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam",
        }
    }


UNDELIVERABLE = error(131026, "(#131026) Message Undeliverable.", "Message Undeliverable.")
TEMPLATE_MISSING = error(
    132001,
    "(#132001) Template name does not exist in the translation",
    "template name (rural_cars_pickup) does not exist in es_ES",
)
RATE_LIMIT = error(
    130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."
)
SOMETHING_WRONG = error(
    131000, "(#131000) Something went wrong", "Something went wrong.", "OAuthException"
)


def notification(value: dict[str, Any]) -> dict[str, Any]:
    """The envelope every webhook notification comes in."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": BUSINESS_ACCOUNT_ID,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": DISPLAY_NUMBER,
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def status(wamid: str, state: str, recipient: str, timestamp: str = "1796299200") -> dict:
    """A status notification: sent, delivered, read (with pricing) or failed (with errors)."""
    item: dict[str, Any] = {
        "id": wamid,
        "status": state,
        "timestamp": timestamp,
        "recipient_id": recipient,
    }
    if state == "failed":
        item["errors"] = [
            {
                "code": 131026,
                "title": "Message undeliverable",
                "message": "Message undeliverable",
                "error_data": {"details": "Message Undeliverable."},
            }
        ]
    else:
        item["conversation"] = {
            "id": "CONVERSATION_ID",
            "origin": {"type": "utility"},
        }
        item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "utility"}
    return notification({"statuses": [item]})


def text_message(sender: str, wamid: str, body: str, timestamp: str = "1796299200") -> dict:
    """A person wrote a text."""
    return notification(
        {
            "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": sender}],
            "messages": [
                {
                    "from": sender,
                    "id": wamid,
                    "timestamp": timestamp,
                    "text": {"body": body},
                    "type": "text",
                }
            ],
        }
    )


def button_message(sender: str, wamid: str, text: str) -> dict:
    """A person tapped a template's quick-reply button."""
    return notification(
        {
            "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": sender}],
            "messages": [
                {
                    "context": {"from": DISPLAY_NUMBER, "id": WAMID},
                    "from": sender,
                    "id": wamid,
                    "timestamp": "1796299200",
                    "type": "button",
                    "button": {"text": text, "payload": f"{text}-Button-Payload"},
                }
            ],
        }
    )


def interactive_message(sender: str, wamid: str, title: str) -> dict:
    """A person tapped a reply button of an interactive message."""
    return notification(
        {
            "contacts": [{"profile": {"name": "Kerry Fisher"}, "wa_id": sender}],
            "messages": [
                {
                    "context": {"from": DISPLAY_NUMBER, "id": WAMID},
                    "from": sender,
                    "id": wamid,
                    "timestamp": "1796299200",
                    "type": "interactive",
                    "interactive": {
                        "type": "button_reply",
                        "button_reply": {"id": "unique-button-identifier-here", "title": title},
                    },
                }
            ],
        }
    )
