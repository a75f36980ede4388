"""Retention: delete the conversations whose last event is older than N days.

Plain SQLAlchemy on the table Rasa's SQLTrackerStore writes (`events`: one row
per event, with its sender_id and a Unix timestamp), so the command needs no
Rasa import and runs in a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import URL

EVENTS = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
DAY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Removed:
    conversations: int
    events: int


def forget_older_than(url: URL | str, days: float, now: float | None = None) -> Removed:
    """Delete every conversation whose newest event is more than `days` days old.

    A conversation with any newer event is kept whole: a session resumed today
    keeps its earlier turns (they are one conversation, forgotten together)."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cutoff = (time.time() if now is None else now) - days * DAY_SECONDS
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return Removed(0, 0)
            stale = (
                sa.select(EVENTS.c.sender_id)
                .group_by(EVENTS.c.sender_id)
                .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
            )
            senders = [row[0] for row in connection.execute(stale)]
            removed_events = 0
            # In slices: SQLite caps the number of bound parameters in one statement.
            for start in range(0, len(senders), 500):
                chunk = senders[start : start + 500]
                # Re-checked in the delete: a message that came in meanwhile keeps its conversation.
                fresh = sa.select(EVENTS.c.sender_id).where(EVENTS.c.timestamp >= cutoff)
                result = connection.execute(
                    sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk), EVENTS.c.sender_id.not_in(fresh))
                )
                removed_events += result.rowcount
            return Removed(len(senders), removed_events)
    finally:
        engine.dispose()
