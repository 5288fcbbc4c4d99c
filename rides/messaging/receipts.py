"""Delivery receipts: what providers tell us later about a message they took.

A receipt moves an attempt forward (sent, delivered, read) and never back; receipts arrive out
of order and more than once, so an older or repeated one changes nothing. A message the
provider could not deliver (failed, undelivered) is not lost: the outbox message becomes due
again at once, and the next delivery run tries the person's next channel (the failed channel
is never tried twice for one message).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import AttemptStatus, Channel, DeliveryAttempt, MessageStatus

#: How far along each status is; a receipt only ever moves an attempt to a later rank.
_RANK = {
    AttemptStatus.SENT: 0,
    AttemptStatus.DELIVERED: 1,
    AttemptStatus.READ: 2,
    AttemptStatus.FAILED: 3,
    AttemptStatus.UNDELIVERED: 3,
}
LOST = frozenset({AttemptStatus.FAILED, AttemptStatus.UNDELIVERED})


def record_receipt(
    session: Session,
    channel: Channel,
    provider_id: str,
    status: AttemptStatus,
    now: dt.datetime,
    error: str | None = None,
) -> DeliveryAttempt | None:
    """Apply one receipt; the attempt it concerns, or None when no attempt has that id."""
    attempt = session.scalar(
        select(DeliveryAttempt).where(
            DeliveryAttempt.channel == channel, DeliveryAttempt.provider_id == provider_id
        )
    )
    if attempt is None:
        return None
    if _RANK[status] <= _RANK[attempt.status] or attempt.status in LOST:
        return attempt
    attempt.status = status
    attempt.updated_at = now
    if status in LOST:
        attempt.error = (error or status.value)[:500]
        _try_next_channel(attempt, now)
    return attempt


def _try_next_channel(attempt: DeliveryAttempt, now: dt.datetime) -> None:
    """The message is due again; delivery skips channels already tried for it."""
    message = attempt.message
    if message.status == MessageStatus.SENT:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now
        message.last_error = f"{attempt.channel.value}: {attempt.error}"[:500]
