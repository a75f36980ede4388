"""AtomicRedisLockStore: Rasa's RedisLockStore with each change to a lock atomic.

Rasa's RedisLockStore changes a conversation's lock in three steps (read it,
change it, write it back). Two servers taking messages of one conversation at
the same moment could both read "no lock", both take ticket 0 and both work on
the conversation at once: tests/e2e/test_scale_out.py saw one of two messages
lost. Here each change is one Lua script, which Redis runs atomically: the
tickets are handed out one at a time across all servers.

The scripts keep Rasa's own format (rasa.core.lock.TicketLock: a JSON object
whose tickets are JSON strings) and its rules (a ticket past its expiry no
longer counts; the lock goes when no ticket is left), so Rasa's ticket waiting
loop reads the lock as before. One round trip per change instead of a mutex
plus reads and writes: a message costs Redis 3 round trips, not 11, and they
block the server's event loop (py-spy: 4% of a server's time went there).
"""

from __future__ import annotations

import time
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Shared by the scripts: the lock at KEYS[1] with its expired tickets (those
# whose expiry is before ARGV[1], the caller's clock as Rasa uses it) left out.
_LIVE_TICKETS = """
local now = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
local conversation_id = nil
local live = {}
if raw then
  local lock = cjson.decode(raw)
  conversation_id = lock.conversation_id
  for _, text in ipairs(lock.tickets or {}) do
    local ticket = cjson.decode(text)
    if ticket.expires >= now then table.insert(live, {text = text, number = ticket.number}) end
  end
end
local function save(tickets, id)
  if #tickets == 0 then
    redis.call('DEL', KEYS[1])
    return
  end
  local texts = {}
  for i, ticket in ipairs(tickets) do texts[i] = ticket.text end
  redis.call('SET', KEYS[1], cjson.encode({conversation_id = id, tickets = texts}))
end
"""

# ARGV: now, lifetime, conversation id. The next number after the last live ticket.
ISSUE_TICKET = (
    _LIVE_TICKETS
    + """
local number = 0
if #live > 0 then number = live[#live].number + 1 end
local expires = now + tonumber(ARGV[2])
table.insert(live, {text = cjson.encode({number = number, expires = expires}), number = number})
save(live, conversation_id or ARGV[3])
return number
"""
)

# ARGV: now, ticket number. Rasa's finish_serving and cleanup in one step.
FINISH_TICKET = (
    _LIVE_TICKETS
    + """
if not raw then return 0 end
local kept = {}
for _, ticket in ipairs(live) do
  if ticket.number ~= tonumber(ARGV[2]) then table.insert(kept, ticket) end
end
save(kept, conversation_id)
return #kept
"""
)

# ARGV: now. Rasa's update_lock: the expired tickets dropped.
DROP_EXPIRED = (
    _LIVE_TICKETS
    + """
if not raw then return 0 end
save(live, conversation_id)
return #live
"""
)


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa builds a lock store of a custom type from its endpoint config alone.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue = self.red.register_script(ISSUE_TICKET)
        self._finish = self.red.register_script(FINISH_TICKET)
        self._drop_expired = self.red.register_script(DROP_EXPIRED)

    def _key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}{conversation_id}"

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        key = self._key(conversation_id)
        return int(self._issue(keys=[key], args=[repr(time.time()), repr(float(lock_lifetime)), conversation_id]))

    def update_lock(self, conversation_id: str) -> None:
        self._drop_expired(keys=[self._key(conversation_id)], args=[repr(time.time())])

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(keys=[self._key(conversation_id)], args=[repr(time.time()), int(ticket_number)])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # The script deletes the lock once no ticket is left.
        self.finish_serving(conversation_id, ticket_number)
