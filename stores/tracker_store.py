"""AmmaTrackerStore: Rasa's SQLTrackerStore with one database setting and a
real "forget me".

- Where: AMMA_DATABASE_URL (stores/settings.py), else the SQLite file named by
  `db` in endpoints.yml. Rasa's own SQL store takes dialect/host/db fields and
  would fail on an unset ${VAR}, so the URL is read here.
- Forgetting: Rasa saves a tracker by appending the events beyond the number
  already stored for the sender. Rows deleted behind its back (by an action)
  would be written again on the next save from the tracker still in memory.
  So the deletion happens here, in save: when the turn being saved holds the
  marker that action_forget_conversation returns after a confirmed "yes", every
  row of that sender goes and nothing of the tracker is written back. The next
  message finds no conversation and starts a new one from scratch.
- Several servers on one PostgreSQL database create the table once (stores/schema.py).
- Loading and saving cost less than Rasa's own (same rows, same order): a
  load reads only the events' JSON, not an ORM object per row; the save that
  follows a load appends the new events in one statement, knowing how many
  rows that load found, where Rasa first counts them and then inserts row by
  row (one round trip per event on PostgreSQL, whose waits block the server's
  event loop). py-spy put loading and saving at a fifth of a server's time.
- On PostgreSQL each load and each save is one statement, so it runs as its own
  transaction (autocommit): one round trip each, where BEGIN ... ROLLBACK and
  BEGIN ... COMMIT around them took three. A statement is atomic on its own, and
  the lock store keeps two servers from saving one conversation at once. SQLite
  keeps its transactions: it would commit a multi-row insert row by row.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from amma.names import Slot
from stores.schema import create_tables
from stores.settings import DEFAULT_SQLITE_FILE, database_url, describe

logger = logging.getLogger(__name__)

# Set on a tracker this store loaded: how many stored rows the load found. Only the
# first save after the load uses it (a later save of the same tracker counts again,
# as Rasa does), and a tracker made any other way is counted in the database.
_ROWS_LOADED = "_amma_rows_loaded"


def is_forget_marker(event: Event) -> bool:
    return isinstance(event, SlotSet) and event.key == Slot.FORGET_CONFIRMED and event.value is True


def forget_requested(events: Iterable[Event]) -> bool:
    return any(is_forget_marker(event) for event in events)


def _sqlite_write_ahead(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _load_statements(events: sqlalchemy.Table) -> tuple[Any, Any, Any]:
    """The events' JSON of one sender (bound as sender_id), in order: all of them, and
    those of the latest session, chosen as Rasa's SQLTrackerStore._event_query does
    (from the latest session_started on, or all when there is none); and how many the
    latest session has. Built once."""
    sender = sqlalchemy.bindparam("sender_id")
    of_sender = sqlalchemy.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id)
    latest = (
        sqlalchemy.select(sqlalchemy.func.max(events.c.timestamp).label("start"))
        .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
        .subquery()
    )
    # Joined once (as Rasa's query has it in FROM), not a scalar subquery the OR would run twice.
    of_session = of_sender.select_from(events.join(latest, sqlalchemy.true())).where(
        sqlalchemy.or_(events.c.timestamp >= latest.c.start, latest.c.start.is_(None))
    )
    return of_sender, of_session, sqlalchemy.select(sqlalchemy.func.count()).select_from(of_session.subquery())


class AmmaTrackerStore(SQLTrackerStore):
    engine: sqlalchemy.engine.Engine

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = DEFAULT_SQLITE_FILE,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        # Rasa passes the endpoint's `url` as host; the database comes from the setting.
        kwargs.pop("host", None)
        kwargs.pop("dialect", None)
        url = database_url(db)
        logger.info(f"Conversations are kept in {describe(url)}")
        create_tables(SQLTrackerStore.Base.metadata, url, logger.warning)
        # A host holding "://" is taken by Rasa as the whole URL.
        super().__init__(
            domain=domain,
            host=url.render_as_string(hide_password=False),
            db=url.database or db,
            event_broker=event_broker,
            **kwargs,
        )
        if self.engine.dialect.name == "sqlite":
            # Every message commits, and SQLite's defaults wait for the disk twice per
            # commit: 12% of the server's time under load (py-spy). A write-ahead log
            # with NORMAL sync still loses nothing when a server crashes; only a power
            # cut may lose the last turns. SQLAlchemy 1.4 opens a new connection to a
            # SQLite file for every load and save (NullPool), which with the settings
            # was another 5%: the connections are pooled instead. Rasa uses the store
            # from its one event-loop thread.
            self.engine.dispose()
            self.engine = sqlalchemy.create_engine(
                self.engine.url,
                poolclass=sqlalchemy.pool.QueuePool,
                connect_args={"check_same_thread": False},
            )
            sqlalchemy.event.listen(self.engine, "connect", _sqlite_write_ahead)
        else:
            # Rasa's pool settings (and PostgreSQL schema), each statement its own transaction.
            self.engine.dispose()
            self.engine = sqlalchemy.create_engine(
                self.engine.url, isolation_level="AUTOCOMMIT", **create_engine_kwargs(self.engine.url)
            )
        self.sessionmaker = sqlalchemy.orm.session.sessionmaker(bind=self.engine)
        self._events_of_sender, self._events_of_session, self._rows_in_session = _load_statements(
            self.SQLEvent.__table__
        )

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        statement = self._events_of_sender if fetch_events_from_all_sessions else self._events_of_session
        rows = self._fetch(statement, sender_id)
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(data) for (data,) in rows], self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, _ROWS_LOADED, len(rows))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        rows_loaded = vars(tracker).pop(_ROWS_LOADED, None)
        if forget_requested(tracker.events):
            removed = self.delete_conversation(tracker.sender_id)
            logger.info(f"Forgot a conversation on request ({removed} stored events deleted)")
            return
        await self.stream_events(tracker)
        if rows_loaded is None:
            (rows_loaded,) = self._fetch(self._rows_in_session, tracker.sender_id)[0]
        new = [self._row(tracker.sender_id, event) for event in itertools.islice(tracker.events, rows_loaded, None)]
        if new:
            self._append(new)

    def _fetch(self, statement: Any, sender_id: str) -> list[Any]:
        with self.engine.connect() as connection:
            return connection.execute(statement, {"sender_id": sender_id}).all()

    def _append(self, rows: list[dict[str, Any]]) -> None:
        with self.engine.begin() as connection:
            connection.execute(self.SQLEvent.__table__.insert(), rows)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The table row of one event, as Rasa's SQLTrackerStore.save writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def delete_conversation(self, sender_id: str) -> int:
        """Delete every stored event of sender_id, in all its sessions; how many went."""
        with self.session_scope() as session:
            removed = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        return int(removed)
