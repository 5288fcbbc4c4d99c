"""WhatsApp through Meta's WhatsApp Business Cloud API: one approved template per message.

Sending is ``POST {api_url}/{phone_number_id}/messages`` with the business's access token; the
answer carries the message's id (a "wamid"), which the status webhooks later quote
(web/whatsapp_webhooks.py). Errors come as a Graph API error object whose ``code`` says what
went wrong; the codes below decide whether trying again on WhatsApp can help:

* permanent: the number is not on WhatsApp or cannot receive (131026, 133010), an invalid
  number or parameter (100, 131008, 131009), the template is missing, paused or does not match
  its parameters (132000-132018), the account cannot send (0, 10, 190, 200-299, 131031,
  131042, 368). The next channel is tried at once: the ride message must reach the person.
* transient: throughput and spam rate limits (4, 80007, 130429, 131048, 131056), Meta being
  down or overloaded (1, 2, 131000, 131016, 133004, any 5xx), a timeout or a lost connection.
  The outbox tries again later with back-off.

Meta's error codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from rides.messaging.channels import Accepted, Outgoing, SendFailed
from rides.messaging.whatsapp_templates import NoTemplate, fill
from rides.models import Channel, Person

log = logging.getLogger(__name__)

#: The Graph API version in the documentation's examples when this adapter was written; a
#: version keeps working about two years after its release (RURAL_CARS_WHATSAPP_API_URL).
DEFAULT_API_URL = "https://graph.facebook.com/v25.0"

#: Error codes after which this message will not go by WhatsApp, whatever we do.
PERMANENT_CODES = frozenset(
    {
        0, 3, 10, 190, 368, 470,  # token, permissions, account blocked, old re-engagement
        100, 131008, 131009, 131021, 131030, 131051,  # invalid number or request
        131026, 133010,  # undeliverable: not on WhatsApp, old app, terms not accepted
        131031, 131042, 131045, 131047,  # account locked, payment, certificate, re-engagement
        132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018,  # template problems
    }
)  # fmt: skip
#: Error codes that pass: rate limits and Meta's own trouble.
TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004})
#: Codes that mean the deployment's WhatsApp account needs an operator, not just this message.
ACCOUNT_CODES = frozenset({0, 3, 10, 190, 368, 131031, 131042}) | frozenset(range(200, 300))


@dataclass(frozen=True)
class WhatsAppSettings:
    """The business's Cloud API credentials (config RURAL_CARS_WHATSAPP_*)."""

    token: str
    phone_number_id: str
    app_secret: str | None = None
    verify_token: str | None = None
    api_url: str = DEFAULT_API_URL
    timeout: float = 15.0

    @property
    def messages_url(self) -> str:
        """Where messages are sent from the business phone number."""
        return f"{self.api_url.rstrip('/')}/{self.phone_number_id}/messages"


def whatsapp_settings(config: Mapping[str, Any]) -> WhatsAppSettings | None:
    """The WhatsApp settings of a configuration (the app's config), None when sending is off:
    WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID are both needed to send."""

    def value(key: str) -> str | None:
        found = config.get(key)
        text = str(found).strip() if found is not None else ""
        return text or None

    token, number = value("WHATSAPP_TOKEN"), value("WHATSAPP_PHONE_NUMBER_ID")
    if token is None or number is None:
        return None
    return WhatsAppSettings(
        token=token,
        phone_number_id=number,
        app_secret=value("WHATSAPP_APP_SECRET"),
        verify_token=value("WHATSAPP_VERIFY_TOKEN"),
        api_url=value("WHATSAPP_API_URL") or DEFAULT_API_URL,
        timeout=float(config.get("WHATSAPP_TIMEOUT") or 15.0),
    )


def whatsapp_sender(
    settings: Mapping[str, Any] | WhatsAppSettings | None,
) -> WhatsAppSender | None:
    """The WhatsApp channel for delivery, None when it is not configured.

    ``settings`` is the app's configuration (``current_app.config``) or WhatsAppSettings.
    """
    if settings is not None and not isinstance(settings, WhatsAppSettings):
        settings = whatsapp_settings(settings)
    return WhatsAppSender(settings) if settings is not None else None


class WhatsAppSender:
    """Sends outbox messages as WhatsApp templates; one HTTP connection pool per run."""

    channel = Channel.WHATSAPP

    def __init__(self, settings: WhatsAppSettings) -> None:
        self.settings = settings
        self._client: httpx.Client | None = None

    def address(self, person: Person) -> str | None:
        """The person's mobile number in E.164 (WhatsApp is reached by phone number)."""
        phone = (person.phone or "").strip()
        return phone if phone.startswith("+") and phone[1:].isdigit() else None

    def send(self, outgoing: Outgoing) -> Accepted:
        """Send the message's template; its wamid, or SendFailed saying whether to retry."""
        try:
            template = fill(outgoing.kind, outgoing.language, outgoing.fields)
        except NoTemplate as error:
            raise SendFailed(str(error), permanent=True) from error
        request = template_request(
            outgoing.to, template.name, template.language_code, template.parameters
        )
        try:
            response = self._http().post(
                self.settings.messages_url,
                json=request,
                headers={"Authorization": f"Bearer {self.settings.token}"},
            )
        except httpx.TimeoutException as error:
            raise SendFailed(f"WhatsApp did not answer: {error!r}", permanent=False) from error
        except httpx.HTTPError as error:
            raise SendFailed(f"WhatsApp unreachable: {error!r}", permanent=False) from error
        return accepted(response)

    def close(self) -> None:
        """Close the connection pool at the end of a delivery run."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.settings.timeout)
        return self._client


def probe(settings: WhatsAppSettings) -> str:
    """Ask Meta for the business phone number as the token sees it, sending nothing; its
    display number and verified name. ``rural-cars check`` calls this so a wrong token or
    number id shows at install time, not as every message falling back to the next channel.
    Raises SendFailed."""
    url = f"{settings.api_url.rstrip('/')}/{settings.phone_number_id}"
    try:
        response = httpx.get(
            url,
            params={"fields": "display_phone_number,verified_name"},
            headers={"Authorization": f"Bearer {settings.token}"},
            timeout=settings.timeout,
        )
    except httpx.HTTPError as error:
        raise SendFailed(f"WhatsApp unreachable: {error!r}", permanent=False) from error
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not response.is_success or not isinstance(answer, dict):
        raise failure(response.status_code, answer)
    return f"{answer.get('display_phone_number', '?')} ({answer.get('verified_name', '?')})"


def template_request(
    to: str, name: str, language_code: str, parameters: tuple[str, ...]
) -> dict[str, Any]:
    """The Cloud API's message object for a template with body parameters."""
    template: dict[str, Any] = {"name": name, "language": {"code": language_code}}
    if parameters:
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
        ]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.lstrip("+"),
        "type": "template",
        "template": template,
    }


def accepted(response: httpx.Response) -> Accepted:
    """Read the Cloud API's answer: the wamid, or SendFailed from its error object."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.is_success:
        messages = answer.get("messages") if isinstance(answer, dict) else None
        if messages and isinstance(messages[0], dict) and messages[0].get("id"):
            return Accepted(provider_id=str(messages[0]["id"]))
        raise SendFailed(f"WhatsApp answered {response.status_code} without an id", permanent=False)
    raise failure(response.status_code, answer)


def failure(status: int, answer: Any) -> SendFailed:
    """The error an HTTP error answer means, permanent or not by Meta's error code."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return SendFailed(f"WhatsApp HTTP {status}", permanent=not _passing_status(status))
    code = error.get("code")
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    reason = f"WhatsApp error {code}: {error.get('message', '')}"
    if details:
        reason += f" ({details})"
    if error.get("fbtrace_id"):
        reason += f" [fbtrace_id {error['fbtrace_id']}]"
    if code in TRANSIENT_CODES:
        permanent = False
    elif code in PERMANENT_CODES or code in ACCOUNT_CODES:
        permanent = True
    else:
        permanent = not _passing_status(status)
    if code in ACCOUNT_CODES:
        log.error("WhatsApp account problem, messages go to the next channel: %s", reason)
    return SendFailed(reason[:500], permanent=permanent)


def _passing_status(status: int) -> bool:
    """HTTP statuses worth waiting out: server errors, too many requests, request timeout."""
    return status >= 500 or status in (408, 429)
