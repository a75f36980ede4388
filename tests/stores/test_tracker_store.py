"""AmmaTrackerStore on SQLite and PostgreSQL: the database setting, a confirmed
"forget me" deleting every stored row of that conversation (and nothing else),
and several servers creating the table at once."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading

import pytest

from stores.settings import DatabaseSettingError, database_url
from tests.stores.conftest import load_domain, rows

rasa_core = pytest.importorskip("rasa.core.tracker_store")

from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from stores.tracker_store import AmmaTrackerStore  # noqa: E402

DOMAIN = load_domain()


# ------------------------------------------------------------------ the setting
@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "sqlite:///amma-conversations.db"),
        ("", "sqlite:///amma-conversations.db"),
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql://postgres@127.0.0.1:5432/test"),
        ("postgres://amma:secret@db.internal/amma", "postgresql://amma:***@db.internal/amma"),
        ("sqlite:////var/lib/amma/conversations.db", "sqlite:////var/lib/amma/conversations.db"),
    ],
)
def test_the_database_comes_from_one_url_or_is_the_sqlite_file(value, expected):
    environ = {} if value is None else {"AMMA_DATABASE_URL": value}
    assert database_url(environ=environ).render_as_string(hide_password=True) == expected


@pytest.mark.parametrize(
    "value, says",
    [
        ("mysql://root@localhost/amma", "supports sqlite, postgresql"),
        ("postgresql://postgres@127.0.0.1:5432", "names no database"),
        ("just-a-name", "is not a database URL"),
    ],
)
def test_a_setting_we_cannot_use_is_refused_with_what_to_set(value, says):
    with pytest.raises(DatabaseSettingError, match=says):
        database_url(environ={"AMMA_DATABASE_URL": value})


# ------------------------------------------------------------------ forgetting
def store_for(url: str, monkeypatch) -> AmmaTrackerStore:
    monkeypatch.setenv("AMMA_DATABASE_URL", url)
    return AmmaTrackerStore(domain=DOMAIN, db="unused-when-the-url-is-set.db")


def pregnant_conversation(sender: str) -> DialogueStateTracker:
    """A greeting, then a screening answer: 8 events."""
    return DialogueStateTracker.from_events(
        sender,
        [
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("hi", intent={"name": "greet", "confidence": 1.0}),
            BotUttered("Hello!"),
            ActionExecuted("action_listen"),
            UserUttered("I'm 12 weeks pregnant", intent={"name": "inform_health_condition", "confidence": 1.0}),
            SlotSet("is_pregnant", True),
            ActionExecuted("action_listen"),
        ],
        DOMAIN.slots,
    )


def turn(store: AmmaTrackerStore, sender: str, intent: str, *events) -> None:
    """One turn as Rasa runs it: the tracker fetched from the store, the turn's events, one save."""
    tracker = asyncio.run(store.retrieve(sender))
    tracker.update(UserUttered(intent, intent={"name": intent, "confidence": 1.0}))
    for event in events:
        tracker.update(event)
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))


def test_a_confirmed_forget_deletes_every_row_of_that_conversation_only(database, monkeypatch):
    store = store_for(database, monkeypatch)
    asyncio.run(store.save(pregnant_conversation("mine")))
    asyncio.run(store.save(pregnant_conversation("theirs")))
    assert len(rows(database, "mine")) == len(rows(database, "theirs")) == 8
    turn(store, "mine", "forget_me", ActionExecuted("action_ask_forget"), BotUttered("Do you want me to delete ...?"))
    assert len(rows(database, "mine")) == 12
    turn(store, "mine", "affirm", ActionExecuted("action_forget_conversation"), SlotSet("forget_confirmed", True))
    assert rows(database, "mine") == []
    assert len(rows(database, "theirs")) == 8
    # The next message finds no conversation: a new one starts, with no slot set.
    assert asyncio.run(store.retrieve("mine")) is None
    fresh = asyncio.run(store.get_or_create_tracker("mine"))
    assert fresh.current_slot_values()["is_pregnant"] is None
    assert rows(database, "mine") == [("mine", "action", None, "action_listen")]
    store.engine.dispose()


def test_a_no_keeps_every_row_and_the_marker_is_never_stored(database, monkeypatch):
    store = store_for(database, monkeypatch)
    asyncio.run(store.save(pregnant_conversation("kept")))
    turn(store, "kept", "forget_me", ActionExecuted("action_ask_forget"))
    turn(store, "kept", "deny", ActionExecuted("utter_forget_kept"))
    stored = rows(database, "kept")
    assert len(stored) == 14
    assert ("kept", "user", "inform_health_condition", None) in stored
    assert asyncio.run(store.retrieve("kept")).current_slot_values()["is_pregnant"] is True
    store.engine.dispose()


def test_a_forget_slot_set_to_anything_but_true_deletes_nothing(database, monkeypatch):
    store = store_for(database, monkeypatch)
    asyncio.run(store.save(pregnant_conversation("unsure")))
    turn(store, "unsure", "affirm", SlotSet("forget_confirmed", None))
    assert len(rows(database, "unsure")) == 11
    store.engine.dispose()


# ------------------------------------------------------------------ several servers
def test_servers_starting_together_create_the_table_once_without_errors(scratch_postgres, monkeypatch, caplog):
    monkeypatch.setenv("AMMA_DATABASE_URL", scratch_postgres)
    barrier = threading.Barrier(4)
    stores: list[AmmaTrackerStore] = []
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            stores.append(AmmaTrackerStore(domain=DOMAIN))
        except BaseException as error:  # reported below, with the others
            failures.append(error)

    with caplog.at_level(logging.WARNING):
        threads = [threading.Thread(target=start) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not failures and len(stores) == 4
    # Rasa logs "Could not create tables" when two servers race on the schema.
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    asyncio.run(stores[0].save(pregnant_conversation("shared")))
    assert len(asyncio.run(stores[3].retrieve("shared")).events) == 8
    for store in stores:
        store.engine.dispose()


def test_the_sqlite_file_is_written_ahead_and_survives_a_new_store(tmp_path, monkeypatch):
    # The speed setting (no double disk wait per message) keeps what was saved.
    path = tmp_path / "conversations.db"
    store = store_for(f"sqlite:///{path}", monkeypatch)
    asyncio.run(store.save(pregnant_conversation("someone")))
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = asyncio.run(store_for(f"sqlite:///{path}", monkeypatch).retrieve("someone"))
    assert again is not None and again.get_slot("is_pregnant") is True


# ------------------------------------------------------------------ same rows as Rasa's store
def without_time(row: tuple) -> tuple:
    data = json.loads(row[4])
    data.pop("timestamp")
    return (*row[:3], data)


def test_loading_and_saving_keep_exactly_the_rows_rasas_own_store_keeps(database, tmp_path, monkeypatch):
    """Our faster load and save (one insert per save, the row count taken from the load)
    against Rasa's SQLTrackerStore on the same turns: a new conversation, turns that
    load and save, a tracker saved twice, and a new session started inside a turn."""
    ours = store_for(database, monkeypatch)
    theirs = rasa_core.SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa-reference.db"))
    reference = f"sqlite:///{tmp_path / 'rasa-reference.db'}"

    def both(step) -> None:
        for store in (ours, theirs):
            asyncio.run(step(store))

    async def new_conversation(store) -> None:
        await store.get_or_create_tracker("c")

    def turn_of(*events, saves: int = 2):
        async def step(store) -> None:
            tracker = await store.retrieve("c")
            for event in events:
                tracker.update(event)
            for _ in range(saves):  # a second save of one tracker adds nothing
                await store.save(tracker)

        return step

    both(new_conversation)
    both(turn_of(UserUttered("hi", intent={"name": "greet", "confidence": 1.0}), BotUttered("Hello!")))
    both(turn_of(ActionExecuted("action_listen"), UserUttered("I'm pregnant"), SlotSet("is_pregnant", True)))
    # A session that expired: Rasa's session start restarts it inside the turn.
    # (Saved once: saved again, Rasa's store would store the new session twice, and so does ours.)
    both(turn_of(ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"), saves=1))
    both(turn_of(UserUttered("next", intent={"name": "next_step", "confidence": 1.0})))

    columns = "type_name, intent_name, action_name, timestamp, data"
    mine, rasas = rows(database, "c", columns), rows(reference, "c", columns)
    assert [row[:3] for row in mine] == [
        ("action", None, "action_listen"),
        ("user", "greet", None),
        ("bot", None, None),
        ("action", None, "action_listen"),
        ("user", None, None),
        ("slot", None, "is_pregnant"),
        ("action", None, "action_session_start"),
        ("session_started", None, None),
        ("action", None, "action_listen"),
        ("user", "next_step", None),
    ]
    # Each store made its own first action_listen: its time differs, nothing else.
    assert [without_time(row) for row in mine] == [without_time(row) for row in rasas]
    assert mine[1:] == rasas[1:]
    loaded = asyncio.run(ours.retrieve("c"))
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in asyncio.run(theirs.retrieve("c")).events]
    assert [e.type_name for e in loaded.events] == ["session_started", "action", "user"]  # the latest session
    ours.engine.dispose()
    theirs.engine.dispose()
