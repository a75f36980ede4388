"""AtomicRedisLockStore: Rasa's RedisLockStore with each change to a lock atomic.

Rasa's RedisLockStore changes a conversation's lock in three steps (read it,
change it, write it back). Two servers taking messages of one conversation at
the same moment could both read "no lock", both take ticket 0 and both work on
the conversation at once: tests/e2e/test_scale_out.py saw one of two messages
lost. Here every change holds a short Redis mutex (SET NX with an expiry), so
the tickets are handed out one at a time across all servers.
"""

from __future__ import annotations

from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa builds a lock store of a custom type from its endpoint config alone.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(f"{self.key_prefix}mutex:{conversation_id}", timeout=5, blocking_timeout=10)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return int(super().issue_ticket(conversation_id, lock_lifetime))

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One mutex for both steps (the mutex isn't re-entrant, so the base class's
        # unlocked finish_serving, not ours).
        with self._mutex(conversation_id):
            LockStore.finish_serving(self, conversation_id, ticket_number)
            if not self.is_someone_waiting(conversation_id):
                self.delete_lock(conversation_id)
