"""A throw-away PostgreSQL database on the shared cluster, migrated, with the province's places.

The reliability commands never touch a database they did not create, and drop theirs at the
end even when interrupted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.databases import POSTGRES_URL, PostgresTemplates, postgres_available


@contextmanager
def scratch_database(admin_url: str = POSTGRES_URL, *, with_places: bool = True) -> Iterator[str]:
    """Yield the URL of a new migrated database (a copy of a fresh template); drop both after."""
    why = postgres_available()
    if why is not None:
        raise SystemExit(f"PostgreSQL at {admin_url} is not answering: {why}")
    templates = PostgresTemplates(admin_url)
    try:
        yield templates.fresh(with_places)
    finally:
        templates.close()
