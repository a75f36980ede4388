"""policies/kept_connections.py: calls through Rasa's EndpointConfig (as to the
action server) reuse one connection, and never fail on one the server closed."""

from __future__ import annotations

import asyncio

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

import policies.kept_connections as kept


async def _serve(keepalive_seconds: float) -> tuple[web.AppRunner, str, list[int]]:
    """An HTTP server that echoes the JSON it gets and notes each call's client port."""
    ports: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"echo": (await request.json())["n"]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app, keepalive_timeout=keepalive_seconds, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/webhook", ports


def test_calls_share_one_connection_and_get_their_own_replies():
    async def main() -> tuple[list, list[int]]:
        runner, url, ports = await _serve(keepalive_seconds=5)
        endpoint = EndpointConfig(url)
        replies = [await endpoint.request(json={"n": n}) for n in range(5)]
        replies += await asyncio.gather(*(endpoint.request(json={"n": n}) for n in range(5, 8)))
        await runner.cleanup()
        return replies, ports

    replies, ports = asyncio.run(main())
    assert [reply["echo"] for reply in replies] == list(range(8))
    assert len(set(ports[:5])) == 1  # one after the other: one connection


def test_a_connection_the_server_closed_is_not_used_again():
    async def main() -> tuple[list, list[int]]:
        runner, url, ports = await _serve(keepalive_seconds=0.2)
        endpoint = EndpointConfig(url)
        first = await endpoint.request(json={"n": 1})
        await asyncio.sleep(1.6)  # aiohttp checks its keep-alive each second: closed by now
        second = await endpoint.request(json={"n": 2})
        await runner.cleanup()
        return [first, second], ports

    replies, ports = asyncio.run(main())
    assert [reply["echo"] for reply in replies] == [1, 2]
    assert len(set(ports)) == 2


def test_the_client_lets_an_idle_connection_go_before_the_server_would(monkeypatch):
    monkeypatch.setattr(kept, "IDLE_SECONDS", 0.2)

    async def main() -> list[int]:
        runner, url, ports = await _serve(keepalive_seconds=30)
        endpoint = EndpointConfig(url)
        await endpoint.request(json={"n": 1})
        await asyncio.sleep(0.6)
        await endpoint.request(json={"n": 2})
        await runner.cleanup()
        return ports

    assert len(set(asyncio.run(main()))) == 2


def test_each_event_loop_gets_a_working_session():
    async def call() -> dict:
        runner, url, _ = await _serve(keepalive_seconds=5)
        reply = await EndpointConfig(url, headers={"X-Test": "1"}).request(json={"n": 3})
        await runner.cleanup()
        return reply

    assert asyncio.run(call()) == {"echo": 3}
    assert asyncio.run(call()) == {"echo": 3}  # a new loop: the old loop's session isn't reused
