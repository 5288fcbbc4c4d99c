"""E-mail as a channel: SMTP settings, one connection per delivery run, the e-mail itself.

The Message-ID is drawn once per outbox message and kept in its payload, so a retry carries the
same id (mail clients fold duplicates) and a restored database never reuses one.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from rides import clock
from rides.messaging.channels import Accepted, Outgoing, SendFailed
from rides.models import Channel, OutboxMessage, Person


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand e-mail over (config SMTP_HOST, SMTP_PORT, SMTP_USER...)."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "rural-cars@localhost"
    starttls: bool = False
    timeout: float = 20.0


class SmtpMailer:
    """One SMTP connection reused for a run of the sender, reopened after an error."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        """Hand one message to the server; raises smtplib.SMTPException or OSError."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def noop(self) -> None:
        """Connect (STARTTLS, login) if needed and ask the server to do nothing."""
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.noop()

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls:
                smtp.starttls()
            if s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            smtp.close()  # a refused STARTTLS or login must not leak the connection
            raise
        return smtp


def probe(settings: SmtpSettings) -> None:
    """Connect, STARTTLS and log in exactly as the sender does, then leave without sending.

    ``rural-cars check`` calls this so a wrong port, TLS setting or password shows up at
    install time, not as a day of messages stuck in the outbox.
    """
    mailer = SmtpMailer(settings)
    try:
        mailer.noop()
    finally:
        mailer.close()


class EmailSender:
    """E-mail as a channel: the person's address, one SMTP connection per delivery run."""

    channel = Channel.EMAIL

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.mailer = SmtpMailer(settings)

    def address(self, person: Person) -> str | None:
        """The person's e-mail address, None when they have none."""
        return person.email or None

    def send(self, outgoing: Outgoing) -> Accepted:
        """Hand the e-mail to the server; a 5xx refusal is for good, anything else may pass."""
        email = email_for(outgoing, self.settings)
        try:
            self.mailer.send(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            reason = f"{type(error).__name__}: {error}"
            raise SendFailed(reason, permanent=all(code >= 500 for code in codes)) from error
        except smtplib.SMTPAuthenticationError as error:  # the operator's to fix: keep trying
            raise SendFailed(f"{type(error).__name__}: {error}", permanent=False) from error
        except smtplib.SMTPResponseException as error:
            reason = f"{type(error).__name__}: {error}"
            raise SendFailed(reason, permanent=error.smtp_code >= 500) from error
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(f"{type(error).__name__}: {error}", permanent=False) from error
        return Accepted(provider_id=str(email["Message-ID"]))

    def close(self) -> None:
        """Say goodbye to the server."""
        self.mailer.close()


def compose(
    message: OutboxMessage, address: str, smtp: SmtpSettings, now: dt.datetime
) -> EmailMessage:
    """The e-mail for a message, already in the recipient's language.

    The Message-ID is drawn once (random and time-based, so a restored database never reuses
    one) and kept in the payload, so a retry of the same message carries the same id and mail
    clients fold the duplicates.
    """
    outgoing = Outgoing(
        message_id=message.id, kind=message.kind, language=message.language, to=address,
        subject=message.subject, body=message.body,
        name=message.recipient.first_name if message.recipient is not None else "",
        reference=message_id(message, smtp), sent_at=now,
    )  # fmt: skip
    return email_for(outgoing, smtp)


def email_for(outgoing: Outgoing, smtp: SmtpSettings) -> EmailMessage:
    """The e-mail carrying one outgoing message (its Message-ID drawn here when it has none)."""
    now = outgoing.sent_at or clock.now()
    domain = smtp.sender.rpartition("@")[2] or "localhost"
    email = EmailMessage()
    email["From"] = smtp.sender
    email["To"] = formataddr((outgoing.name, outgoing.to))
    email["Subject"] = outgoing.subject
    email["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=dt.UTC))
    email["Message-ID"] = outgoing.reference or make_msgid(
        idstring=f"outbox{outgoing.message_id}", domain=domain
    )
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(outgoing.body)
    email["Content-Language"] = outgoing.language  # after set_content, which clears Content-*
    return email


def message_id(message: OutboxMessage, smtp: SmtpSettings | None) -> str:
    """This message's globally unique Message-ID, the same on every attempt."""
    known = message.payload.get("message_id")
    if isinstance(known, str) and known:
        return known
    sender = smtp.sender if smtp is not None else "rural-cars@localhost"
    domain = sender.rpartition("@")[2] or "localhost"
    drawn = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    message.payload = {**message.payload, "message_id": drawn}
    return drawn
