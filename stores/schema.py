"""The events table, created once even when several servers start together.

Rasa's SQLTrackerStore creates its tables on start; two servers starting at once
on one PostgreSQL database can both see no table and both try to create it. A
transaction-scoped advisory lock lets one create and the others find it made.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import URL

# Any fixed 64-bit number; only Amma's servers take this lock.
SCHEMA_LOCK_KEY = 0x616D6D61  # "amma"
WAIT_SECONDS = 5


def create_tables(
    metadata: sa.MetaData, url: URL | str, log: Callable[[str], None], attempts: int | None = None
) -> None:
    """Create metadata's tables if missing, waiting for the database to come up
    (every WAIT_SECONDS; for ever unless attempts is given, as Rasa does)."""
    engine = sa.create_engine(url)
    try:
        tries = 0
        while True:
            tries += 1
            try:
                with engine.begin() as connection:
                    if engine.dialect.name == "postgresql":
                        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
                    metadata.create_all(connection)
                return
            except sa.exc.OperationalError as error:
                if attempts is not None and tries >= attempts:
                    raise
                log(f"database not reachable yet, retrying in {WAIT_SECONDS} s: {str(error).splitlines()[0]}")
                time.sleep(WAIT_SECONDS)
    finally:
        engine.dispose()
