"""Every end-to-end test also fails when either server logged a traceback
during it: a reply can look right while an action crashed behind it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests.conftest import Chat, RasaServers


@pytest.fixture(autouse=True)
def no_server_tracebacks(request, rasa_servers):
    sizes = rasa_servers.log_sizes()
    yield
    if request.node.get_closest_marker("allows_tracebacks"):
        return
    tracebacks = rasa_servers.tracebacks_since(sizes)
    assert not tracebacks, "a server logged a traceback during this test:\n" + "\n\n".join(tracebacks)


@dataclass
class Store:
    """Live servers on one kind of tracker store, and a direct look at its events table."""

    kind: str
    servers: RasaServers
    url: str

    def chat(self) -> Chat:
        return Chat(self.servers)

    def rows(self, sender_id: str) -> list[tuple]:
        """(type_name, intent_name, action_name) of every stored event of sender_id, oldest first."""
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as connection:
                return [
                    tuple(row)
                    for row in connection.execute(
                        sa.text(
                            "SELECT type_name, intent_name, action_name FROM events WHERE sender_id = :s ORDER BY id"
                        ),
                        {"s": sender_id},
                    )
                ]
        finally:
            engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, rasa_servers) -> Iterator[Store]:
    """The embedded SQLite store (the session's servers), then PostgreSQL (a second pair
    of servers with AMMA_DATABASE_URL set; skipped where PostgreSQL isn't reachable)."""
    if request.param == "sqlite":
        yield Store("sqlite", rasa_servers, f"sqlite:///{rasa_servers.sqlite_file}")
        return
    servers = request.getfixturevalue("postgres_servers")
    sizes = servers.log_sizes()
    yield Store("postgresql", servers, servers.database_url)
    tracebacks = servers.tracebacks_since(sizes)
    assert not tracebacks, "a PostgreSQL server logged a traceback during this test:\n" + "\n\n".join(tracebacks)
