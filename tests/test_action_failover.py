"""policies/action_failover.py: a Rasa server calls its own action server, and a
replica when its own can't be reached, so a dead action server loses no message."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import policies.action_failover as failover
import policies.kept_connections as kept
from ops.stack import free_port

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _no_failures_remembered(monkeypatch):
    monkeypatch.setattr(failover, "_failed_at", {})


def run(main: Callable[[], Awaitable[T]]) -> T:
    """run(main), closing the loop's kept sessions after it (else they are
    collected at exit, each with a warning on the console)."""

    async def and_close() -> T:
        try:
            return await main()
        finally:
            loop = asyncio.get_running_loop()
            for key in [key for key in kept._sessions if key[0] is loop]:
                await kept._sessions.pop(key).close()

    return asyncio.run(and_close())


class ActionServer:
    """An action server on `port` that answers with its own name; `mode` picks how it fails."""

    def __init__(self, name: str, port: int | None = None, mode: str = "answers") -> None:
        self.name, self.port, self.mode = name, port or free_port(), mode
        self.calls: list[int] = []
        self.runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    async def start(self) -> ActionServer:
        async def webhook(request: web.Request) -> web.StreamResponse:
            self.calls.append((await request.json())["n"])
            if self.mode == "dies mid-call":
                request.transport.close()  # the process gone before it answered
                await asyncio.sleep(1)
            if self.mode == "slow":
                await asyncio.sleep(1)
            if self.mode == "action fails":
                return web.json_response({"error": "the action raised"}, status=500)
            return web.json_response({"answered_by": self.name})

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()


def endpoint(own: ActionServer, *others: ActionServer) -> EndpointConfig:
    # As ops/scale_out.py writes it into a Rasa server's endpoints.yml.
    return EndpointConfig.from_dict({"url": own.url, "fallback_urls": [other.url for other in others]})


def test_each_call_goes_to_the_servers_own_action_server_while_it_answers():
    async def main():
        own, other = await ActionServer("own").start(), await ActionServer("other").start()
        replies = [await endpoint(own, other).request(json={"n": n}) for n in range(4)]
        await own.stop(), await other.stop()
        return replies, own.calls, other.calls

    replies, own_calls, other_calls = run(main)
    assert replies == [{"answered_by": "own"}] * 4
    assert (own_calls, other_calls) == ([0, 1, 2, 3], [])


def test_a_call_its_own_action_server_refuses_is_answered_by_the_replica():
    async def main():
        down, other = ActionServer("own, stopped"), await ActionServer("other").start()
        reply = await endpoint(down, other).request(json={"n": 1})
        await other.stop()
        return reply, other.calls

    assert run(main) == ({"answered_by": "other"}, [1])


def test_an_action_server_that_dies_mid_call_loses_no_message():
    async def main():
        dying, other = await ActionServer("own", mode="dies mid-call").start(), await ActionServer("other").start()
        reply = await endpoint(dying, other).request(json={"n": 7})
        await dying.stop(), await other.stop()
        return reply, dying.calls, other.calls

    assert run(main) == ({"answered_by": "other"}, [7], [7])


def test_a_failed_server_is_tried_last_for_a_while_then_first_again(monkeypatch):
    monkeypatch.setattr(failover, "RETRY_AFTER", 0.5)

    async def main():
        own_port = free_port()
        other = await ActionServer("other").start()
        config = endpoint(ActionServer("own", own_port), other)
        first = await config.request(json={"n": 1})  # own is down: the replica answers
        own = await ActionServer("own", own_port).start()  # back, but tried last for RETRY_AFTER
        soon = await config.request(json={"n": 2})
        await asyncio.sleep(0.6)
        later = await config.request(json={"n": 3})
        await own.stop(), await other.stop()
        return [first, soon, later], own.calls

    replies, own_calls = run(main)
    assert [reply["answered_by"] for reply in replies] == ["other", "other", "own"]
    assert own_calls == [3]


def test_with_every_action_server_down_rasa_gets_its_connection_error():
    # Rasa's RemoteAction turns it into a failed action, which policies/failed_action_reply.py answers.
    async def main():
        await endpoint(ActionServer("own"), ActionServer("other")).request(json={"n": 1})

    with pytest.raises(aiohttp.ClientConnectionError):
        run(main)


def test_an_action_that_fails_is_not_run_again_on_the_replica():
    async def main():
        failing, other = await ActionServer("own", mode="action fails").start(), await ActionServer("other").start()
        try:
            await endpoint(failing, other).request(json={"n": 1})
        except ClientResponseError as error:
            return error.status, failing.calls, other.calls
        finally:
            await failing.stop(), await other.stop()

    assert run(main) == (500, [1], [])


def test_a_call_that_times_out_is_not_run_again_on_the_replica():
    # The action may still be running: a second run would double its work.
    async def main():
        slow, other = await ActionServer("own", mode="slow").start(), await ActionServer("other").start()
        try:
            await endpoint(slow, other).request(json={"n": 1}, timeout=aiohttp.ClientTimeout(sock_read=0.2))
        except asyncio.TimeoutError:
            return slow.calls, other.calls
        finally:
            await slow.stop(), await other.stop()

    assert run(main) == ([1], [])


def test_an_endpoint_without_replicas_is_rasas_own_call():
    async def main():
        own = await ActionServer("own").start()
        reply = await EndpointConfig(own.url).request(json={"n": 1})
        await own.stop()
        return reply

    assert run(main) == {"answered_by": "own"}
