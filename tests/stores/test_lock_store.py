"""The Redis lock store's tickets, against the local Redis (skipped, naming it,
where there is none): several servers' stores on one conversation take turns
in the order they asked, a crashed holder's ticket expires, and the lock is
gone once nobody holds or waits for it. Rasa's own ticket loop (get_lock,
TicketLock) reads what the scripts write."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest

from stores.lock_store import AtomicRedisLockStore

REDIS = {"host": "127.0.0.1", "port": 6379, "db": 1}


@pytest.fixture
def stores():
    """Two lock stores, as two Rasa servers would have, on a scratch key prefix."""
    import redis

    try:
        redis.Redis(**REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379 ({error})")
    prefix = "test" + uuid.uuid4().hex[:10]
    made = [AtomicRedisLockStore(**REDIS, key_prefix=prefix) for _ in range(2)]
    yield made
    for key in made[0].red.scan_iter(f"{prefix}:*"):
        made[0].red.delete(key)


def test_tickets_are_served_in_the_order_they_were_issued_across_servers(stores):
    first, second = stores
    assert [first.issue_ticket("c1"), second.issue_ticket("c1"), first.issue_ticket("c1")] == [0, 1, 2]
    lock = second.get_lock("c1")  # Rasa's own reading
    assert lock.conversation_id == "c1"
    assert lock.now_serving == 0 and lock.is_locked(1) and lock.is_locked(2)
    first.cleanup("c1", 0)
    assert not second.get_lock("c1").is_locked(1)
    second.cleanup("c1", 1)
    first.cleanup("c1", 2)
    assert first.get_lock("c1") is None  # nobody holds or waits: the lock is gone
    assert second.issue_ticket("c1") == 0


def test_a_ticket_that_outlived_its_lifetime_no_longer_blocks(stores):
    first, second = stores
    first.issue_ticket("c2", lock_lifetime=0.2)  # a server that crashed while serving
    waiting = second.issue_ticket("c2")
    assert second.get_lock("c2").is_locked(waiting)
    time.sleep(0.3)
    second.update_lock("c2")
    assert not second.get_lock("c2").is_locked(waiting)
    assert len(second.get_lock("c2").tickets) == 1


def test_another_conversation_is_not_held_up(stores):
    first, second = stores
    first.issue_ticket("busy")
    assert second.issue_ticket("free") == 0
    assert not second.get_lock("free").is_locked(0)


def test_servers_hammering_one_conversation_never_serve_two_messages_at_once(stores):
    """Rasa's lock() from several threads and stores at once: at most one holder at a
    time, and every message gets served."""
    holders, served, overlap = [0], [], []
    guard = threading.Lock()

    async def message(store: AtomicRedisLockStore, number: int) -> None:
        async with store.lock("hot", wait_time_in_seconds=0.01):
            with guard:
                holders[0] += 1
                overlap.append(holders[0])
            await asyncio.sleep(0.002)
            with guard:
                holders[0] -= 1
                served.append(number)

    def server(store: AtomicRedisLockStore, numbers: range) -> None:
        async def run() -> None:
            await asyncio.gather(*(message(store, n) for n in numbers))

        asyncio.run(run())

    threads = [
        threading.Thread(target=server, args=(stores[0], range(0, 15))),
        threading.Thread(target=server, args=(stores[1], range(15, 30))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(served) == list(range(30))
    assert max(overlap) == 1
    assert stores[0].get_lock("hot") is None
