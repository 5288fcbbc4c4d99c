"""The adapter interface every message channel implements (SMS, WhatsApp, e-mail).

The outbox (rides/messaging/delivery.py) tries a person's channels in their order
(``Person.channel_order``); each adapter turns one outbox message into one provider request and
says whether the provider took it. Adapters know their provider's HTTP API and nothing of the
database; the delivery code records every attempt (rides/models/channel.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from rides.models import Channel, Person


@dataclass(frozen=True)
class Outgoing:
    """One outbox message as a channel sends it, already in the recipient's language.

    ``fields`` are the message's named values (date, time, place...): channels that send
    pre-approved templates (WhatsApp) fill them in instead of sending ``body``.
    """

    message_id: int
    kind: str
    language: str
    to: str
    subject: str
    body: str
    fields: Mapping[str, str] = field(default_factory=dict)
    #: The recipient's first name, for channels that address people by name (e-mail's To).
    name: str = ""
    #: An id drawn once for the message and the same on every retry (e-mail's Message-ID).
    reference: str | None = None
    #: When the delivery run sends it (e-mail's Date header); None means now.
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class Accepted:
    """The provider took the message: its id (for delivery receipts) and, for SMS, segments."""

    provider_id: str
    segments: int | None = None


class SendFailed(Exception):
    """The provider did not take the message.

    ``permanent`` when trying again on this channel cannot help (a number that is not a mobile,
    not on WhatsApp, no approved template in the language): the next channel is tried at once.
    Otherwise (timeout, provider down, rate limit) the message is tried again later.
    """

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender(Protocol):
    """A configured channel: where a person is reached on it and how to send there."""

    channel: Channel

    def address(self, person: Person) -> str | None:
        """The person's address on this channel (E.164 number, e-mail), None if they have none."""
        ...

    def send(self, outgoing: Outgoing) -> Accepted:
        """Hand one message to the provider; raises SendFailed."""
        ...

    def close(self) -> None:
        """Release connections at the end of a delivery run."""
        ...
