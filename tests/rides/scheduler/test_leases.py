"""Database leases: one holder at a time, expiry, release, also under concurrent attempts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.db import make_engine, make_sessionmaker
from rides.models import Lease
from rides.scheduler import leases

T0 = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def factory(empty_db_url: str):
    engine: Engine = make_engine(empty_db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_second_holder_is_refused_while_the_first_holds(factory: sessionmaker[Session]) -> None:
    """A takes the lease; B is refused until A's lease expires, then B takes it over."""
    assert leases.acquire(factory, "plan:2026-12-02", "A", 60, now=T0)
    assert not leases.acquire(
        factory, "plan:2026-12-02", "B", 60, now=T0 + dt.timedelta(seconds=59)
    )
    assert leases.acquire(factory, "plan:2026-12-02", "B", 60, now=T0 + dt.timedelta(seconds=60))
    with factory() as session:
        lease = session.scalars(select(Lease)).one()
    assert lease.holder == "B" and lease.expires_at == T0 + dt.timedelta(seconds=120)


def test_leases_with_other_names_are_independent(factory: sessionmaker[Session]) -> None:
    """Holding the lease of one day does not block planning another day."""
    assert leases.acquire(factory, "plan:2026-12-02", "A", 60, now=T0)
    assert leases.acquire(factory, "plan:2026-12-03", "B", 60, now=T0)


def test_the_holder_extends_its_own_lease(factory: sessionmaker[Session]) -> None:
    """Acquiring again as the same holder renews the expiry instead of failing."""
    assert leases.acquire(factory, "day", "A", 60, now=T0)
    assert leases.acquire(factory, "day", "A", 60, now=T0 + dt.timedelta(seconds=30))
    assert not leases.acquire(factory, "day", "B", 60, now=T0 + dt.timedelta(seconds=80))


def test_release_frees_the_lease_for_others_only_when_held(
    factory: sessionmaker[Session],
) -> None:
    """B cannot release A's lease; after A releases, B takes it at once."""
    assert leases.acquire(factory, "day", "A", 60)
    assert not leases.release(factory, "day", "B")
    assert leases.holder_of(factory, "day") == "A"
    assert leases.release(factory, "day", "A")
    assert leases.holder_of(factory, "day") is None
    assert leases.acquire(factory, "day", "B", 60)


def test_context_manager_reports_and_releases(factory: sessionmaker[Session]) -> None:
    """``held`` yields whether the lease was taken and gives it back when the block ends."""
    with leases.held(factory, "day", "A", 60) as first:
        with leases.held(factory, "day", "B", 60) as second:
            assert first and not second
        assert leases.holder_of(factory, "day") == "A"
    assert leases.holder_of(factory, "day") is None


def test_context_manager_releases_on_error(factory: sessionmaker[Session]) -> None:
    """A job that fails does not keep the day locked until the lease expires."""
    with pytest.raises(RuntimeError), leases.held(factory, "day", "A", 60):
        raise RuntimeError("solver crashed")
    assert leases.holder_of(factory, "day") is None


def test_expired_lease_is_reported_free(factory: sessionmaker[Session]) -> None:
    """A lease left by a killed process counts as free once expired."""
    assert leases.acquire(factory, "day", "dead", 1, now=clock.now() - dt.timedelta(seconds=5))
    assert leases.holder_of(factory, "day") is None
    assert leases.acquire(factory, "day", "alive", 60)


@pytest.mark.parametrize("expired_row", [False, True], ids=["insert", "takeover"])
def test_concurrent_attempts_have_exactly_one_winner(
    factory: sessionmaker[Session], expired_row: bool
) -> None:
    """Eight threads race for a free (or expired) lease: exactly one of them gets it."""
    if expired_row:
        leases.acquire(factory, "day", "old", 1, now=clock.now() - dt.timedelta(hours=1))
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def attempt(n: int) -> None:
        barrier.wait()
        results.append(leases.acquire(factory, "day", f"holder-{n}", 60))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False] * 7 + [True]
