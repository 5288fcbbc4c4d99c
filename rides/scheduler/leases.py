"""Database leases: named locks that expire, so two scheduler processes never plan a day at once.

A lease is a row of ``leases``. It is taken by INSERT (nobody holds it) or by an UPDATE of an
expired row, each in its own short transaction committed at once, so other processes see it
immediately. Both statements are atomic on SQLite (one writer at a time) and on PostgreSQL
(row lock plus re-check of the WHERE clause), so at most one holder wins. A process that dies
keeps its lease until ``expires_at``; the TTL must outlast the work it protects.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.db import unit_of_work
from rides.models import Lease

log = logging.getLogger(__name__)


def acquire(
    factory: sessionmaker[Session],
    name: str,
    holder: str,
    ttl: float,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Take the lease for ``ttl`` seconds (or extend our own); False when someone else holds it."""
    now = now or clock.now()
    expires = now + dt.timedelta(seconds=ttl)
    if _take_over(factory, name, holder, now, expires):
        return True
    try:
        with unit_of_work(factory) as session:
            session.add(Lease(name=name, holder=holder, acquired_at=now, expires_at=expires))
    except IntegrityError:
        return False  # the row exists and is not expired: held by another holder
    return True


def release(factory: sessionmaker[Session], name: str, holder: str) -> bool:
    """Give the lease back at once; False when we no longer held it (it expired and was taken)."""
    with unit_of_work(factory) as session:
        result = session.execute(
            delete(Lease).where(Lease.name == name, Lease.holder == holder),
            execution_options={"synchronize_session": False},
        )
        return bool(getattr(result, "rowcount", 0))


def holder_of(
    factory: sessionmaker[Session], name: str, *, now: dt.datetime | None = None
) -> str | None:
    """Who holds the lease now (for log messages), None when it is free or expired."""
    now = now or clock.now()
    with unit_of_work(factory) as session:
        lease = session.scalar(select(Lease).where(Lease.name == name))
        return lease.holder if lease is not None and lease.expires_at > now else None


@contextmanager
def held(factory: sessionmaker[Session], name: str, holder: str, ttl: float) -> Iterator[bool]:
    """``with held(...) as acquired:`` run the block knowing whether we hold it; release after."""
    acquired = acquire(factory, name, holder, ttl)
    try:
        yield acquired
    finally:
        if acquired and not release(factory, name, holder):
            log.warning("lease %s expired while %s held it", name, holder)


def _take_over(
    factory: sessionmaker[Session],
    name: str,
    holder: str,
    now: dt.datetime,
    expires: dt.datetime,
) -> bool:
    """UPDATE the row if it expired or is already ours; the WHERE clause decides who wins."""
    with unit_of_work(factory) as session:
        result = session.execute(
            update(Lease)
            .where(Lease.name == name, (Lease.expires_at <= now) | (Lease.holder == holder))
            .values(holder=holder, acquired_at=now, expires_at=expires),
            execution_options={"synchronize_session": False},
        )
        return bool(getattr(result, "rowcount", 0))
