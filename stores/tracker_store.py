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
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
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
            self.sessionmaker = sqlalchemy.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
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
        with self.session_scope() as session:
            if rows_loaded is None:
                rows_loaded = self._event_query(session, tracker.sender_id, False).count()
            new = [self._row(tracker.sender_id, event) for event in itertools.islice(tracker.events, rows_loaded, None)]
            if new:
                session.execute(self.SQLEvent.__table__.insert(), new)
            session.commit()

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
