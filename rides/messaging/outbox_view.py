"""The notification outbox as coordinators read it: what was said to whom, and whether it left."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides.models import MessageStatus, OutboxMessage

#: The listing shows at most this many messages.
LIMIT = 200


def outbox_messages(
    session: Session, status: MessageStatus | None = None, *, limit: int = LIMIT
) -> list[OutboxMessage]:
    """Messages newest first, optionally only pending, sent or failed ones, with recipients."""
    query = select(OutboxMessage).options(selectinload(OutboxMessage.recipient))
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)))
