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
"""

from __future__ import annotations

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

from amma.names import Slot
from stores.schema import create_tables
from stores.settings import DEFAULT_SQLITE_FILE, database_url, describe

logger = logging.getLogger(__name__)


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

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forget_requested(tracker.events):
            removed = self.delete_conversation(tracker.sender_id)
            logger.info(f"Forgot a conversation on request ({removed} stored events deleted)")
            return
        await super().save(tracker)

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
