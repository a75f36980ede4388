"""Scratch databases for the store tests: a SQLite file, and a PostgreSQL
database of its own on the local server (created and dropped here), so the
tests never touch conversations anyone else keeps."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL, ROOT, postgres_reachable


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"amma_scratch_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """A URL of an empty scratch database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    return request.getfixturevalue("scratch_postgres")


def load_domain():
    """The project's domain, without the warning Rasa gives on every load (slot auto-fill is gone)."""
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed")
        return Domain.load(str(ROOT / "domain.yml"))


def rows(
    url: str, sender_id: str | None = None, columns: str = "sender_id, type_name, intent_name, action_name"
) -> list[tuple]:
    """The columns of the stored events, in the order stored, straight from the table."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            query = f"SELECT {columns} FROM events"
            if sender_id is not None:
                return list(connection.execute(sa.text(query + " WHERE sender_id = :s ORDER BY id"), {"s": sender_id}))
            return list(connection.execute(sa.text(query + " ORDER BY id")))
    finally:
        engine.dispose()
