"""Calls to the action server reuse their connections.

Rasa 3.6's `EndpointConfig.request` makes a new aiohttp session for every call,
so every call to the action server (one or two a message) opened a TCP
connection, and a hostname such as `localhost` was looked up again each time;
both ends paid for it on every message (the action server spent 4.5-5.0 ms of CPU
per message with it, 3.5 without: README, "Speed"). Here each event loop keeps one
session per set of headers and credentials, and its connections stay open between calls.

A kept connection is dropped after IDLE_SECONDS of quiet, before the server
would drop it (the action server's Sanic after 5 s, nginx after 75 s), so a call
is never sent down a connection the server is closing at that moment.
Rasa's server imports this package with the model, which installs the change.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional, Tuple

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

IDLE_SECONDS = 2.0

_Key = Tuple[asyncio.AbstractEventLoop, Tuple[Tuple[str, str], ...], Optional[Tuple[str, str]]]
_sessions: Dict[_Key, aiohttp.ClientSession] = {}


class _Borrowed:
    """`async with endpoint.session() as session` as Rasa writes it, without closing the shared session."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_: Any) -> None:
        return None


def shared_session(self: EndpointConfig) -> _Borrowed:
    """This loop's session for the endpoint's headers and credentials, made on first use."""
    loop = asyncio.get_running_loop()
    auth = (self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    key = (loop, tuple(sorted((str(k), str(v)) for k, v in self.headers.items())), auth)
    session = _sessions.get(key)
    if session is None or session.closed:
        for finished in [each for each in _sessions if each[0].is_closed()]:
            del _sessions[finished]  # a finished loop's (tests, `rasa test`); its sockets went with it
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
            headers=self.headers,
            auth=aiohttp.BasicAuth(*auth) if auth else None,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        )
        _sessions[key] = session
    return _Borrowed(session)


EndpointConfig.session = shared_session
